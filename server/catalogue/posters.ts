import { existsSync } from "node:fs";
import { join } from "node:path";
import type { CatalogueEntry } from "../../src/shared/exhibition";
import { posterFileOf } from "../../src/shared/exhibition/tiers";

export { posterFileOf };

/**
 * The entry with a picture for the studio's catalogue card: a model entry without a poster of its
 * own gets the shipped poster of its model (`/models/...`), when one was made. Uploads carry
 * their own posters (the tier job draws them).
 */
export function withShippedPoster(entry: CatalogueEntry, modelsDir: string): CatalogueEntry {
  const a = entry.item.asset;
  if (a.kind !== "model" || a.poster) return entry;
  const model = a.tiers.high ?? a.tiers.low;
  if (!model?.startsWith("/models/")) return entry;
  const poster = posterFileOf(model);
  if (!existsSync(join(modelsDir, poster.slice("/models/".length)))) return entry;
  return { ...entry, item: { ...entry.item, asset: { ...a, poster } } };
}
