/**
 * `npx tsx scripts/make-tiers.ts <in.glb> <out-prefix>`: writes `<out-prefix>_low.glb` and
 * `<out-prefix>_thumb.glb` with the same code uploads use (server/assets/tiers.ts). Used for the
 * shipped sample scans in models/.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { makeTiers } from "../server/assets/tiers";

const [input, prefix] = process.argv.slice(2);
if (!input || !prefix) {
  console.error("usage: npx tsx scripts/make-tiers.ts <in.glb> <out-prefix>");
  process.exit(2);
}
const tiers = await makeTiers(new Uint8Array(readFileSync(input)));
for (const name of ["low", "thumb"] as const) {
  writeFileSync(`${prefix}_${name}.glb`, tiers.files[name]);
  console.log(`${prefix}_${name}.glb: ${JSON.stringify(tiers.stats[name])}`);
}
