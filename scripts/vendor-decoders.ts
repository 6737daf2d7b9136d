/**
 * Copies the Draco and Basis decoders from three's `examples/jsm/libs` into `public/vendor/`, so
 * the app never fetches a decoder from a CDN. Run after upgrading three (`npx tsx scripts/vendor-decoders.ts`);
 * `test/unit/vendored-decoders.test.ts` fails when the copies drift from the installed three.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const libs = join(root, "node_modules/three/examples/jsm/libs");

/** Files vendored, as [source under three's libs, destination under public/vendor]. */
export const VENDORED: [string, string][] = [
  ["draco/gltf/draco_decoder.js", "draco/draco_decoder.js"],
  ["draco/gltf/draco_decoder.wasm", "draco/draco_decoder.wasm"],
  ["draco/gltf/draco_wasm_wrapper.js", "draco/draco_wasm_wrapper.js"],
  ["draco/README.md", "draco/README.md"],
  ["basis/basis_transcoder.js", "basis/basis_transcoder.js"],
  ["basis/basis_transcoder.wasm", "basis/basis_transcoder.wasm"],
  ["basis/README.md", "basis/README.md"],
];

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [from, to] of VENDORED) {
    const dest = join(root, "public/vendor", to);
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(join(libs, from), dest);
    console.log(`vendored ${to}`);
  }
}
