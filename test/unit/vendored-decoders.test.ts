import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VENDORED } from "../../scripts/vendor-decoders";
import { PROFILES_SOURCE, PROFILES_TARGET, vendoredProfileFiles, vendoredProfilesList, XR_PROFILES } from "../../scripts/vendor-xr-profiles";
import { XR_PROFILES_PATH } from "../../src/xr/xr-store";
import { DECODER_PATHS } from "../../src/viewer/gltf-loading";
import { ROOT } from "../support/server";

describe("vendored decoders", () => {
  it.each(VENDORED)("public/vendor/%s matches the installed three (run scripts/vendor-decoders.ts after upgrading three)", (from, to) => {
    const installed = readFileSync(join(ROOT, "node_modules/three/examples/jsm/libs", from));
    const vendored = readFileSync(join(ROOT, "public/vendor", to));
    expect(vendored.equals(installed)).toBe(true);
  });

  it("the loader points at the vendored folders", () => {
    for (const path of Object.values(DECODER_PATHS)) expect(VENDORED.some(([, to]) => `/vendor/${to}`.startsWith(path))).toBe(true);
  });
});

describe("vendored WebXR controller and hand models", () => {
  it.each(vendoredProfileFiles())("public/vendor/webxr-input-profiles/%s matches the installed assets package", (file) => {
    const vendored = readFileSync(join(PROFILES_TARGET, file));
    expect(vendored.equals(readFileSync(join(PROFILES_SOURCE, file)))).toBe(true);
  });

  it("the profiles list names only vendored profiles, each with its models, and the store points at them", () => {
    const list = JSON.parse(readFileSync(join(PROFILES_TARGET, "profilesList.json"), "utf8")) as Record<string, { path: string }>;
    expect(list).toEqual(vendoredProfilesList());
    for (const id of XR_PROFILES) {
      const profile = JSON.parse(readFileSync(join(PROFILES_TARGET, id, "profile.json"), "utf8")) as { layouts?: Record<string, { assetPath: string }> };
      for (const layout of Object.values(profile.layouts ?? {})) expect(readFileSync(join(PROFILES_TARGET, id, layout.assetPath)).subarray(0, 4).toString()).toBe("glTF");
    }
    // The fallbacks the store names exist: every controller and hand has a model offline.
    expect(list["generic-trigger"]).toBeDefined();
    expect(list["generic-hand"]).toBeDefined();
    expect(`public${XR_PROFILES_PATH}`).toBe("public/vendor/webxr-input-profiles/");
  });
});
