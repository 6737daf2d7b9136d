/**
 * Collaboration benchmark: edit-to-peer latency with 50 editors on loopback, for Atrium's sync
 * server (durable SQLite default, and in-memory storage) next to the unmodified reference
 * y-websocket server in the same run; and SQLite persistence throughput.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import * as Y from "yjs";
import { SqlitePersistence } from "../server/sync/sqlite-persistence";
import { freshSchema, REDIS_URL } from "../test/support/postgres";

const ROOT = resolve(import.meta.dirname, "..");
export const EDITORS = 50;
const EDITS_PER_SECOND_EACH = 4;
const MEASURE_MS = 8_000;
const WARM_UP_MS = 2_000;

export function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function startChild(script: string, args: string[]): Promise<{ port: number; proc: ChildProcess }> {
  const proc = spawn(process.execPath, ["--import", "tsx", join(ROOT, script), ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((ok, fail) => {
    proc.stdout!.once("data", (d: Buffer) => ok(JSON.parse(d.toString()).port));
    proc.once("exit", (code) => fail(new Error(`${script} exited with ${code}`)));
  });
  return { port, proc };
}

/**
 * A minimal y-websocket editor: moves placements (what a curator dragging objects sends most),
 * each new position's x being the send time; records arrival delays. The records are valid
 * exhibition placements, so Atrium's server runs its full write checks on every edit.
 */
export class Editor {
  readonly doc = new Y.Doc();
  readonly ws: WebSocket;
  synced = false;
  recording = false;
  constructor(url: string, latencies: number[]) {
    this.ws = new WebSocket(url);
    this.ws.binaryType = "arraybuffer";
    this.doc.getMap("placements").observe((event) => {
      if (!this.recording || !event.transaction.origin) return;
      const now = performance.now();
      for (const key of event.keysChanged) {
        const sent = (event.target as Y.Map<{ position: number[] }>).get(key)?.position[0];
        if (typeof sent === "number") latencies.push(now - sent);
      }
    });
    this.doc.on("update", (u: Uint8Array, origin: unknown) => {
      if (origin === "remote" || this.ws.readyState !== WebSocket.OPEN) return;
      this.ws.send(this.sync(2, u));
    });
    this.ws.on("open", () => this.ws.send(this.sync(0, Y.encodeStateVector(this.doc))));
    this.ws.on("message", (data: ArrayBuffer) => {
      const d = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(d) !== 0) return;
      const step = decoding.readVarUint(d);
      const payload = decoding.readVarUint8Array(d);
      if (step === 0) this.ws.send(this.sync(1, Y.encodeStateAsUpdate(this.doc, payload)));
      else {
        Y.applyUpdate(this.doc, payload, "remote");
        if (step === 1) this.synced = true;
      }
    });
  }
  private sync(step: number, payload: Uint8Array) {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, step);
    encoding.writeVarUint8Array(e, payload);
    return encoding.toUint8Array(e);
  }
  edit(key: string) {
    this.doc.getMap("placements").set(key, { room: "gallery", item: "bowl", position: [performance.now(), 0, 1.5], rotation: [0, 0, 0], scale: 1, mount: "floor" });
  }
}

/** The 50 editors, spread over `urls`, once every one has synced. */
export async function connectEditors(name: string, urls: string[], latencies: number[]): Promise<Editor[]> {
  const editors = Array.from({ length: EDITORS }, (_, i) => new Editor(urls[i % urls.length]!, latencies));
  const start = Date.now();
  while (!editors.every((e) => e.synced)) {
    if (Date.now() - start > 30_000) throw new Error(`${name}: editors did not sync`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return editors;
}

/**
 * Edits at `rate` per second for `ms`, the editors taking turns, paced against the clock (a late
 * edit is sent at once, not skipped); returns how many were sent.
 */
export async function driveEdits(editors: Editor[], rate: number, ms: number, prefix: string): Promise<number> {
  const interval = 1000 / rate;
  let n = 0;
  const until = performance.now() + ms;
  let next = performance.now();
  while (performance.now() < until) {
    editors[n % editors.length]!.edit(`${prefix}${n}`);
    n++;
    next += interval;
    const wait = next - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    else if (n % 10 === 0) await new Promise((r) => setImmediate(r));
  }
  return n;
}

async function latencyRun(name: string, urls: string[]) {
  const latencies: number[] = [];
  const editors = await connectEditors(name, urls, latencies);
  const drive = async (ms: number, prefix: string) => {
    const n = await driveEdits(editors, EDITORS * EDITS_PER_SECOND_EACH, ms, prefix);
    await new Promise((r) => setTimeout(r, 1500)); // drain
    return n;
  };
  // Warm-up, not recorded: JIT in client and server, so run order does not favour anyone.
  await drive(WARM_UP_MS, "w");
  for (const e of editors) e.recording = true;
  const n = await drive(MEASURE_MS, "k");
  for (const e of editors) e.ws.close();
  latencies.sort((a, b) => a - b);
  const expected = n * (EDITORS - 1);
  return {
    server: name,
    edits: n,
    deliveries: latencies.length,
    delivered: +(latencies.length / expected).toFixed(4),
    p50Ms: +quantile(latencies, 0.5).toFixed(2),
    p99Ms: +quantile(latencies, 0.99).toFixed(2),
  };
}

/**
 * SQLite persistence through the storage worker: durable appends one at a time (each awaited, as
 * a lone editor's edits are), the same appends 50 at a time in flight (as 50 editors' are: they
 * share commits), and loading them all back.
 */
async function persistenceThroughput() {
  const dir = mkdtempSync(join(tmpdir(), "atrium-bench-db-"));
  const p = new SqlitePersistence(join(dir, "t.sqlite"));
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < 3000; i++) doc.getMap("m").set(`key-${i % 200}`, { x: i, text: "a label edited by a curator" });
  await p.count("warm-up"); // the worker has started
  const t0 = performance.now();
  for (const u of updates) await p.appendMany("doc", [u]);
  const seconds = (performance.now() - t0) / 1000;
  const t2 = performance.now();
  for (let i = 0; i < updates.length; i += 50) await Promise.all(updates.slice(i, i + 50).map((u) => p.appendMany("doc2", [u])));
  const concurrentSeconds = (performance.now() - t2) / 1000;
  const t1 = performance.now();
  const loaded = await p.load("doc");
  const loadMs = performance.now() - t1;
  await p.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    updates: updates.length,
    meanUpdateBytes: Math.round(updates.reduce((a, u) => a + u.byteLength, 0) / updates.length),
    appendsPerSecond: Math.round(updates.length / seconds),
    appendsPerSecond50InFlight: Math.round(updates.length / concurrentSeconds),
    durability: "WAL, synchronous=FULL",
    loadAllMs: +loadMs.toFixed(1),
    loaded: loaded.length,
  };
}

/** Rounds per server; the order rotates each round so drifting machine load hits all alike. */
export const ROUNDS = 3;

/** A server under test: started fresh for each round, on one port or (scaled mode) several. */
export interface BenchServer {
  name: string;
  start(): Promise<{ urls: string[]; stop(): Promise<void> }>;
}

function oneProcess(name: string, script: string, args: string[] | (() => string[]), path: string): BenchServer {
  return {
    name,
    async start() {
      const child = await startChild(script, typeof args === "function" ? args() : args);
      return { urls: [`ws://127.0.0.1:${child.port}${path}`], stop: async () => void child.proc.kill("SIGKILL") };
    },
  };
}

/**
 * Atrium on PostgreSQL: `n` processes on one fresh schema, joined by one Redis when there are
 * several (the scaled mode); the editors are spread over them.
 */
export function onPostgres(name: string, n: number): BenchServer {
  return {
    name,
    async start() {
      const schema = await freshSchema("bench");
      const args = ["postgres", schema.url, "1000000", ...(n > 1 ? [REDIS_URL] : [])];
      // The first migrates the schema; the others find it done.
      const first = await startChild("test/support/sync-child.ts", args);
      const rest = await Promise.all(Array.from({ length: n - 1 }, () => startChild("test/support/sync-child.ts", args)));
      const children = [first, ...rest];
      return {
        urls: children.map((c) => `ws://127.0.0.1:${c.port}/sync/bench-doc`),
        stop: async () => {
          for (const c of children) c.proc.kill("SIGKILL");
          await new Promise((r) => setTimeout(r, 200));
          await schema.drop();
        },
      };
    },
  };
}

export async function runSyncBench() {
  const servers: BenchServer[] = [
    oneProcess("reference @y/websocket-server 0.1.1 (memory)", "bench/servers/reference.ts", [], "/bench-doc"),
    oneProcess("atrium (memory persistence)", "test/support/sync-child.ts", ["memory", "1000000"], "/sync/bench-doc"),
    oneProcess("atrium (SQLite, embedded default)", "test/support/sync-child.ts", () => ["sqlite", mkdtempSync(join(tmpdir(), "atrium-bench-")), "1000000"], "/sync/bench-doc"),
    onPostgres("atrium (PostgreSQL, 1 process)", 1),
    onPostgres("atrium (PostgreSQL + Redis, 3 processes, editors spread)", 3),
  ];
  const rounds = new Map<string, Awaited<ReturnType<typeof latencyRun>>[]>(servers.map(({ name }) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < servers.length; k++) {
      const server = servers[(k + round) % servers.length]!;
      const running = await server.start();
      try {
        console.log(`[bench] sync latency, round ${round + 1}: ${server.name}`);
        const r = await latencyRun(server.name, running.urls);
        rounds.get(server.name)!.push(r);
        console.log(`[bench]   ${JSON.stringify(r)}`);
      } finally {
        await running.stop();
      }
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const summary = servers.map(({ name }) => {
    const rs = rounds.get(name)!;
    const p50s = rs.map((r) => r.p50Ms);
    const p99s = rs.map((r) => r.p99Ms);
    return {
      server: name,
      edits: rs.reduce((a, r) => a + r.edits, 0),
      delivered: Math.min(...rs.map((r) => r.delivered)),
      p50Ms: med(p50s),
      p99Ms: med(p99s),
      p50RangeMs: [Math.min(...p50s), Math.max(...p50s)],
      p99RangeMs: [Math.min(...p99s), Math.max(...p99s)],
      rounds: rs,
    };
  });
  const ref = summary[0]!;
  return {
    editors: EDITORS,
    editsPerSecond: EDITORS * EDITS_PER_SECOND_EACH,
    measureSeconds: MEASURE_MS / 1000,
    rounds: ROUNDS,
    runs: summary.map((r) => ({ ...r, p50Ratio: +(r.p50Ms / ref.p50Ms).toFixed(2), p99Ratio: +(r.p99Ms / ref.p99Ms).toFixed(2) })),
    persistence: await persistenceThroughput(),
  };
}
