import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseExhibition, type Exhibition } from "../../src/shared/exhibition";
import { ROOT } from "./server";

/**
 * The tea show with 600 more objects, each with a long label: about 1.5 MB as a Y.Doc, the size
 * at which a copy of the document per hostile message froze the server (issue 16). Used by the
 * adversarial tests and the refusal benchmark.
 */
export function bigShow(id = "big-show"): Exhibition {
  const r = parseExhibition(JSON.parse(readFileSync(join(ROOT, "exhibitions/tea-and-its-vessels.json"), "utf8")), "tea");
  if (!r.ok) throw r.error;
  const base = r.doc;
  const teapot = base.items["teapot"]!;
  const items: Exhibition["items"] = { ...base.items };
  for (let i = 0; i < 600; i++) items[`copy-${i}`] = { ...teapot, description: { en: `Object ${i}. ${"A long curatorial label about tea, clay and fire. ".repeat(50)}` } };
  return { ...base, id, items, meta: { ...base.meta, published: true } };
}
