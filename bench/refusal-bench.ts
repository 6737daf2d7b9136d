/**
 * What judging one sync message costs the server, on a 1.5 MB exhibition (`bigShow`), next to
 * what the server did before (issue 16): a reader's delete-only update was tried on a copy of the
 * whole document. Both run here, in one process, on the same messages; the ratio is the figure.
 */
import { performance } from "node:perf_hooks";
import * as Y from "yjs";
import { writeExhibition } from "../src/shared/collab/exhibition-ydoc";
import { ExhibitionStore } from "../src/collab/exhibition-store";
import { movePlacement } from "../src/shared/exhibition";
import { DeleteIndex } from "../server/sync/update-shape";
import { judgeUpdate } from "../server/sync/write-policy";
import { deleteOnlyUpdate } from "../test/support/hostile";
import { bigShow } from "../test/support/big-show";

/** The former check: does a reader's update change anything? Tried on a copy of the document. */
function changesNothingByCopy(doc: Y.Doc, update: Uint8Array): boolean {
  const missing = Y.decodeUpdate(Y.diffUpdate(update, Y.encodeStateVector(doc)));
  if (missing.structs.length > 0) return false;
  if (missing.ds.clients.size === 0) return true;
  const copy = new Y.Doc({ gc: false });
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  let changed = false;
  copy.on("update", () => (changed = true));
  Y.applyUpdate(copy, update);
  copy.destroy();
  return !changed;
}

/** Median microseconds of `fn` over `n` runs (after two unmeasured). */
function time(n: number, fn: () => void): number {
  fn();
  fn();
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    xs.push((performance.now() - t) * 1000);
  }
  xs.sort((a, b) => a - b);
  return xs[Math.floor(n / 2)]!;
}

export interface RefusalResult {
  docBytes: number;
  cases: { message: string; bytes: number; verdict: string; beforeMicros: number | null; nowMicros: number; ratio: number | null }[];
}

export function runRefusalBench(): RefusalResult {
  const room = new Y.Doc();
  writeExhibition(room, bigShow());
  // A document with some history: 200 edits, some of them deletions, as a co-edited show has.
  const editor = new Y.Doc();
  Y.applyUpdate(editor, Y.encodeStateAsUpdate(room));
  const store = new ExhibitionStore(editor);
  editor.on("update", (u: Uint8Array) => Y.applyUpdate(room, u));
  for (let i = 0; i < 200; i++) store.apply((d) => movePlacement(d, Object.keys(d.placements)[i % 3]!, { position: [i % 5, 0, 1] }));
  const deletes = new DeleteIndex(room);
  const viewer = { role: "viewer" as const, user: null, museums: [] };
  const curator = { role: "curator" as const, user: "bench", museums: [] };
  const clients = [...Y.decodeStateVector(Y.encodeStateVector(room)).keys()];

  const hostile = deleteOnlyUpdate([[987_654_321, 0, 1]]);
  // What the stock client sends back when it joins: nothing new, and the whole delete set.
  const echo = Y.encodeStateAsUpdate(room, Y.encodeStateVector(room));
  const wipe = deleteOnlyUpdate(clients.map((c) => [c, 0, 1_000_000]));
  const updates: Uint8Array[] = [];
  const probe = new Y.Doc();
  Y.applyUpdate(probe, Y.encodeStateAsUpdate(room));
  const probeStore = new ExhibitionStore(probe);
  probe.on("update", (u: Uint8Array) => updates.push(u));
  probeStore.apply((d) => movePlacement(d, Object.keys(d.placements)[0]!, { position: [2, 0, 2] }));
  const move = updates[0]!;

  const cases: RefusalResult["cases"] = [];
  const add = (message: string, update: Uint8Array, who: typeof viewer | typeof curator, before: (() => void) | null, n = 50) => {
    const verdict = judgeUpdate(room, who, update, deletes);
    const nowMicros = time(n * 10, () => judgeUpdate(room, who, update, deletes));
    const beforeMicros = before ? time(n, before) : null;
    cases.push({ message, bytes: update.byteLength, verdict: verdict.action, beforeMicros: beforeMicros && +beforeMicros.toFixed(1), nowMicros: +nowMicros.toFixed(1), ratio: beforeMicros ? +(nowMicros / beforeMicros).toFixed(5) : null });
  };
  add("a visitor deletes content nobody has (the flood's message)", hostile, viewer, () => changesNothingByCopy(room, hostile), 20);
  add("a visitor deletes everything the show holds", wipe, viewer, () => changesNothingByCopy(room, wipe), 20);
  add("a visitor's client joins: its echo of the document", echo, viewer, () => changesNothingByCopy(room, echo), 20);
  // Before, a curator's update in a show without locks was applied unchecked: no baseline.
  add("a curator moves an object (layout, schema and permissions checked)", move, curator, null);
  return { docBytes: Y.encodeStateAsUpdate(room).byteLength, cases };
}

export function refusalTable(at: string, r: RefusalResult): string {
  const rows = r.cases.map((c) => `| ${c.message} | ${c.bytes} B | ${c.verdict} | ${c.beforeMicros === null ? "—" : `${c.beforeMicros.toLocaleString("en")} µs`} | ${c.nowMicros.toLocaleString("en")} µs | ${c.ratio === null ? "—" : `**${c.ratio}×**`} |`);
  return [
    `Measured ${at.slice(0, 10)} on a ${(r.docBytes / 1e6).toFixed(2)} MB exhibition with 200 edits of history; medians, one process.`,
    "",
    "| message | size | verdict | before (copy of the document) | now (read from its structure) | now / before |",
    "|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}
