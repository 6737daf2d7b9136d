import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { captionAt, parseCaptions, parseExhibition, pickTextLang, type Exhibition } from "../../src/shared/exhibition";
import { placementsIn } from "../../src/shared/exhibition/tiers";
import { chooseQuality, requestSavesData, tierFor } from "../../src/shared/exhibition/tiers";
import { DEFAULT_COMFORT, parseComfort } from "../../src/xr/xr-local-store";
import { browserSavesData, chooseView, DEFAULT_PREFERENCES, isWeakDevice, parsePreferences } from "../../src/state/preferences";
import { arrivalPose } from "../../src/viewer/room-layout";
import { exits, walkingOrder, whereFrom } from "../../src/viewer/room-reading";

const ROOT = join(import.meta.dirname, "../..");
const load = (id: string): Exhibition => {
  const r = parseExhibition(JSON.parse(readFileSync(join(ROOT, "exhibitions", `${id}.json`), "utf8")), id);
  if (!r.ok) throw new Error(r.error.message);
  return r.doc;
};

describe("where things stand, in words", () => {
  // yaw 0 looks down -z: ahead is -z, right is +x.
  const pose = { x: 0, z: 0, yaw: 0 };
  it("names the side in the visitor's own frame and rounds to the half metre", () => {
    expect(whereFrom(pose, 0, -3)).toEqual({ side: "ahead", metres: 3 });
    expect(whereFrom(pose, 2.2, 0)).toEqual({ side: "right", metres: 2 });
    expect(whereFrom(pose, -1.8, 0.1)).toEqual({ side: "left", metres: 2 });
    expect(whereFrom(pose, 0.3, 4)).toEqual({ side: "behind", metres: 4 });
    expect(whereFrom(pose, 0.2, 0.2).side).toBe("here");
    // Ahead is a 60° cone; 45° off is already to one side.
    expect(whereFrom(pose, 1, -1.9).side).toBe("ahead");
    expect(whereFrom(pose, 1, -1).side).toBe("right");
  });
  it("turns with the visitor", () => {
    const facingEast = { x: 0, z: 0, yaw: -Math.PI / 2 }; // looking down +x
    expect(whereFrom(facingEast, 3, 0).side).toBe("ahead");
    expect(whereFrom(facingEast, 0, -3).side).toBe("left");
    expect(whereFrom(facingEast, 0, 3).side).toBe("right");
    expect(whereFrom(facingEast, -3, 0).side).toBe("behind");
  });
});

describe("walking order", () => {
  it("sweeps from the visitor's left to their right, nearest first when one stands behind another", () => {
    const at = (x: number, z: number) => ({ position: [x, 0, z] as [number, number, number] });
    const entries: [string, ReturnType<typeof at>][] = [
      ["right", at(3, -1)],
      ["far-ahead", at(0, -6)],
      ["left", at(-3, -1)],
      ["near-ahead", at(0, -3)],
      ["behind-left", at(-2, 2)],
    ];
    expect(walkingOrder(entries, { x: 0, z: 0, yaw: 0 }).map(([id]) => id)).toEqual(["behind-left", "left", "near-ahead", "far-ahead", "right"]);
  });
  it("orders every room of the sample shows and keeps every placement once", () => {
    for (const id of ["tea-and-its-vessels", "bone-and-clay"]) {
      const doc = load(id);
      for (const roomId of Object.keys(doc.rooms)) {
        const entries = placementsIn(doc, roomId);
        const ordered = walkingOrder(entries, arrivalPose(doc.rooms[roomId]!, null));
        expect(ordered.map(([p]) => p).sort()).toEqual(entries.map(([p]) => p).sort());
        // Stable: the same order twice (Tab order and the plan's numbers must agree).
        expect(walkingOrder([...entries].reverse(), arrivalPose(doc.rooms[roomId]!, null))).toEqual(ordered);
      }
    }
  });
  it("lists each doorway of a room with the room it leads to", () => {
    const doc = load("tea-and-its-vessels");
    for (const room of Object.values(doc.rooms)) {
      expect(exits(room).map((e) => e.to)).toEqual(room.doors.map((d) => d.to));
      for (const e of exits(room)) expect(Math.abs(e.x) <= room.size.w / 2 && Math.abs(e.z) <= room.size.d / 2).toBe(true);
    }
  });
});

describe("a passage's own language", () => {
  it("returns the language of the text it falls back to, for the lang attribute", () => {
    expect(pickTextLang({ en: "Bowl", "zh-Hant": "碗" }, "ja", ["zh-Hant", "en"])).toEqual({ text: "碗", lang: "zh-Hant" });
    expect(pickTextLang({ en: "Bowl", ja: "" }, "ja", [])).toEqual({ text: "Bowl", lang: "en" });
    expect(pickTextLang(undefined, "en")).toEqual({ text: "", lang: undefined });
  });
});

describe("access preferences", () => {
  it("keeps only well-formed stored values", () => {
    expect(parsePreferences(null)).toEqual(DEFAULT_PREFERENCES);
    expect(parsePreferences("{not json")).toEqual(DEFAULT_PREFERENCES);
    expect(parsePreferences('{"textSize": 7, "highContrast": "yes", "reducedMotion": true, "view": "vr"}')).toEqual({ ...DEFAULT_PREFERENCES, reducedMotion: true });
    expect(parsePreferences('{"textSize": 1.5, "captions": false, "view": "2d", "textVersion": true}')).toEqual({ ...DEFAULT_PREFERENCES, textSize: 1.5, captions: false, view: "2d", textVersion: true });
  });
  it("shows 2D without WebGL whatever was asked, else the page's ?mode=, else the visitor's choice", () => {
    expect(chooseView("?mode=3d", "3d", false)).toBe("2d");
    expect(chooseView("?mode=2d", "3d", true)).toBe("2d");
    expect(chooseView("", "2d", true)).toBe("2d");
    expect(chooseView("?mode=xyz", null, true)).toBe("3d");
    // A weak device starts in 2D unless the visitor (or the page) asked for 3D.
    expect(chooseView("", null, true, true)).toBe("2d");
    expect(chooseView("", "3d", true, true)).toBe("3d");
    expect(chooseView("?mode=3d", null, true, true)).toBe("3d");
  });
});

describe("weak devices, mono audio and saving data", () => {
  it("keeps the new preferences only when well formed", () => {
    expect(parsePreferences('{"monoAudio": true, "dataSaver": false}')).toEqual({ ...DEFAULT_PREFERENCES, monoAudio: true, dataSaver: false });
    expect(parsePreferences('{"monoAudio": "yes", "dataSaver": 1}')).toEqual(DEFAULT_PREFERENCES);
    expect(parsePreferences('{"dataSaver": null}').dataSaver).toBeNull();
  });

  it("remembers VR comfort (seated, fades, tour moves, snap turn) per device, keeping only well-formed values", () => {
    expect(parseComfort(null)).toEqual(DEFAULT_COMFORT);
    expect(parseComfort({ comfort: { seated: true, fade: false, tourMoves: false, snapDegrees: 45 } })).toEqual({ seated: true, fade: false, tourMoves: false, snapDegrees: 45 });
    expect(parseComfort({ comfort: { seated: "yes", snapDegrees: 7, fade: null } })).toEqual(DEFAULT_COMFORT);
    expect(parseComfort("garbage")).toEqual(DEFAULT_COMFORT);
  });

  it("judges a device weak only on a reported memory under 1 GB", () => {
    expect(isWeakDevice({ deviceMemory: 0.5 })).toBe(true);
    expect(isWeakDevice({ deviceMemory: 0.25 })).toBe(true);
    expect(isWeakDevice({ deviceMemory: 1 })).toBe(false);
    expect(isWeakDevice({ deviceMemory: 8 })).toBe(false);
    expect(isWeakDevice({})).toBe(false); // not reported (Firefox, Safari): not judged
    expect(isWeakDevice(undefined)).toBe(false);
  });

  it("loads the light tiers when the visitor or the browser saves data, unless the page asks for a quality", () => {
    expect(chooseQuality("", null, false)).toBe("auto");
    expect(chooseQuality("", null, true)).toBe("thumb"); // the browser's hint
    expect(chooseQuality("", false, true)).toBe("auto"); // the visitor's choice wins over it
    expect(chooseQuality("", true, false)).toBe("thumb");
    expect(chooseQuality("?quality=high", true, true)).toBe("high");
    expect(chooseQuality("?quality=thumb", null, false)).toBe("thumb");
    expect(browserSavesData({ connection: { saveData: true } })).toBe(true);
    expect(browserSavesData({})).toBe(false);
  });

  it("gives the thumb tier always in the low-bandwidth mode, the lightest there is when a model has none", () => {
    const scan = { kind: "model" as const, tiers: { thumb: "/t.glb", low: "/l.glb", high: "/h.glb" }, unitsPerMeter: 1 };
    for (const close of [false, true]) for (const device of ["desktop", "handheld", "headset"] as const) expect(tierFor(scan, "thumb", { device, close })).toBe("/t.glb");
    expect(tierFor({ ...scan, tiers: { low: "/l.glb", high: "/h.glb" } }, "thumb", { device: "desktop", close: true })).toBe("/l.glb");
    expect(tierFor({ ...scan, tiers: { high: "/h.glb" } }, "thumb", { device: "desktop", close: false })).toBe("/h.glb");
  });

  it("reads the visitor's data-saver cookie before the browser's hint, and nothing else from cookies", () => {
    expect(requestSavesData(undefined, undefined)).toBe(false);
    expect(requestSavesData(undefined, "on")).toBe(true);
    expect(requestSavesData("atrium-save-data=on", undefined)).toBe(true);
    expect(requestSavesData("sid=abc; atrium-save-data=off", "on")).toBe(false);
    expect(requestSavesData("xatrium-save-data=on", undefined)).toBe(false);
    expect(requestSavesData("atrium-save-data=maybe", "on")).toBe(true);
    expect(requestSavesData("atrium-save-data=" + "on".repeat(5000), undefined)).toBe(false);
  });
});

describe("captions (WebVTT)", () => {
  const vtt = "WEBVTT\n\n00:00.000 --> 00:02.500\n<v Guide>This bowl was fired in Jizhou.\n\n00:02.500 --> 00:05.000\nIts glaze is <i>temmoku</i>.\n";
  it("reads cues with their times, markup reduced to words", () => {
    const r = parseCaptions(vtt);
    expect(r).toEqual({
      ok: true,
      cues: [
        { start: 0, end: 2.5, text: "This bowl was fired in Jizhou." },
        { start: 2.5, end: 5, text: "Its glaze is temmoku." },
      ],
    });
    if (!r.ok) return;
    expect(captionAt(r.cues, 1)).toBe("This bowl was fired in Jizhou.");
    expect(captionAt(r.cues, 2.5)).toBe("Its glaze is temmoku.");
    expect(captionAt(r.cues, 6)).toBe("");
  });
  it("refuses what is not WebVTT, naming the line", () => {
    expect(parseCaptions("1\n00:00:01,000 --> 00:00:02,000\nSRT, not WebVTT\n")).toEqual({ ok: false, message: 'must be WebVTT: the first line is "WEBVTT"' });
    const bad = parseCaptions("WEBVTT\n\n00:00.000 --> 00:0x.000\nA broken timing\n");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toMatch(/^WebVTT line 3: /);
  });
  it("are checked where the document is read: a bad file names the field", () => {
    const doc = structuredClone(load("tea-and-its-vessels")) as unknown as { items: Record<string, Record<string, unknown>>; tour: Record<string, unknown>[] };
    const id = Object.keys(doc.items)[0]!;
    doc.items[id]!.audioGuide = { en: "/models/guide.mp3" };
    doc.items[id]!.audioCaptions = { en: vtt };
    doc.tour[0]!.audio = { en: "/models/step.mp3" };
    doc.tour[0]!.captions = { en: vtt };
    expect(parseExhibition(doc, "captions.json").ok).toBe(true);
    doc.tour[0]!.captions = { en: "subtitles" };
    const r = parseExhibition(doc, "captions.json");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain("tour.0.captions.en");
  });
});

describe("the lesson sheet in every interface language", () => {
  it("has its words in Japanese too", async () => {
    const { lessonSheetHtml } = await import("../../server/classes/lesson-sheet");
    const html = lessonSheetHtml(load("tea-and-its-vessels"), { teacher: "林先生", startedAt: new Date("2026-12-01T09:00:00Z"), endedAt: new Date("2026-12-01T09:40:00Z"), students: 12 }, "ja");
    for (const word of ["授業資料", "先生", "生徒数", "展示品", "印刷または PDF で保存"]) expect(html).toContain(word);
  });
});
