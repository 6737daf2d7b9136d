import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VENDORED } from "../../scripts/vendor-decoders";
import { DECODER_PATHS } from "../../src/scene/gltf-loading";
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
