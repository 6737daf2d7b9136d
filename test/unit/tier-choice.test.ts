import { describe, expect, it } from "vitest";
import type { ModelAsset } from "../../src/shared/exhibition";
import { CLOSE_ENTER, CLOSE_LEAVE, deviceClass, tierFor, updateCloseSet } from "../../src/shared/exhibition/tiers";

const scan: ModelAsset = { kind: "model", tiers: { thumb: "/t.glb", low: "/low.glb", high: "/high.glb" }, unitsPerMeter: 1 };

describe("quality tier by device and distance", () => {
  it("walks with the low tier, inspects with the high one on desktops, and keeps handhelds low", () => {
    expect(tierFor(scan, "auto", { device: "desktop", close: false })).toBe("/low.glb");
    expect(tierFor(scan, "auto", { device: "desktop", close: true })).toBe("/high.glb");
    expect(tierFor(scan, "auto", { device: "handheld", close: true })).toBe("/low.glb");
    expect(tierFor(scan, "high", { device: "handheld", close: false })).toBe("/high.glb"); // asked for
    expect(tierFor(scan, "low", { device: "desktop", close: true })).toBe("/low.glb");
    expect(tierFor({ ...scan, tiers: { high: "/only.glb" } }, "auto", { device: "handheld", close: false })).toBe("/only.glb");
  });

  it("tells phones from desktops", () => {
    expect(deviceClass({ maxTouchPoints: 5, coarsePointer: true, userAgent: "Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile" })).toBe("handheld");
    expect(deviceClass({ maxTouchPoints: 0, coarsePointer: false, userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140" })).toBe("desktop");
    expect(deviceClass({ maxTouchPoints: 10, coarsePointer: false, userAgent: "Mozilla/5.0 (Windows NT 10.0) Chrome/140" })).toBe("desktop"); // touch laptop with a mouse
  });

  it("uses hysteresis so a visitor at the threshold does not flip a model between tiers", () => {
    const d = (entries: [string, number][]) => new Map(entries);
    let close: ReadonlySet<string> = new Set();
    const step = (entries: [string, number][]) => {
      const next = updateCloseSet(close, d(entries));
      if (next) close = next;
      return next !== null;
    };
    expect(step([["a", CLOSE_ENTER + 0.1], ["b", 5]])).toBe(false);
    expect(step([["a", CLOSE_ENTER - 0.1], ["b", 5]])).toBe(true);
    expect([...close]).toEqual(["a"]);
    expect(step([["a", (CLOSE_ENTER + CLOSE_LEAVE) / 2], ["b", 5]])).toBe(false); // between the two: stays close
    expect(step([["a", CLOSE_LEAVE + 0.1], ["b", 5]])).toBe(true);
    expect([...close]).toEqual([]);
    close = new Set(["gone"]);
    expect(step([["a", 9]])).toBe(true); // an artefact that left the room leaves the set
    expect(close.size).toBe(0);
  });
});
