import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/server";

/**
 * The server as a supervisor runs it (`server/main.ts`, issue 16 "no crash"): it stops cleanly on
 * SIGTERM, starts again on the same data, and refuses a wrong setting before listening.
 */
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
});

function start(env: Record<string, string>): Promise<{ proc: ChildProcess; url: string | null; output: string; code: number | null }> {
  const proc = spawn(process.execPath, ["--import", "tsx", join(ROOT, "server/main.ts")], { cwd: ROOT, env: { ...process.env, PORT: "0", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(proc);
  let output = "";
  return new Promise((ok) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /serving on (http:\/\/localhost:\d+)/.exec(output);
      if (m) ok({ proc, url: m[1]!, output, code: null });
    };
    proc.stdout!.on("data", onData);
    proc.stderr!.on("data", onData);
    proc.once("exit", (code) => ok({ proc, url: null, output, code }));
  });
}

describe("the server process", () => {
  it("stops cleanly on SIGTERM and serves the same data after a restart", async () => {
    const data = mkdtempSync(join(tmpdir(), "atrium-process-"));
    const first = await start({ ATRIUM_DATA_DIR: data });
    expect(first.url, first.output).not.toBeNull();
    expect((await fetch(`${first.url}/api/health`)).status).toBe(200);
    const exited = new Promise<number | null>((ok) => first.proc.once("exit", (code) => ok(code)));
    first.proc.kill("SIGTERM");
    expect(await exited).toBe(0);
    const second = await start({ ATRIUM_DATA_DIR: data });
    expect((await fetch(`${second.url}/api/health`)).status).toBe(200);
    second.proc.kill("SIGTERM");
  }, 60_000);

  it("refuses a public URL that is not an origin, before listening", async () => {
    const r = await start({ ATRIUM_DATA_DIR: mkdtempSync(join(tmpdir(), "atrium-process-")), ATRIUM_PUBLIC_URL: "atrium.museum.org/path" });
    expect(r.url).toBeNull();
    expect(r.code).toBe(2);
    expect(r.output).toMatch(/ATRIUM_PUBLIC_URL must be an origin/);
  }, 60_000);
});
