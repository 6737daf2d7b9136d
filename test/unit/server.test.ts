import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAtriumServer } from "../../server/http-app";
import { MemoryPersistence } from "../../server/sync/persistence";
import { AccountStore } from "../../server/accounts/account-store";
import { ROOT, startServer } from "../support/server";

const tea = readFileSync(join(ROOT, "exhibitions/tea-and-its-vessels.json"), "utf8");

describe("server", () => {
  const logs: string[] = [];
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "atrium-ex-"));
    writeFileSync(join(dir, "tea-and-its-vessels.json"), tea);
    const broken = JSON.parse(tea);
    broken.id = "broken-show";
    broken.rooms.bowls.size.w = "wide";
    writeFileSync(join(dir, "broken-show.json"), JSON.stringify(broken));
    writeFileSync(join(dir, "not-json.json"), "{ nope");
    server = await startServer({ exhibitionsDir: dir, log: (l) => logs.push(l) });
  });
  afterAll(() => server.close());

  it("answers /api/health", async () => {
    const res = await fetch(`${server.url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", exhibitions: 1, broken: 2 });
  });

  it("lists exhibitions and reports broken files with their fields", async () => {
    const body = await (await fetch(`${server.url}/api/exhibitions`)).json();
    expect(body.exhibitions.map((e: { id: string }) => e.id)).toEqual(["tea-and-its-vessels"]);
    expect(body.exhibitions[0]).toMatchObject({ rooms: 2, artefacts: 8, firstRoom: "bowls" }); // 7 objects and a performance
    const broken = body.problems.find((p: { id: string }) => p.id === "broken-show");
    expect(broken.file).toMatch(/broken-show\.json$/);
    expect(broken.problems).toEqual([{ field: "rooms.bowls.size.w", message: expect.stringMatching(/expected number/) }]);
  });

  it("logs a broken file naming the file and the field", () => {
    expect(logs.some((l) => /broken-show\.json: rooms\.bowls\.size\.w: .*expected number/.test(l))).toBe(true);
    expect(logs.some((l) => /not-json\.json: \(document\): is not valid JSON/.test(l))).toBe(true);
  });

  it("serves an exhibition, 422 for a broken one, 404 for an unknown one", async () => {
    const ok = await fetch(`${server.url}/api/exhibitions/tea-and-its-vessels`);
    expect(ok.status).toBe(200);
    expect((await ok.json()).meta.title["zh-Hant"]).toBe("茶與器");
    const bad = await fetch(`${server.url}/api/exhibitions/broken-show`);
    expect(bad.status).toBe(422);
    expect((await bad.json()).problems[0].field).toBe("rooms.bowls.size.w");
    expect((await fetch(`${server.url}/api/exhibitions/nope`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/exhibitions/tea-and-its-vessels`, { method: "POST" })).status).toBe(405);
  });

  it("serves models with a glTF content type, and nothing outside the models folder", async () => {
    const res = await fetch(`${server.url}/models/tea/yixing-teapot.glb`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("model/gltf-binary");
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 4).toString()).toBe("glTF");
    for (const path of ["/models/../package.json", "/models/%2e%2e/package.json", "/models/..%2fpackage.json"]) {
      const r = await fetch(`${server.url}${path}`);
      expect([path, r.status]).toEqual([path, 404]);
    }
  });

  it("survives a malformed URL", async () => {
    const res = await fetch(`${server.url}/%E0%A4%A`);
    expect(res.status).toBe(400);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it("says how to build when the app has not been built", async () => {
    const app = await createAtriumServer({ distDir: join(tmpdir(), "no-dist-here"), modelsDir: join(ROOT, "models"), exhibitionsDir: join(ROOT, "exhibitions"), persistence: new MemoryPersistence(), accounts: new AccountStore(":memory:"), log: () => {} });
    await new Promise<void>((ok) => app.server.listen(0, "127.0.0.1", ok));
    const port = (app.server.address() as { port: number }).port;
    const res = await fetch(`http://127.0.0.1:${port}/visit/tea-and-its-vessels`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/npm run build/);
    app.server.close();
  });
});
