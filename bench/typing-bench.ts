/**
 * Co-writing benchmark (issue 25): what one typed character costs in a 400 kB show, with texts
 * as Y.Text per language (schema version 3), next to the version-2 way in the same run: the
 * item's whole record, prose included, set again in its Y.Map on every keystroke.
 * - update size: the bytes a keystroke sends to the server and every co-writer;
 * - page CPU: the operation, its write into the Y.Doc and the page's next read of the document;
 * - server CPU: judging the update (`judgeUpdate`) before applying it;
 * - review mode's attribution: noting who sent the update (`recordAuthorship`, after applying it),
 *   in CPU and in bytes the document grows by, next to judging the same keystroke.
 */
import { performance } from "node:perf_hooks";
import * as Y from "yjs";
import { ExhibitionStore } from "../src/collab/exhibition-store";
import { writeExhibition } from "../src/shared/collab/exhibition-ydoc";
import { movePlacement, setText, type Exhibition } from "../src/shared/exhibition";
import { DeleteIndex } from "../server/sync/update-shape";
import { judgeUpdate } from "../server/sync/write-policy";
import { recordAuthorship } from "../src/shared/collab/attribution";
import { bigShow } from "../test/support/big-show";

export interface TypingResult {
  docBytes: number;
  keystrokes: number;
  updateBytes: { text: number; record: number; ratio: number };
  pageMicros: { text: number; record: number; ratio: number };
  serverMicros: { text: number; record: number; ratio: number };
  /** Noting who wrote each keystroke: µs per keystroke, as a ratio of judging it; bytes added to the document over the run. */
  attribution: { micros: number; ofJudging: number; docBytesAdded: number; bytesPerMove: number };
}

/** The tea show with 100 more labelled objects: about 400 kB as a Y.Doc. */
function show400(): Exhibition {
  const big = bigShow("typing-show");
  const items = Object.fromEntries(Object.entries(big.items).slice(0, 108));
  const placements = big.placements;
  return { ...big, items, placements };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function runTypingBench(): TypingResult {
  const doc = show400();
  const words = "A long curatorial label, typed one key at a time: 兔毫釉。".repeat(4);
  const target = { kind: "item" as const, id: "teapot", field: "description" as const };
  const curator = { role: "curator" as const, user: "bench", museums: [] };

  // Version 3: the page's store, the server's room.
  const room = new Y.Doc();
  writeExhibition(room, doc);
  const docBytes = Y.encodeStateAsUpdate(room).byteLength;
  const page = new Y.Doc();
  Y.applyUpdate(page, Y.encodeStateAsUpdate(room));
  const store = new ExhibitionStore(page);
  const deletes = new DeleteIndex(room);
  // The server's notes of who wrote what, kept beside the show (review mode).
  const notes = new Y.Doc();
  const text = { bytes: [] as number[], page: [] as number[], server: [] as number[], attribution: [] as number[] };
  let last: Uint8Array | null = null;
  page.on("update", (u: Uint8Array) => (last = u));
  for (const ch of words) {
    const t0 = performance.now();
    store.apply((d) => setText(d, target, "en", (d.items.teapot!.description.en ?? "") + ch));
    store.getSnapshot();
    text.page.push((performance.now() - t0) * 1000);
    const u = last!;
    text.bytes.push(u.byteLength);
    const t1 = performance.now();
    const verdict = judgeUpdate(room, curator, u, deletes);
    text.server.push((performance.now() - t1) * 1000);
    if (verdict.action !== "apply") throw new Error(`the server refused a keystroke: ${JSON.stringify(verdict)}`);
    Y.applyUpdate(room, u);
    const t2 = performance.now();
    recordAuthorship(notes, { id: "bench", name: "Bench" }, u, "attribution");
    text.attribution.push((performance.now() - t2) * 1000);
    deletes.stale();
  }
  const attributionBytes = Y.encodeStateAsUpdate(notes).byteLength;
  // Moving an object rewrites its record, which deletes the one before: each move's delete set is noted.
  const moveIds = Object.keys(store.getSnapshot().placements).slice(0, 50);
  for (const pid of moveIds) {
    store.apply((d) => movePlacement(d, pid, { position: [d.placements[pid]!.position[0] + 0.01, 0, d.placements[pid]!.position[2]] }));
    const u = last!;
    Y.applyUpdate(room, u);
    recordAuthorship(notes, { id: "bench", name: "Bench" }, u, "attribution");
  }
  const perMove = (Y.encodeStateAsUpdate(notes).byteLength - attributionBytes) / moveIds.length;

  // Version 2, rebuilt here as it was: records whole in their maps, read back as they are.
  const oldRoom = new Y.Doc();
  oldRoom.transact(() => {
    const meta = oldRoom.getMap("meta");
    for (const [k, v] of Object.entries({ type: doc.type, version: 2, id: doc.id, ...doc.meta })) if (v !== undefined) meta.set(k, v);
    for (const name of ["rooms", "items", "placements", "annotations", "lessonPlans"] as const) for (const [id, rec] of Object.entries(doc[name])) oldRoom.getMap(name).set(id, rec);
    for (const step of doc.tour) oldRoom.getMap("tourSteps").set(step.id, step);
    oldRoom.getArray("tourOrder").push(doc.tour.map((s) => s.id));
  });
  const oldPage = new Y.Doc();
  Y.applyUpdate(oldPage, Y.encodeStateAsUpdate(oldRoom));
  const record = { bytes: [] as number[], page: [] as number[], server: [] as number[] };
  let lastOld: Uint8Array | null = null;
  oldPage.on("update", (u: Uint8Array) => (lastOld = u));
  // As version 2's readExhibition did: the header's fields, each record map's entries, the tour in order.
  const readOld = () => ({
    meta: Object.fromEntries(oldPage.getMap("meta").entries()),
    ...Object.fromEntries(["rooms", "items", "placements", "annotations", "lessonPlans"].map((n) => [n, Object.fromEntries(oldPage.getMap(n).entries())])),
    tour: oldPage.getArray<string>("tourOrder").toArray().map((id) => oldPage.getMap("tourSteps").get(id)),
  });
  let snapshot = readOld() as unknown as Exhibition;
  for (const ch of words) {
    const t0 = performance.now();
    const next = setText(snapshot, target, "en", (snapshot.items.teapot!.description.en ?? "") + ch);
    oldPage.transact(() => oldPage.getMap("items").set("teapot", next.items.teapot));
    snapshot = readOld() as unknown as Exhibition;
    record.page.push((performance.now() - t0) * 1000);
    record.bytes.push(lastOld!.byteLength);
    // The server judged a record by its schema then as now (the record with its prose).
    const t1 = performance.now();
    judgeUpdate(oldRoom, curator, lastOld!);
    record.server.push((performance.now() - t1) * 1000);
    Y.applyUpdate(oldRoom, lastOld!);
  }
  const pair = (a: number[], b: number[], digits = 1) => {
    const t = +median(a).toFixed(digits);
    const r = +median(b).toFixed(digits);
    return { text: t, record: r, ratio: +(median(a) / median(b)).toFixed(3) };
  };
  return {
    docBytes,
    keystrokes: [...words].length,
    updateBytes: pair(text.bytes, record.bytes, 0),
    pageMicros: pair(text.page, record.page),
    serverMicros: pair(text.server, record.server),
    attribution: { micros: +median(text.attribution).toFixed(1), ofJudging: +(median(text.attribution) / median(text.server)).toFixed(3), docBytesAdded: attributionBytes, bytesPerMove: +perMove.toFixed(1) },
  };
}

export function typingTable(at: string, r: TypingResult): string {
  return [
    `Measured ${at.slice(0, 10)} on a ${(r.docBytes / 1e3).toFixed(0)} kB exhibition (the tea show with 100 more labelled objects), ${r.keystrokes} keystrokes typed at the end of one description (Latin and Chinese); medians, one process.`,
    "",
    "| per keystroke | texts as Y.Text (version 3) | whole record per edit (version 2 way, same run) | ratio |",
    "|---|---|---|---|",
    `| update sent to the server and co-writers | ${r.updateBytes.text} B | ${r.updateBytes.record} B | **${r.updateBytes.ratio}×** |`,
    `| page CPU: operation, write, next read of the document | ${r.pageMicros.text} µs | ${r.pageMicros.record} µs | **${r.pageMicros.ratio}×** |`,
    `| server CPU: judging the update | ${r.serverMicros.text} µs | ${r.serverMicros.record} µs | **${r.serverMicros.ratio}×** |`,
    "",
    `Review mode's attribution (the server noting who sent each update, after applying it): ${r.attribution.micros} µs per keystroke, **${r.attribution.ofJudging}×** the time to judge it; the notes (kept beside the show, never sent to pages) hold ${r.attribution.docBytesAdded} B after the ${r.keystrokes} keystrokes (one account, one client id: typing at the end deletes nothing, so nothing more is noted); moving an object rewrites its record, deleting the one before, and the note of that deletion adds ${r.attribution.bytesPerMove} B per move.`,
  ].join("\n");
}
