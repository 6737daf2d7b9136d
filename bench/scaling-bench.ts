import { cpus } from "node:os";
import { connectEditors, driveEdits, EDITORS, onPostgres, quantile } from "./sync-bench";

/** Offered rates (edits per second, all editors together), each held for `STEP_MS`. */
const RATES = [200, 400, 800, 1600, 3200];
const STEP_MS = 3_000;
/** A rate is sustained when (nearly) every edit reached every other editor, with p99 under this. */
const SUSTAINED_P99_MS = 250;

export interface ScalingStep {
  offered: number;
  sent: number;
  /** Edits per second the editors managed to send (below `offered` when the machine is saturated). */
  achieved: number;
  delivered: number;
  p50Ms: number;
  p99Ms: number;
  /** Deliveries per second to the editors (each edit goes to the 49 others). */
  deliveriesPerSecond: number;
}
export interface ScalingResult {
  processes: number;
  steps: ScalingStep[];
  /** The highest rate (edits per second actually sent) at which every edit arrived with p99 <= SUSTAINED_P99_MS. */
  sustained: number;
  /** The most deliveries per second any step reached. */
  peakDeliveriesPerSecond: number;
}

/**
 * Throughput of the scaled mode with 1, 2 and 3 processes (PostgreSQL + Redis, editors spread):
 * the 50 editors' edit rate is raised step by step, and each step records what arrived. On a
 * machine with few cores the server processes, PostgreSQL, Redis and the editors share them, so
 * the figure says what this machine allows, not what more hosts would.
 */
export async function runScalingBench(): Promise<{ cores: number; editors: number; stepSeconds: number; sustainedP99Ms: number; runs: ScalingResult[] }> {
  const runs: ScalingResult[] = [];
  for (const n of [1, 2, 3]) {
    const server = onPostgres(`${n} process(es)`, n);
    const running = await server.start();
    try {
      console.log(`[bench] scaling: ${n} process(es)`);
      const steps: ScalingStep[] = [];
      const latencies: number[] = [];
      const editors = await connectEditors(`${n} process(es)`, running.urls, latencies);
      // Warm-up, not recorded: JIT in editors and servers.
      await driveEdits(editors, 200, 2000, "w");
      await new Promise((r) => setTimeout(r, 1000));
      for (const rate of RATES) {
        latencies.length = 0;
        for (const e of editors) e.recording = true;
        const sent = await driveEdits(editors, rate, STEP_MS, `s${rate}-`);
        await new Promise((r) => setTimeout(r, 2000)); // drain
        for (const e of editors) e.recording = false;
        const sorted = [...latencies].sort((a, b) => a - b);
        const step: ScalingStep = {
          offered: rate,
          sent,
          achieved: Math.round(sent / (STEP_MS / 1000)),
          delivered: +(latencies.length / (sent * (EDITORS - 1))).toFixed(4),
          p50Ms: +quantile(sorted, 0.5).toFixed(2),
          p99Ms: +quantile(sorted, 0.99).toFixed(2),
          deliveriesPerSecond: Math.round(latencies.length / (STEP_MS / 1000)),
        };
        steps.push(step);
        console.log(`[bench]   ${JSON.stringify(step)}`);
        if (step.delivered < 0.99 || step.p99Ms > 4 * SUSTAINED_P99_MS) break; // saturated: higher rates only queue
      }
      for (const e of editors) e.ws.close();
      const ok = steps.filter((s) => s.delivered >= 0.999 && s.p99Ms <= SUSTAINED_P99_MS);
      runs.push({ processes: n, steps, sustained: ok.length ? Math.max(...ok.map((s) => s.achieved)) : 0, peakDeliveriesPerSecond: Math.max(...steps.map((s) => s.deliveriesPerSecond)) });
    } finally {
      await running.stop();
    }
  }
  return { cores: cpus().length, editors: EDITORS, stepSeconds: STEP_MS / 1000, sustainedP99Ms: SUSTAINED_P99_MS, runs };
}
