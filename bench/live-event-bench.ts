/**
 * Live-event benchmark (issue 18): 1,200 phones follow one guide, whose pose goes out at 10 Hz.
 * The audience is one class session with room for all of them. Measured with the audience on one
 * Atrium process (the baseline) and spread over three processes of the scaled mode (one
 * PostgreSQL, one Redis; the guide on the first process, the followers round-robin), in the same
 * run. The followers are Node WebSocket clients in this process, on the same 2 cores as the
 * servers, PostgreSQL and Redis: the figures are pessimistic for the servers.
 *
 * Reported: pose latency (guide send -> follower receive) p50/p99/max, payload bytes per follower
 * per second, and each server process's CPU (percent of one core).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import type { ClassInfo, JoinAnswer, ServerMessage } from "../src/shared/class-protocol";
import { RawClassClient } from "../test/support/class-clients";
import { freshSchema, REDIS_URL } from "../test/support/postgres";

const ROOT = resolve(import.meta.dirname, "..");
const FOLLOWERS = 1200;
const GUIDE_HZ = 10;
const WARM_UP_MS = 3_000;
const MEASURE_MS = 10_000;

export interface LiveEventRun {
  processes: number;
  followers: number;
  guideHz: number;
  seconds: number;
  /** Poses each follower should have received in the window, and the share that arrived. */
  delivered: number;
  latencyMs: { p50: number; p99: number; max: number };
  bytesPerFollowerPerSecond: number;
  /** CPU of each server process in the window, percent of one core. */
  serverCpuPercent: number[];
  /** This process's CPU (the 1,200 simulated followers), percent of one core. */
  clientCpuPercent: number;
}

export interface LiveEventResult {
  single: LiveEventRun;
  scaled: LiveEventRun;
  ratios: { p50: number; p99: number };
}

interface Child {
  port: number;
  proc: ChildProcess;
}

async function startChild(args: string[]): Promise<Child> {
  const proc = spawn(process.execPath, ["--import", "tsx", join(ROOT, "test/support/sync-child.ts"), ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, ATRIUM_TEST_CLASS_MAX: String(FOLLOWERS + 10) },
  });
  const port = await new Promise<number>((ok, fail) => {
    proc.stdout!.once("data", (d: Buffer) => ok(JSON.parse(d.toString()).port));
    proc.once("exit", (code) => fail(new Error(`server exited with ${code}`)));
  });
  return { port, proc };
}

/** CPU seconds a process has used (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
}

async function pool<T>(items: T[], n: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await task(items[next++]!);
  }));
}

async function post(url: string, body: unknown, cookie = ""): Promise<{ status: number; body: unknown; cookie: string }> {
  const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json", origin: new URL(url).origin, ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json(), cookie: (r.headers.get("set-cookie") ?? "").split(";")[0]! };
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;

async function run(processCount: number): Promise<LiveEventRun> {
  const schema = await freshSchema("live_event");
  const children: Child[] = [];
  const clients: RawClassClient[] = [];
  let timer: NodeJS.Timeout | null = null;
  try {
    children.push(await startChild(["postgres", schema.url, "1000000", ...(processCount > 1 ? [REDIS_URL] : [])]));
    for (let i = 1; i < processCount; i++) children.push(await startChild(["postgres", schema.url, "1000000", REDIS_URL]));
    const http = (i: number) => `http://127.0.0.1:${children[i % children.length]!.port}`;
    const ws = (i: number) => `ws://127.0.0.1:${children[i % children.length]!.port}`;
    const guide = await post(`${http(0)}/api/accounts`, { email: "guide@museum.test", name: "Guide", password: "a long enough password" });
    const info = (await post(`${http(0)}/api/classes`, { exhibition: "tea-and-its-vessels" }, guide.cookie)).body as ClassInfo;
    const seats: { i: number; answer: JoinAnswer }[] = [];
    await pool(
      Array.from({ length: FOLLOWERS }, (_, i) => i),
      16,
      async (i) => {
        const r = await post(`${http(i)}/api/classes/join`, { code: info.code, nickname: `Visitor ${i}` });
        if (r.status !== 201) throw new Error(`join failed: ${JSON.stringify(r.body)}`);
        seats.push({ i, answer: r.body as JoinAnswer });
      },
    );
    const sent = new Float64Array(4096);
    const latencies: number[] = [];
    let bytes = 0;
    let recording = false;
    let poses = 0;
    await pool(seats, 32, async ({ i, answer }) => {
      const client = await RawClassClient.open(ws(i), info.id, { seat: answer.token }, false);
      client.onMessage = (m: ServerMessage, size: number) => {
        if (!recording) return;
        bytes += size;
        if (m.t === "pose") latencies.push(performance.now() - sent[m.pose.p[0] % 4096]!);
      };
      clients.push(client);
    });
    const teacher = await RawClassClient.open(ws(0), info.id, { cookie: guide.cookie }, false);
    clients.push(teacher);
    let seq = 0;
    timer = setInterval(() => {
      seq++;
      sent[seq % 4096] = performance.now();
      if (recording) poses++;
      teacher.send({ t: "pose", pose: { room: "bowls", p: [seq, 1.6, 0.5], q: [0, 0.3827, 0, 0.9239] } });
    }, 1000 / GUIDE_HZ);
    await new Promise((r) => setTimeout(r, WARM_UP_MS));
    const cpu0 = children.map((c) => cpuSeconds(c.proc.pid!));
    const client0 = process.cpuUsage();
    const t0 = performance.now();
    recording = true;
    await new Promise((r) => setTimeout(r, MEASURE_MS));
    recording = false;
    const seconds = (performance.now() - t0) / 1000;
    const cpu1 = children.map((c) => cpuSeconds(c.proc.pid!));
    const client = process.cpuUsage(client0);
    await new Promise((r) => setTimeout(r, 500)); // poses in flight are still counted
    latencies.sort((a, b) => a - b);
    return {
      processes: processCount,
      followers: FOLLOWERS,
      guideHz: GUIDE_HZ,
      seconds: round(seconds, 1),
      delivered: round(latencies.length / Math.max(1, poses * FOLLOWERS), 4),
      latencyMs: { p50: round(quantile(latencies, 0.5)), p99: round(quantile(latencies, 0.99)), max: round(latencies.at(-1) ?? 0) },
      bytesPerFollowerPerSecond: Math.round(bytes / FOLLOWERS / seconds),
      serverCpuPercent: cpu1.map((c, i) => round(((c - cpu0[i]!) / seconds) * 100, 1)),
      clientCpuPercent: round(((client.user + client.system) / 1e6 / seconds) * 100, 1),
    };
  } finally {
    if (timer) clearInterval(timer);
    for (const c of clients) c.ws.terminate();
    for (const c of children) c.proc.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 300));
    await schema.drop();
  }
}

export async function runLiveEventBench(): Promise<LiveEventResult> {
  console.log(`[bench] live event: ${FOLLOWERS} followers on one process`);
  const single = await run(1);
  console.log(`[bench]   ${JSON.stringify(single)}`);
  console.log(`[bench] live event: ${FOLLOWERS} followers over three processes (PostgreSQL + Redis)`);
  const scaled = await run(3);
  console.log(`[bench]   ${JSON.stringify(scaled)}`);
  return { single, scaled, ratios: { p50: round(scaled.latencyMs.p50 / single.latencyMs.p50), p99: round(scaled.latencyMs.p99 / single.latencyMs.p99) } };
}

export function liveEventTable(generated: string, m: Record<string, unknown>, r: LiveEventResult): string {
  const row = (name: string, x: LiveEventRun) =>
    `| ${name} | ${x.followers.toLocaleString("en")} | ${(x.delivered * 100).toFixed(2)} % | ${x.latencyMs.p50} ms | ${x.latencyMs.p99} ms | ${x.latencyMs.max} ms | ${x.bytesPerFollowerPerSecond} B/s | ${x.serverCpuPercent.map((c) => `${c} %`).join(" + ")} | ${x.clientCpuPercent} % |`;
  return [
    `Measured ${generated.slice(0, 10)} on ${m.cpus} × ${m.cpuModel}, Node ${m.node}: one guide's pose at ${r.single.guideHz} Hz to ${r.single.followers.toLocaleString("en")} followers (one class session), ${r.single.seconds} s measured after a 3 s warm-up. The followers are WebSocket clients on the same machine as the servers, PostgreSQL and Redis.`,
    "",
    "| audience on | followers | delivered | p50 | p99 | max | bytes per follower | server CPU (each process, % of a core) | followers' CPU |",
    "|---|---|---|---|---|---|---|---|---|",
    row("one process", r.single),
    row("three processes (PostgreSQL + Redis)", r.scaled),
    "",
    `Spread over three processes: p50 **${r.ratios.p50}×** and p99 **${r.ratios.p99}×** the single process's in the same run.`,
  ].join("\n");
}
