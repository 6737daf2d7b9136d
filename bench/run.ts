/**
 * `npm run bench`: for each sample exhibition's first room, in headless Chromium (SwiftShader):
 * draw calls, triangles, textures, bytes downloaded, and the median CPU frame time over 120
 * frames, next to a bare three.js page drawing the same models (bench/bare.ts). The ratio is the
 * figure that matters: absolute times depend on the machine. Writes bench/results.json and the
 * table in BENCHMARKS.md.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import type { Page } from "playwright-core";
import sirv from "sirv";
import { build } from "vite";
import { roomsInOrder } from "../src/shared/exhibition";
import { chooseTier } from "../src/shared/exhibition/tiers";
import { assetsTable, runAssetsBench, type AssetResult } from "./assets-bench";
import { bundleTable, runBundleBench, type BundleRoute } from "./bundle-bench";
import { mocapTable, runMocapBench, type MocapResult } from "./mocap-bench";
import { runXRBench, sampleExhibitions, xrTable, type XRResult } from "./xr-bench";
import { arrivalPose } from "../src/viewer/room-layout";
import { EYE_HEIGHT } from "../src/viewer/walk-physics";
import { finishBuild } from "../scripts/finish-build";
import { runSyncBench } from "./sync-bench";
import { runScalingBench, type ScalingResult } from "./scaling-bench";
import { LINK, runFirstRoomBench, type FirstRoomResult } from "./first-room-bench";
import { liveEventTable, runLiveEventBench, type LiveEventResult } from "./live-event-bench";
import { refusalTable, runRefusalBench, type RefusalResult } from "./refusal-bench";
import { runTypingBench, typingTable, type TypingResult } from "./typing-bench";
import { runRestBench, restTable, type RestResult } from "./rest-bench";
import { classTable, runClassBench, type ClassBenchResult } from "./class-bench";
import { runStatsBench, statsTable, type StatsBenchResult } from "./stats-bench";
import { launchChromium } from "../test/support/browser";
import { createAtriumServer } from "../server/http-app";
import { MemoryPersistence } from "../server/sync/persistence";
import { AccountStore } from "../server/accounts/account-store";
import { ROOT } from "../test/support/server";

const FRAMES = 120;
const WARM_UP = 10;
// Small on purpose: on SwiftShader the GPU process's fill cost sets the frame rate, while the
// figure measured here is main-thread CPU time, which does not depend on the viewport size.
const VIEWPORT = { width: 960, height: 540 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function listen(inner: Server) {
  // Cross-origin isolation lifts Chromium's 100 µs coarsening of performance.now() to 5 µs,
  // which frame times of about a millisecond need. Everything here is same-origin.
  const server = createServer((req, res) => {
    res.setHeader("cross-origin-opener-policy", "same-origin");
    res.setHeader("cross-origin-embedder-policy", "require-corp");
    inner.emit("request", req, res);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

/** The baseline page and the same model files, served plainly. */
function bareServer(): Server {
  const page = sirv(join(ROOT, "dist-bench"), { dev: false });
  const models = sirv(join(ROOT, "models"), { dev: false });
  return createServer((req, res) => {
    const notFound = () => {
      res.statusCode = 404;
      res.end();
    };
    if (req.url?.startsWith("/models/")) {
      req.url = req.url.slice("/models".length);
      return models(req, res, notFound);
    }
    return page(req, res, notFound);
  });
}

/** Bytes the page fetched (response bodies as transferred), from the Resource Timing API. */
const bytesDownloaded = (page: Page) =>
  page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .concat(performance.getEntriesByType("navigation"))
      .reduce((sum, e) => sum + ((e as PerformanceResourceTiming).encodedBodySize || 0), 0),
  );

async function collectFrames(page: Page, fn: "atrium" | "bare"): Promise<number[]> {
  await page.waitForFunction(
    ([n, f]) => ((f === "atrium" ? window.atrium : (window as unknown as { bare: { frameTimes(): number[] } }).bare)?.frameTimes().length ?? 0) >= n,
    [FRAMES + WARM_UP, fn] as const,
    { timeout: 600_000, polling: 500 },
  );
  const all = await page.evaluate((f) => (f === "atrium" ? window.atrium! : (window as unknown as { bare: { frameTimes(): number[] } }).bare).frameTimes(), fn);
  console.log(`[bench]   ${fn}: ${all.length} frames`);
  return all.slice(-FRAMES); // drop the first frames (shader compilation, uploads)
}

/** The built app served as `npm start` serves it, then the first rooms timed over a throttled link. */
async function firstRoomBench(): Promise<FirstRoomResult[]> {
  console.log("[bench] building app for the first-room timing");
  await build({ root: ROOT, logLevel: "warn" });
  finishBuild(ROOT);
  // Served directly (HTTP and the sync WebSocket on one port), as a visitor reaches a site.
  const app = await createAtriumServer({ distDir: join(ROOT, "dist"), modelsDir: join(ROOT, "models"), exhibitionsDir: join(ROOT, "exhibitions"), persistence: new MemoryPersistence(), accounts: new AccountStore(":memory:"), log: () => {} });
  await new Promise<void>((ok) => app.server.listen(0, "127.0.0.1", ok));
  // Bytes on the wire, counted where they leave: what the page, the service worker and the sync
  // socket received (the browser's own counters miss what a service worker fetches).
  let closedBytes = 0;
  const open = new Set<import("node:net").Socket>();
  app.server.on("connection", (socket: import("node:net").Socket) => {
    open.add(socket);
    socket.on("close", () => {
      closedBytes += socket.bytesWritten;
      open.delete(socket);
    });
  });
  const bytesSent = () => closedBytes + [...open].reduce((n, s) => n + s.bytesWritten, 0);
  try {
    return await runFirstRoomBench(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`, ["tea-and-its-vessels", "bone-and-clay", "large-show"], bytesSent);
  } finally {
    void app.sync.close();
    app.stop();
    app.server.closeAllConnections();
    app.server.close();
  }
}

async function main() {
  const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
  const previous = existsSync(join(ROOT, "bench/results.json")) ? JSON.parse(readFileSync(join(ROOT, "bench/results.json"), "utf8")) : {};
  const wants = (part: string) => only === undefined || only === part;
  const visitor = wants("visitor") ? await visitorBench() : (previous.visitor ?? null);
  const sync = wants("sync") ? await runSyncBench() : (previous.sync ?? null);
  if (wants("assets")) console.log("[bench] asset tiers");
  const assets = wants("assets") ? await runAssetsBench(ROOT) : (previous.assets ?? null);
  if (wants("mocap")) console.log("[bench] motion capture");
  const mocap = wants("mocap") ? await runMocapBench(ROOT) : (previous.mocap ?? null);
  const xr = wants("xr") ? await xrBench() : (previous.xr ?? null);
  const classes = wants("classes") ? await runClassBench() : (previous.classes ?? null);
  if (wants("refusals")) console.log("[bench] judging sync messages");
  const refusals = wants("refusals") ? runRefusalBench() : (previous.refusals ?? null);
  if (wants("typing")) console.log("[bench] co-writing: one typed character");
  const typing = wants("typing") ? runTypingBench() : (previous.typing ?? null);
  const live = wants("live") ? await runLiveEventBench() : (previous.live ?? null);
  const scaling = wants("scaling") ? await runScalingBench() : (previous.scaling ?? null);
  const firstroom = wants("firstroom") ? await firstRoomBench() : (previous.firstroom ?? null);
  const bundle = wants("bundle") ? await bundleBench() : (previous.bundle ?? null);
  const stats = wants("stats") ? await runStatsBench(ROOT) : (previous.stats ?? null);
  const rest = wants("rest") ? await runRestBench() : (previous.rest ?? null);
  // When each part was measured: a part carried over from the last run keeps its own date.
  const now = new Date().toISOString();
  const parts = ["visitor", "sync", "assets", "mocap", "xr", "classes", "refusals", "typing", "live", "scaling", "firstroom", "bundle", "stats", "rest"] as const;
  const measured = Object.fromEntries(parts.map((p) => [p, wants(p) ? now : (previous.measured?.[p] ?? previous.generated ?? now)])) as Record<(typeof parts)[number], string>;
  const report = { generated: now, measured, machine: machine(visitor?.machine?.chromium ?? "n/a"), visitor, sync, assets, mocap, xr, classes, refusals, typing, live, scaling, firstroom, bundle, stats, rest };
  writeFileSync(join(ROOT, "bench/results.json"), JSON.stringify(report, null, 2) + "\n");
  writeBenchmarksMd(report);
  console.log("[bench] wrote bench/results.json and BENCHMARKS.md");
}

function machine(chromium: string) {
  return { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? "", memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, chromium, renderer: "SwiftShader (software WebGL)" };
}

/** Every sample room in an emulated headset (see xr-bench.ts). */
async function xrBench(): Promise<XRResult[]> {
  console.log("[bench] building app for the headset rooms");
  await build({ root: ROOT, logLevel: "warn" });
  finishBuild(ROOT);
  const app = await listen((await createAtriumServer({ distDir: join(ROOT, "dist"), modelsDir: join(ROOT, "models"), exhibitionsDir: join(ROOT, "exhibitions"), persistence: new MemoryPersistence(), accounts: new AccountStore(":memory:"), log: () => {} })).server);
  const browser = await launchChromium();
  try {
    return await runXRBench(ROOT, browser, app.url);
  } finally {
    await browser.close();
    app.server.close();
  }
}

/** JavaScript per route, from a fresh production build. */
async function bundleBench(): Promise<BundleRoute[]> {
  console.log("[bench] JavaScript per route");
  await build({ root: ROOT, logLevel: "warn" });
  finishBuild(ROOT);
  return runBundleBench(join(ROOT, "dist"));
}

async function visitorBench() {
  console.log("[bench] building app and baseline page");
  await build({ root: ROOT, logLevel: "warn" });
  finishBuild(ROOT);
  await build({ root: ROOT, logLevel: "warn", build: { outDir: join(ROOT, "dist-bench"), emptyOutDir: true, rollupOptions: { input: join(ROOT, "bench/bare.html") } } });
  const app = await listen((await createAtriumServer({ distDir: join(ROOT, "dist"), modelsDir: join(ROOT, "models"), exhibitionsDir: join(ROOT, "exhibitions"), persistence: new MemoryPersistence(), accounts: new AccountStore(":memory:"), log: () => {} })).server);
  const bare = await listen(bareServer());
  const browser = await launchChromium();
  const chromiumVersion = browser.version();
  const docs = sampleExhibitions(ROOT);

  const results = [];
  for (const doc of docs) {
    const [roomId, room] = roomsInOrder(doc)[0]!;
    console.log(`[bench] ${doc.id} / ${roomId}`);
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(`${app.url}/visit/${doc.id}?bench=1&lang=en`);
    await page.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 300_000 });
    const atriumFrames = await collectFrames(page, "atrium");
    const stats = await page.evaluate(() => window.atrium!.stats());
    const bytes = await bytesDownloaded(page);
    await page.close();

    const pose = arrivalPose(room, null);
    const spec = {
      models: Object.values(doc.placements)
        .filter((p) => p.room === roomId)
        .flatMap((p) => {
          const item = doc.items[p.item]!;
          if (item.asset.kind !== "model") return [];
          return {
            url: chooseTier(item.asset, "auto"),
            position: [p.position[0], p.mount === "plinth" ? p.plinth!.height : p.position[1], p.position[2]],
            rotationY: p.rotation[1],
            scale: p.scale / item.asset.unitsPerMeter,
          };
        }),
      camera: { position: [pose.x, EYE_HEIGHT, pose.z], yaw: pose.yaw, pitch: -0.08 },
    };
    const barePage = await browser.newPage({ viewport: VIEWPORT });
    await barePage.goto(`${bare.url}/bench/bare.html?scene=${encodeURIComponent(JSON.stringify(spec))}`);
    await barePage.waitForFunction(() => document.body.dataset.bareReady === "true", null, { timeout: 300_000 });
    const bareFrames = await collectFrames(barePage, "bare");
    const bareStats = await barePage.evaluate(() => (window as unknown as { bare: { stats(): { drawCalls: number; triangles: number; textures: number } } }).bare.stats());
    const bareBytes = await bytesDownloaded(barePage);
    await barePage.close();

    const atriumMs = median(atriumFrames);
    const bareMs = median(bareFrames);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const isolated = await browser.newPage().then(async (p) => {
      await p.goto(`${app.url}/api/health`);
      const v = await p.evaluate(() => crossOriginIsolated);
      await p.close();
      return v;
    });
    results.push({
      exhibition: doc.id,
      room: roomId,
      artefacts: stats.artefacts,
      drawCalls: stats.drawCalls,
      triangles: stats.triangles,
      textures: stats.textures,
      bytesDownloaded: bytes,
      frameCpuMs: {
        atriumMedian: +atriumMs.toFixed(3),
        bareMedian: +bareMs.toFixed(3),
        ratio: +(atriumMs / bareMs).toFixed(2),
        atriumMean: +mean(atriumFrames).toFixed(3),
        bareMean: +mean(bareFrames).toFixed(3),
        timerPrecise: isolated,
      },
      bare: { ...bareStats, bytesDownloaded: bareBytes },
      questBudget: { drawCalls: stats.drawCalls <= 100, triangles: stats.triangles <= 400_000 },
    });
    console.log(`[bench]   ${JSON.stringify(results.at(-1))}`);
  }
  await browser.close();
  app.server.close();
  bare.server.close();
  return {
    machine: machine(chromiumVersion),
    method: `median CPU time of ${FRAMES} frames (after ${WARM_UP} warm-up frames) from the first frame callback to the end of renderer.render, viewport ${VIEWPORT.width}x${VIEWPORT.height}; baseline: bench/bare.ts drawing the same models`,
    exhibitions: results,
  };
}

function replaceSection(md: string, name: string, body: string): string {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${body}\n${end}`;
  return md.includes(start) ? md.replace(new RegExp(`${start}[\\s\\S]*${end}`), () => block) : `${md}\n${block}\n`;
}

function writeBenchmarksMd(report: { measured: Record<string, string>; machine: Record<string, any>; visitor: any; sync: any; assets: AssetResult[] | null; mocap: MocapResult[] | null; xr: XRResult[] | null; classes: ClassBenchResult | null; refusals: RefusalResult | null; typing: TypingResult | null; live: LiveEventResult | null; scaling: Awaited<ReturnType<typeof runScalingBench>> | null; firstroom: FirstRoomResult[] | null; bundle: BundleRoute[] | null; stats: StatsBenchResult | null; rest: RestResult | null }) {
  const path = join(ROOT, "BENCHMARKS.md");
  let md = readFileSync(path, "utf8");
  const at = report.measured;
  if (report.visitor) md = replaceSection(md, "table", visitorTable(at.visitor!, report.visitor));
  if (report.sync) md = replaceSection(md, "sync", syncTable(at.sync!, report.machine, report.sync));
  if (report.scaling) md = replaceSection(md, "scaling", scalingTable(at.scaling!, report.machine, report.scaling));
  if (report.firstroom) md = replaceSection(md, "firstroom", firstRoomTable(at.firstroom!, report.machine, report.firstroom));
  if (report.assets) md = replaceSection(md, "assets", assetsTable(at.assets!, report.assets));
  if (report.mocap) md = replaceSection(md, "mocap", mocapTable(at.mocap!, report.mocap));
  if (report.xr) md = replaceSection(md, "xr", xrTable(at.xr!, report.xr));
  if (report.classes) md = replaceSection(md, "classes", classesSection(at.classes!, report.machine, report.classes));
  if (report.refusals) md = replaceSection(md, "refusals", refusalTable(at.refusals!, report.refusals));
  if (report.typing) md = replaceSection(md, "typing", typingTable(at.typing!, report.typing));
  if (report.live) md = replaceSection(md, "live", liveEventTable(at.live!, report.machine, report.live));
  if (report.bundle) md = replaceSection(md, "bundle", bundleTable(at.bundle!, report.bundle));
  if (report.stats) md = replaceSection(md, "stats", statsTable(at.stats!, report.stats));
  if (report.rest) md = replaceSection(md, "rest", restTable(at.rest!, report.machine, report.rest));
  writeFileSync(path, md);
}

const range = (v: number[]) => `${Math.min(...v)}–${Math.max(...v)}`;

function classesSection(generated: string, m: Record<string, any>, r: ClassBenchResult): string {
  return [
    `Measured ${generated.slice(0, 10)} on ${m.cpus} × ${m.cpuModel}, Node ${m.node}. The server runs in its own process; the simulated teachers and students (Node WebSocket clients) share the same ${m.cpus} cores. Teacher pose at ${r.load.teacherHz} Hz; students send a status every 5 s; where a class's roster map is open its students report where they are at 1 Hz (to the teacher only). ${r.load.seconds} s measured after a 2 s warm-up.`,
    "",
    classTable(r),
    "",
    `- **${r.load.classes} classes × ${r.load.studentsPerClass} students on one process**: fan-out p50 / p99 ${r.load.latencyMs.p50} / ${r.load.latencyMs.p99} ms against ${r.baseline.latencyMs.p50} / ${r.baseline.latencyMs.p99} ms for a single class (**${r.ratios.loadP99OverBaseline}×** the p99); a single class's p99 alone ranged ${range(r.roundsP99.channel)} ms over ${r.roundsP99.channel.length} rounds${r.load.latencyMs.p99 <= Math.max(...r.roundsP99.channel) ? ", so the load's p99 is within what one class shows by itself" : ""}. The server used ${r.load.serverCpuPercent} % of one core: ${r.load.serverCpuMicrosPerClientSecond} µs of CPU per client per second, **${r.ratios.loadCpuPerClientOverBaseline}×** a single class's per client, and ${r.load.serverKiBPerClient} KiB per connected client. The client process used ${r.load.clientCpuPercent} % of a core on the same machine.`,
    `- **Bytes per student**: ${r.baseline.wireBytesPerStudentPerSecond} B/s with the teacher moving continuously at 10 Hz: a class of 40 takes ${(r.baseline.schoolLinkShare * 100).toFixed(2)} % of a 10 Mbit/s school link.`,
    ...(r.classrooms?.commandLatencyMs
      ? [
          `- **One teacher, ${r.classrooms.classrooms} classrooms × ${r.classrooms.studentsPerClass} students** (one class, ${r.classrooms.classrooms} join codes, ${(r.classrooms.classrooms ?? 1) * r.classrooms.studentsPerClass} students): pose fan-out p50 / p99 ${r.classrooms.latencyMs.p50} / ${r.classrooms.latencyMs.p99} ms, **${r.ratios.classroomsP99OverBaseline}×** a single class of ${r.baseline.studentsPerClass}'s p99; ${r.classrooms.wireBytesPerStudentPerSecond} B/s per student (**${r.ratios.classroomsBytesOverBaseline}×** the single class's: each student gets the poses and only their own classroom's state). A command to one classroom (2 a second, in turn: "gather" with \`to\`) reached that classroom's students in p50 / p99 ${r.classrooms.commandLatencyMs.p50} / ${r.classrooms.commandLatencyMs.p99} ms; the server serialises the state once per classroom, not once per student, and sends nothing to a classroom whose view a command left unchanged. Server: ${r.classrooms.serverCpuPercent} % of one core, ${r.classrooms.serverCpuMicrosPerClientSecond} µs per client per second.`,
        ]
      : []),
    `- **Class channel vs Yjs awareness** (one class of 40, same run): awareness costs **${r.ratios.awarenessBytesOverChannel}×** the bytes per student (every student's state goes to every student); its p99 ranged ${range(r.roundsP99.awareness)} ms over the rounds against ${range(r.roundsP99.channel)} ms for the channel.`,
  ].join("\n");
}

function syncTable(generated: string, m: Record<string, any>, sync: any): string {
  const rows = sync.runs.map(
    (r: any) =>
      `| ${r.server} | ${r.edits} | ${(r.delivered * 100).toFixed(2)} % | ${r.p50Ms} ms (${r.p50RangeMs[0]}–${r.p50RangeMs[1]}) | ${r.p99Ms} ms (${r.p99RangeMs[0]}–${r.p99RangeMs[1]}) | **${r.p50Ratio}×** | **${r.p99Ratio}×** |`,
  );
  const p = sync.persistence;
  return [
    `Measured ${generated.slice(0, 10)} on ${m.cpus} × ${m.cpuModel}, Node ${m.node}: ${sync.editors} editors, ${sync.editsPerSecond} edits/s in all, ${sync.rounds} rounds of ${sync.measureSeconds} s per server in rotating order; each edit delivered to the ${sync.editors - 1} other editors. Latencies are the median of the rounds, with the range across rounds in brackets.`,
    "",
    "| server | edits (all rounds) | delivered | p50 edit-to-peer | p99 edit-to-peer | p50 vs reference | p99 vs reference |",
    "|---|---|---|---|---|---|---|",
    ...rows,
    "",
    `SQLite persistence through its worker thread (${p.durability}): **${p.appendsPerSecond.toLocaleString("en")} appends/s** of ${p.meanUpdateBytes}-byte updates one at a time, each durable before the next is asked for; **${(p.appendsPerSecond50InFlight ?? 0).toLocaleString("en")} appends/s** with 50 in flight (they share commits); loading ${p.loaded.toLocaleString("en")} stored updates takes ${p.loadAllMs} ms.`,
  ].join("\n");
}

function visitorTable(generated: string, report: { machine: Record<string, unknown>; exhibitions: Array<Record<string, any>> }): string {
  const rows = report.exhibitions.map(
    (r) =>
      `| ${r.exhibition} / ${r.room} | ${r.artefacts} | ${r.drawCalls} (bare ${r.bare.drawCalls}) | ${r.triangles.toLocaleString("en")} | ${r.textures} | ${(r.bytesDownloaded / 1024 / 1024).toFixed(2)} MB | ${r.frameCpuMs.atriumMedian} ms | ${r.frameCpuMs.bareMedian} ms | **${r.frameCpuMs.ratio}×** |`,
  );
  return [
    `Measured ${generated.slice(0, 10)} on ${report.machine.cpus} × ${report.machine.cpuModel}, Node ${report.machine.node}, Chromium ${report.machine.chromium}, ${report.machine.renderer}.`,
    "",
    "| exhibition / first room | artefacts | draw calls | triangles | textures | bytes downloaded | Atrium frame CPU (median) | bare three.js (median) | ratio |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

await main();

function scalingTable(generated: string, m: Record<string, any>, r: { cores: number; editors: number; stepSeconds: number; sustainedP99Ms: number; runs: ScalingResult[] }): string {
  const rows = r.runs.flatMap((run) =>
    run.steps.map(
      (s, i) =>
        `| ${i === 0 ? `${run.processes}` : ""} | ${s.offered} | ${s.achieved} | ${(s.delivered * 100).toFixed(2)} % | ${s.p50Ms} ms | ${s.p99Ms} ms | ${s.deliveriesPerSecond.toLocaleString("en")} |${i === 0 ? ` **${run.sustained}** (peak ${run.peakDeliveriesPerSecond.toLocaleString("en")} deliveries/s)` : ""} |`,
    ),
  );
  return [
    `Measured ${generated.slice(0, 10)} on ${m.cpus} × ${m.cpuModel}, Node ${m.node}: ${r.editors} editors spread over the processes (PostgreSQL + Redis), the offered edit rate raised every ${r.stepSeconds} s until edits stop arriving; "sent" is what the editors managed to send; sustained = the highest rate sent at which every edit reached the ${r.editors - 1} other editors with p99 ≤ ${r.sustainedP99Ms} ms. The editors run in the benchmark process on the same cores as the servers, PostgreSQL and Redis.`,
    "",
    "| processes | offered edits/s | sent edits/s | delivered | p50 | p99 | deliveries/s | sustained edits/s |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

function firstRoomTable(generated: string, m: Record<string, any>, rows: FirstRoomResult[]): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return [
    `Measured ${generated.slice(0, 10)} on ${m.cpus} × ${m.cpuModel}, headless Chromium on SwiftShader, network emulated by Chromium at ${LINK.downBitsPerSecond / 1e6} Mbit/s down, ${LINK.upBitsPerSecond / 1e6} Mbit/s up, ${LINK.rttMs} ms round trip, empty cache (a first visit). Bytes are counted where they leave the server (HTTP with headers, and the sync socket). Physical limit = the bytes sent until the room was ready at ${LINK.downBitsPerSecond / 1e6} Mbit/s, plus one round trip.`,
    "",
    "| exhibition | first paint | 3D view's first frame | first room ready (every artefact at its walking tier) | bytes | physical limit | ratio | second visit: room ready | second visit: bytes |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.exhibition} | ${s(r.firstPaintMs)} | ${s(r.firstFrameMs)} | ${s(r.roomReadyMs)} | ${(r.bytes / 1e6).toFixed(2)} MB | ${s(r.physicalLimitMs)} | **${r.ratio}×** | ${r.secondVisitMs === undefined ? "–" : s(r.secondVisitMs)} | ${r.secondVisitBytes === undefined ? "–" : `${(r.secondVisitBytes / 1e3).toFixed(0)} kB`} |`,
    ),
  ].join("\n");
}
