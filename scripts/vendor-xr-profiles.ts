/**
 * Copies the WebXR controller and hand models Atrium needs from `@webxr-input-profiles/assets`
 * into `public/vendor/webxr-input-profiles/`, with a profiles list naming only those, so a headset
 * never fetches a controller model from a CDN (the library's default). Run after upgrading the
 * assets package (`npx tsx scripts/vendor-xr-profiles.ts`); `test/unit/vendored-decoders.test.ts`
 * fails when the copies drift from the installed package.
 *
 * Chosen for the headsets schools and museums use: Meta Quest 3/3S (touch-plus), Quest Pro,
 * Quest 2 (touch-v3), Quest 1 (touch-v2), Pico 4, the generic trigger controller every other
 * device falls back to, and the generic hand. Any other controller is drawn as the generic one.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Where the installed package keeps its profiles. */
export const PROFILES_SOURCE = join(root, "node_modules/@webxr-input-profiles/assets/dist/profiles");
/** Where the app serves them from (see `XR_PROFILES_PATH` in `src/xr/xr-store.ts`). */
export const PROFILES_TARGET = join(root, "public/vendor/webxr-input-profiles");

/** Profile folders vendored. */
export const XR_PROFILES = [
  "meta-quest-touch-plus",
  "meta-quest-touch-pro",
  "oculus-touch-v3",
  "oculus-touch-v2",
  "pico-4",
  "generic-trigger",
  "generic-hand",
] as const;

/** The package's profiles list, keeping only entries whose folder is vendored. */
export function vendoredProfilesList(): Record<string, { path: string }> {
  const all = JSON.parse(readFileSync(join(PROFILES_SOURCE, "profilesList.json"), "utf8")) as Record<string, { path: string }>;
  return Object.fromEntries(Object.entries(all).filter(([, v]) => (XR_PROFILES as readonly string[]).includes(v.path.split("/")[0]!)));
}

/** Every vendored file, relative to the profiles folder. */
export function vendoredProfileFiles(): string[] {
  return XR_PROFILES.flatMap((p) => readdirSync(join(PROFILES_SOURCE, p)).map((f) => `${p}/${f}`));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const file of vendoredProfileFiles()) {
    mkdirSync(dirname(join(PROFILES_TARGET, file)), { recursive: true });
    copyFileSync(join(PROFILES_SOURCE, file), join(PROFILES_TARGET, file));
  }
  writeFileSync(join(PROFILES_TARGET, "profilesList.json"), JSON.stringify(vendoredProfilesList(), null, 2) + "\n");
  const pkg = JSON.parse(readFileSync(join(PROFILES_SOURCE, "../../package.json"), "utf8")) as { version: string };
  copyFileSync(join(PROFILES_SOURCE, "../../LICENSE.md"), join(PROFILES_TARGET, "LICENSE.md"));
  writeFileSync(
    join(PROFILES_TARGET, "README.md"),
    `# WebXR input profiles (vendored)\n\nController and hand models from [@webxr-input-profiles/assets](https://github.com/immersive-web/webxr-input-profiles) ${pkg.version}, MIT licence (see LICENSE.md), copied by \`scripts/vendor-xr-profiles.ts\` so headsets load them from this server, never from a CDN.\n\nProfiles: ${XR_PROFILES.join(", ")}. \`profilesList.json\` names only these; other controllers are drawn as \`generic-trigger\`.\n`,
  );
  console.log(`vendored ${XR_PROFILES.length} profiles into ${PROFILES_TARGET}`);
}
