import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { ExhibitionStore, readExhibition } from "../../src/collab";
import { addPlacement, movePlacement, moveTourStep, OperationError, parseExhibition, removePlacement, setText, type Exhibition } from "../../src/shared/exhibition";
import type { Access } from "../../server/sync/access";
import { CLOSE } from "../../server/sync/messages";
import { Attribution, attributionDocName } from "../../src/shared/collab/attribution";
import { META_RECORD } from "../../src/shared/collab/co-texts";
import { MemoryPersistence, type Persistence } from "../../server/sync/persistence";
import { testStorage } from "../support/storage-mode";
import { RawClient, waitFor } from "../support/sync-clients";
import { ROOT, startServer } from "../support/server";

/**
 * The collaboration endpoint with real clients: the stock y-websocket provider and raw ws
 * sockets, against the real server in-process (and, for durability, in a child process).
 */
const TOKENS: Record<string, Access> = {
  "owner-ana": { role: "owner", user: "ana", canCreate: true },
  "curator-bo": { role: "curator", user: "bo" },
  "curator-chen": { role: "curator", user: "chen" },
  "viewer-dee": { role: "viewer", user: "dee" },
};
/** Token-based access for tests; anonymous visitors may view published samples, nothing else. */
function authorize(req: IncomingMessage, doc: string): Access {
  const token = new URL(req.url!, "http://x").searchParams.get("token") ?? "";
  if (doc === "private-draft" && token !== "owner-ana") return { role: null, user: null };
  return TOKENS[token] ?? { role: "viewer", user: null };
}

let storage: Awaited<ReturnType<typeof testStorage>>;
let persistence: Persistence;
let server: Awaited<ReturnType<typeof startServer>>;
const providers: WebsocketProvider[] = [];
const logs: string[] = [];

beforeAll(async () => {
  storage = await testStorage("sync");
  persistence = storage.persistence;
  server = await startServer({ persistence, bus: storage.bus, authorize, log: (l) => logs.push(l), syncLimits: { maxMessageBytes: 64 * 1024 } });
});
afterEach(() => {
  for (const p of providers.splice(0)) p.destroy();
});
afterAll(async () => {
  await server.close();
  await storage.close();
});

function provider(doc: string, token?: string, ydoc = new Y.Doc()): WebsocketProvider {
  const p = new WebsocketProvider(`${server.ws}/sync`, doc, ydoc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: token ? { token } : {},
    disableBc: true,
  });
  providers.push(p);
  return p;
}
const synced = (p: WebsocketProvider) => waitFor(() => p.synced, 10_000, "sync");
const teaFile = (): Exhibition => {
  const r = parseExhibition(JSON.parse(readFileSync(join(ROOT, "exhibitions/tea-and-its-vessels.json"), "utf8")), "tea");
  if (!r.ok) throw r.error;
  return r.doc;
};

describe("sync endpoint", () => {
  it("serves a sample exhibition to the stock y-websocket client, seeded from its file", async () => {
    const p = provider("tea-and-its-vessels");
    await synced(p);
    expect(readExhibition(p.doc)).toEqual(teaFile());
  });

  it("refuses at the upgrade: 403 without access, 404 for a document nobody may create", async () => {
    await expect(new RawClient(`${server.ws}/sync/private-draft`).opened).rejects.toThrow("HTTP 403");
    await expect(new RawClient(`${server.ws}/sync/no-such-show?token=curator-bo`).opened).rejects.toThrow("HTTP 404");
    await expect(new RawClient(`${server.ws}/sync/Bad..Name`).opened).rejects.toThrow("HTTP 400");
    const owner = new RawClient(`${server.ws}/sync/private-draft?token=owner-ana`);
    await owner.opened;
    owner.close();
  });

  it("converges: three curators and a viewer, random edits, random disconnects", async () => {
    const names = ["owner-ana", "curator-bo", "curator-chen"];
    const clients = names.map((t) => provider("tea-and-its-vessels", t));
    const viewer = provider("tea-and-its-vessels", "viewer-dee");
    await Promise.all([...clients, viewer].map(synced));
    const stores = clients.map((p) => new ExhibitionStore(p.doc));
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
    for (let round = 0; round < 120; round++) {
      const i = Math.floor(rand() * stores.length);
      const store = stores[i]!;
      const doc = store.getSnapshot();
      const placements = Object.keys(doc.placements);
      try {
        const op = rand();
        if (op < 0.35 && placements.length) store.apply((d) => movePlacement(d, pick(placements), { position: [rand() * 4 - 2, 0, rand() * 4 - 2] }));
        else if (op < 0.55) store.apply((d) => setText(d, { kind: "item", id: pick(Object.keys(d.items)), field: "description" }, pick(["en", "zh-Hant"]), `edit ${round}`));
        else if (op < 0.7) store.apply((d) => addPlacement(d, `p-r${round}`, { room: pick(Object.keys(d.rooms)), item: pick(Object.keys(d.items)), position: [0, 0, 0], mount: "floor" }));
        else if (op < 0.8 && placements.length > 3) store.apply((d) => removePlacement(d, pick(placements)));
        else store.apply((d) => moveTourStep(d, pick(d.tour).id, Math.floor(rand() * d.tour.length)));
      } catch (e) {
        if (!(e instanceof OperationError)) throw e;
      }
      if (rand() < 0.1) {
        const p = clients[Math.floor(rand() * clients.length)]!;
        if (p.wsconnected) p.disconnect();
        else p.connect();
      }
      if (round % 10 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    for (const p of clients) if (!p.shouldConnect) p.connect();
    const room = server.sync.rooms.get("tea-and-its-vessels")!;
    const serverVector = () => Y.encodeStateVector(room.doc).toString();
    await waitFor(() => [...clients, viewer].every((p) => p.wsconnected && Y.encodeStateVector(p.doc).toString() === serverVector()), 15_000, "convergence");
    const final = readExhibition(room.doc);
    for (const p of [...clients, viewer]) expect(readExhibition(p.doc)).toEqual(final);
    const check = parseExhibition(final, "merged");
    expect(check.ok ? "valid" : check.error.message).toBe("valid");
    expect(viewer.wsconnected).toBe(true);
  });

  it("stores every edit and unloads the room when the last client leaves", async () => {
    const a = provider("bone-and-clay", "curator-bo");
    await synced(a);
    const store = new ExhibitionStore(a.doc);
    // Typing with corrections: every turn that deletes adds a note of who deleted (review mode).
    for (let i = 0; i < 12; i++) {
      store.apply((d) => setText(d, { kind: "meta", field: "title" }, "en", `Bone and Clay (draft ${i})`));
      await new Promise((r) => setTimeout(r, 5));
    }
    store.apply((d) => setText(d, { kind: "meta", field: "title" }, "en", "Bone and Clay (revised)"));
    await waitFor(() => readExhibition(server.sync.rooms.get("bone-and-clay")!.doc).meta.title.en === "Bone and Clay (revised)");
    await waitFor(async () => (await persistence.count(attributionDocName("bone-and-clay"))) >= 10, 5000, "the notes stored");
    a.destroy();
    providers.splice(providers.indexOf(a), 1);
    await waitFor(() => !server.sync.rooms.has("bone-and-clay"), 5000, "unload");
    await waitFor(async () => (await persistence.count("bone-and-clay")) === 1, 5000, "the final snapshot"); // compacted into one snapshot
    const reloaded = new Y.Doc();
    for (const u of await persistence.load("bone-and-clay")) Y.applyUpdate(reloaded, u);
    expect(readExhibition(reloaded).meta.title.en).toBe("Bone and Clay (revised)");
    // The notes are folded with it, every one kept: Bo's words and Bo's deletions still name Bo.
    expect(await persistence.count(attributionDocName("bone-and-clay"))).toBeLessThanOrEqual(2);
    const notes = Attribution.fromUpdate(reloaded, Y.mergeUpdates(await persistence.load(attributionDocName("bone-and-clay"))));
    expect(notes.ofText("meta", META_RECORD, "title", "en", 0, 100, false).map((w) => w.id)).toEqual(["bo"]);
    expect(notes.ofText("meta", META_RECORD, "title", "en", 0, 100, true).map((w) => w.id)).toEqual(["bo"]);
  });

  it("acknowledges an update as saved only once it is stored", async () => {
    const c = new RawClient(`${server.ws}/sync/tea-and-its-vessels?token=curator-chen&ack=1`);
    await c.opened;
    c.hello();
    await waitFor(() => c.synced);
    const before = await persistence.count("tea-and-its-vessels");
    c.edit((d) => d.getMap("comments").set("c1", { id: "c1", item: "teapot", author: "chen", authorName: "Chen", text: "Check the date", at: Date.now() }));
    const clock = Y.encodeStateVector(c.doc);
    const mine = Y.decodeStateVector(clock).get(c.doc.clientID)!;
    await waitFor(() => (c.saved.get(c.doc.clientID) ?? 0) >= mine, 5000, "saved ack");
    expect(await persistence.count("tea-and-its-vessels")).toBe(before + 1);
    c.close();
  });
});

describe("documents stored before co-written texts", () => {
  it("a document stored in the version-2 layout opens as version 3: the same show, its texts in Y.Texts, the move stored once", async () => {
    const stored = new Uint8Array(readFileSync(join(ROOT, "test/fixtures/exhibitions/v2-ydoc-tea.bin")));
    const expected = JSON.parse(readFileSync(join(ROOT, "test/fixtures/exhibitions/v2-ydoc-tea.json"), "utf8")) as Exhibition;
    await persistence.appendMany("stored-in-v2", [stored]);
    const c = new RawClient(`${server.ws}/sync/stored-in-v2?token=curator-bo`);
    await c.opened;
    c.hello();
    await waitFor(() => c.synced && c.doc.getMap("meta").get("version") === 3, 5000, "migrated");
    expect(readExhibition(c.doc)).toEqual({ ...expected, version: 3 });
    expect(c.doc.getMap("items").get("teapot")).not.toHaveProperty("title");
    expect(c.doc.getText("text:items:teapot:title:zh-Hant").toString()).toBe(expected.items.teapot!.title["zh-Hant"]);
    // A page types in the migrated text; the server takes it.
    c.edit((d) => d.getText("text:items:teapot:description:en").insert(0, "Yixing clay. "));
    await waitFor(() => readExhibition(server.sync.rooms.get("stored-in-v2")!.doc).items.teapot!.description.en!.startsWith("Yixing clay. "), 5000, "typed");
    c.close();
    await waitFor(() => !server.sync.rooms.has("stored-in-v2"), 5000, "unload");
    const again = new Y.Doc();
    for (const u of await persistence.load("stored-in-v2")) Y.applyUpdate(again, u);
    expect(again.getMap("meta").get("version")).toBe(3);
    expect(readExhibition(again).items.teapot!.title).toEqual(expected.items.teapot!.title); // moved once, not twice
  });
});

describe("read-only connections", () => {
  it("a viewer's hand-written update is refused, the connection closed, and nothing stored", async () => {
    const v = new RawClient(`${server.ws}/sync/tea-and-its-vessels?token=viewer-dee`);
    await v.opened;
    v.hello();
    await waitFor(() => v.synced);
    const room = server.sync.rooms.get("tea-and-its-vessels")!;
    const before = readExhibition(room.doc);
    const vectorBefore = Y.encodeStateVector(room.doc);
    v.edit((d) => d.getMap("meta").set("title", { en: "Defaced" }));
    await waitFor(() => v.closed !== null, 5000, "close");
    expect(v.closed).toEqual({ code: CLOSE.READ_ONLY, reason: "read-only: a viewer cannot change this document" });
    expect(Y.encodeStateVector(room.doc)).toEqual(vectorBefore);
    // What is stored (the room may have unloaded and compacted by now) is the document as before.
    const stored = new Y.Doc();
    for (const u of await persistence.load("tea-and-its-vessels")) Y.applyUpdate(stored, u);
    expect(readExhibition(stored)).toEqual(before);
    expect(readExhibition(stored).meta.title.en).not.toBe("Defaced");
    expect(logs.some((l) => l.includes("refused an update from dee (viewer)"))).toBe(true);
  });

  it("a viewer that only echoes what it already has stays connected", async () => {
    const p = provider("tea-and-its-vessels", "viewer-dee");
    await synced(p);
    // Reconnecting makes the stock client send its whole state back as sync step 2.
    p.disconnect();
    p.connect();
    await synced(p);
    await new Promise((r) => setTimeout(r, 200));
    expect(p.wsconnected).toBe(true);
  });
});

describe("bad input", () => {
  it("closes connections that send oversize, text or malformed messages, and keeps serving", async () => {
    const big = new RawClient(`${server.ws}/sync/tea-and-its-vessels?token=curator-bo`);
    await big.opened;
    big.ws.send(new Uint8Array(70 * 1024));
    await waitFor(() => big.closed !== null);
    expect(big.closed!.code).toBe(CLOSE.TOO_LARGE);

    const text = new RawClient(`${server.ws}/sync/tea-and-its-vessels?token=curator-bo`);
    await text.opened;
    text.ws.send("hello");
    await waitFor(() => text.closed !== null);
    expect(text.closed!.code).toBe(CLOSE.MALFORMED);
  });

  it("survives 1,000 fuzzed messages and still answers /api/health and syncs", async () => {
    let seed = 99;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const valid = new RawClient(`${server.ws}/sync/tea-and-its-vessels?token=curator-bo`);
    await valid.opened;
    valid.close();
    let sent = 0;
    let client = new RawClient(`${server.ws}/sync/tea-and-its-vessels?token=curator-bo`);
    await client.opened;
    while (sent < 1000) {
      if (client.closed || client.ws.readyState !== WebSocket.OPEN) {
        client = new RawClient(`${server.ws}/sync/tea-and-its-vessels?token=${rand() < 0.5 ? "curator-bo" : "viewer-dee"}`);
        await client.opened;
      }
      const kind = rand();
      let msg: Uint8Array;
      if (kind < 0.4) msg = Uint8Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256));
      else if (kind < 0.7) msg = Uint8Array.from([0, Math.floor(rand() * 4), ...Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 256))]);
      else if (kind < 0.85) msg = Uint8Array.from([1, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]);
      else msg = Uint8Array.from([0, 2, 10, 1, 1, 1, 1]); // an update that claims more bytes than it has
      client.ws.send(msg);
      sent++;
      if (sent % 50 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    client.close();
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    const p = provider("tea-and-its-vessels", "curator-chen");
    await synced(p);
    const check = parseExhibition(readExhibition(p.doc), "after fuzz");
    expect(check.ok ? "valid" : check.error.message).toBe("valid");
  });
});

describe("storage failure", () => {
  it("drops the room when a write fails; the client resyncs and its edit is stored after all", async () => {
    class FlakyPersistence extends MemoryPersistence {
      failNext = false;
      override async appendMany(doc: string, updates: Uint8Array[]) {
        if (this.failNext) {
          this.failNext = false;
          throw new Error("disk full");
        }
        await super.appendMany(doc, updates);
      }
    }
    const flaky = new FlakyPersistence();
    const failures: string[] = [];
    const own = await startServer({ persistence: flaky, authorize, log: (l) => failures.push(l) });
    try {
      const p = new WebsocketProvider(`${own.ws}/sync`, "tea-and-its-vessels", new Y.Doc(), {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        params: { token: "curator-bo" },
        disableBc: true,
      });
      providers.push(p);
      await synced(p);
      flaky.failNext = true;
      new ExhibitionStore(p.doc).apply((d) => setText(d, { kind: "meta", field: "intro" }, "en", "Kept despite a full disk"));
      await waitFor(() => failures.some((l) => l.includes("disk full")), 5000, "the failure");
      const stored = async () => {
        const doc = new Y.Doc();
        for (const u of await flaky.load("tea-and-its-vessels")) Y.applyUpdate(doc, u);
        return readExhibition(doc).meta.intro?.en;
      };
      await waitFor(async () => (await stored()) === "Kept despite a full disk", 15_000, "the resynced edit to be stored");
    } finally {
      await own.close();
    }
  }, 30_000);
});

describe("durability", () => {
  let child: ChildProcess | null = null;
  afterEach(() => child?.kill("SIGKILL"));

  async function startChild(dataDir: string): Promise<{ port: number; proc: ChildProcess }> {
    const proc = spawn(process.execPath, ["--import", "tsx", join(ROOT, "test/support/sync-child.ts"), "sqlite", dataDir, "200"], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    const port = await new Promise<number>((ok, fail) => {
      proc.stdout!.once("data", (d: Buffer) => ok(JSON.parse(d.toString()).port));
      proc.once("exit", (code) => fail(new Error(`server exited with ${code}`)));
    });
    return { port, proc };
  }

  it("keeps every acknowledged update when the server is killed with SIGKILL mid-burst", { timeout: 60_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "atrium-durable-"));
    const first = await startChild(dataDir);
    child = first.proc;
    const writer = new RawClient(`ws://127.0.0.1:${first.port}/sync/durable-doc?ack=1`);
    await writer.opened;
    writer.hello();
    await waitFor(() => writer.synced);
    const burst = (async () => {
      for (let i = 0; i < 2000 && !writer.closed; i++) {
        writer.edit((d) => d.getMap("placements").set(`k${i}`, { room: "r", item: "i", position: [i, 0, 0] }));
        if (i % 20 === 0) await new Promise((r) => setImmediate(r));
      }
    })();
    await waitFor(() => (writer.saved.get(writer.doc.clientID) ?? 0) >= 300, 20_000, "300 acks");
    first.proc.kill("SIGKILL");
    await burst;
    await waitFor(() => writer.closed !== null);
    const acked = writer.saved.get(writer.doc.clientID) ?? 0;
    expect(acked).toBeGreaterThanOrEqual(300);

    const second = await startChild(dataDir);
    child = second.proc;
    const reader = new RawClient(`ws://127.0.0.1:${second.port}/sync/durable-doc`);
    await reader.opened;
    reader.hello();
    await waitFor(() => reader.synced);
    const log = reader.doc.getMap<{ position: number[] }>("placements");
    // Clock c acknowledged = this client's updates 0..c-1 are stored; update i set key k{i}.
    const missing = [];
    for (let i = 0; i < acked; i++) if (log.get(`k${i}`)?.position[0] !== i) missing.push(i);
    expect(missing).toEqual([]);
    reader.close();
  });
});
