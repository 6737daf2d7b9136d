/**
 * Catalogue pictures of the shipped models: a 256 px WebP of each, drawn by the same renderer
 * that draws the posters of uploaded models (`server/assets/poster.ts`), so that the studio's
 * catalogue shows what each entry is instead of a grey square. Written beside the model as
 * `<name>.poster.webp`; the catalogue finds them by that name (server/catalogue/posters.ts).
 *
 *   npm run posters        # writes models/tea/*.poster.webp and models/smithsonian/*.poster.webp
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gltfIO } from "../server/gltf/io";
import { renderPoster } from "../server/assets/poster";
import { posterFileOf } from "../server/catalogue/posters";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const io = await gltfIO();
for (const dir of ["tea", "smithsonian"]) {
  const files = readdirSync(join(root, "models", dir)).filter((f) => f.endsWith(".glb") && !/_(low|thumb)\.glb$/.test(f));
  for (const f of files) {
    // A scan's thumb tier draws the same picture at a tenth of the work.
    const thumb = f.replace(/\.glb$/, "_thumb.glb");
    const source = readdirSync(join(root, "models", dir)).includes(thumb) ? thumb : f;
    const doc = await io.readBinary(new Uint8Array(readFileSync(join(root, "models", dir, source))));
    const out = join(root, "models", dir, posterFileOf(f));
    const webp = await renderPoster(doc);
    writeFileSync(out, webp);
    console.log(`${out.slice(root.length + 1)}: ${webp.length} bytes (from ${source})`);
  }
}
