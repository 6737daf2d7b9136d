import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { AccountStore } from "../../server/accounts/account-store";
import { ClassRegistry } from "../../server/classes/class-registry";
import { PostgresClassStore, type ClassStore } from "../../server/classes/class-store";
import { ensureAdmin } from "../../server/accounts/admin";
import { RedisBus } from "../../server/scale/bus";
import { RedisJobs } from "../../server/assets/redis-jobs";
import { SqlEntryRows } from "../../server/catalogue/entry-rows";
import { CMOA_TEXT } from "../support/cmoa-csv";
import { PostgresPersistence } from "../../server/sync/postgres-persistence";
import { freshSchema, REDIS_URL } from "../support/postgres";
import { ROOT, startServer } from "../support/server";
import { RawClient, waitFor } from "../support/sync-clients";
import { ApiSession } from "../support/api-session";
import { RawClassClient } from "../support/class-clients";
import { CLOSE } from "../../server/sync/messages";
import { ExhibitionStore } from "../../src/collab";
import { setText } from "../../src/shared/exhibition";
import { CLASS_CLOSE, type ClassInfo, type JoinAnswer } from "../../src/shared/class-protocol";


interface Child {
  port: number;
  proc: ChildProcess;
}

/** One Atrium server process in the scaled mode: documents in PostgreSQL, rooms joined over Redis. */
async function startProcess(databaseUrl: string, env: Record<string, string> = {}): Promise<Child> {
  const proc = spawn(process.execPath, ["--import", "tsx", join(ROOT, "test/support/sync-child.ts"), "postgres", databaseUrl, "50", REDIS_URL], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } });
  const port = await new Promise<number>((ok, fail) => {
    proc.stdout!.once("data", (d: Buffer) => ok(JSON.parse(d.toString()).port));
    proc.once("exit", (code) => fail(new Error(`server exited with ${code}`)));
  });
  return { port, proc };
}

type Started = Awaited<ReturnType<typeof startServer>>;

/**
 * An in-process server of the scaled mode on the schema at `schemaUrl`: its own pool, its own bus
 * (channels under `prefix`, shared by the servers of one test) and its own account store, with
 * catalogue entries in PostgreSQL. What it opens is added to `closers`, to close after the servers.
 */
async function scaledServer(schemaUrl: string, prefix: string, closers: (() => Promise<unknown>)[], options: Partial<Parameters<typeof startServer>[0]> = {}): Promise<Started> {
  const persistence = await PostgresPersistence.open(schemaUrl);
  const bus = new RedisBus(REDIS_URL, prefix);
  await bus.ready();
  const accounts = new AccountStore(schemaUrl);
  closers.push(() => persistence.close(), () => bus.close(), () => accounts.close());
  return startServer({ persistence, bus, accounts, entryRows: new SqlEntryRows(accounts.db), ...options });
}

/** A placement record as the studio writes it (the write rules check every field). */
const placement = (x: number) => ({ room: "gallery", item: "bowl", position: [x, 0, 1.5], rotation: [0, 0, 0], scale: 1, mount: "floor" });

/** A document name no other test or run uses (Redis channels are shared). */
const docName = (label: string) => `${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

function provider(port: number, doc: string, ydoc = new Y.Doc()): WebsocketProvider {
  return new WebsocketProvider(`ws://127.0.0.1:${port}/sync`, doc, ydoc, { WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket, disableBc: true });
}

const synced = (p: WebsocketProvider) => waitFor(() => p.synced, 15_000, "sync");

describe("scaled mode: three processes on one PostgreSQL and one Redis", () => {
  let schema: Awaited<ReturnType<typeof freshSchema>>;
  const processes: Child[] = [];
  const providers: WebsocketProvider[] = [];
  beforeAll(async () => {
    schema = await freshSchema("scale_out");
    // The first migrates the schema; the others find it done.
    processes.push(await startProcess(schema.url));
    processes.push(...(await Promise.all([startProcess(schema.url), startProcess(schema.url)])));
  }, 60_000);
  afterAll(async () => {
    for (const p of providers) p.destroy();
    for (const c of processes) c.proc.kill("SIGKILL");
    await schema?.drop();
  });

  it("curators connected to different processes co-edit one exhibition and converge, through disconnects", { timeout: 90_000 }, async () => {
    const doc = docName("converge");
    const editors = processes.flatMap((c) => [provider(c.port, doc), provider(c.port, doc)]);
    providers.push(...editors);
    await Promise.all(editors.map(synced));
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 60; i++) {
        const e = editors[Math.floor(rand() * editors.length)]!;
        const key = `p${Math.floor(rand() * 40)}`;
        if (rand() < 0.15) e.doc.getMap("placements").delete(key);
        else e.doc.getMap("placements").set(key, placement(round * 100 + i));
      }
      // One editor drops its connection and edits offline, then comes back on another process.
      const k = Math.floor(rand() * editors.length);
      const leaving = editors[k]!;
      leaving.disconnect();
      leaving.doc.getMap("placements").set(`offline-${round}`, placement(round));
      const moved = provider(processes[(round + 1) % 3]!.port, doc, leaving.doc);
      leaving.destroy();
      editors[k] = moved;
      providers.push(moved);
      await synced(moved);
      await new Promise((r) => setTimeout(r, 50));
    }
    const json = (p: WebsocketProvider) => JSON.stringify(p.doc.getMap("placements").toJSON(), Object.keys(p.doc.getMap("placements").toJSON()).sort());
    await waitFor(() => editors.every((e) => json(e) === json(editors[0]!)), 20_000, "every editor to converge");
    for (let round = 0; round < 6; round++) expect(editors[0]!.doc.getMap("placements").has(`offline-${round}`)).toBe(true);
    // What PostgreSQL holds is the same document.
    await new Promise((r) => setTimeout(r, 300)); // the last batches commit
    const store = await PostgresPersistence.open(schema.url);
    const stored = new Y.Doc();
    for (const u of await store.load(doc)) Y.applyUpdate(stored, u);
    await store.close();
    expect(JSON.stringify(stored.getMap("placements").toJSON(), Object.keys(stored.getMap("placements").toJSON()).sort())).toBe(json(editors[0]!));
  });

  it("presence and cursors cross processes", { timeout: 30_000 }, async () => {
    const doc = docName("presence");
    const a = provider(processes[0]!.port, doc);
    const b = provider(processes[2]!.port, doc);
    providers.push(a, b);
    await Promise.all([synced(a), synced(b)]);
    a.awareness.setLocalState({ user: { id: "test-writer", name: "Chen", colour: "#aa3300" }, room: "gallery", cursor: [1, 0, 2] });
    await waitFor(() => (b.awareness.getStates().get(a.awareness.clientID) as { cursor?: number[] } | undefined)?.cursor?.[2] === 2, 10_000, "A's cursor on B");
    a.awareness.setLocalStateField("cursor", [3, 0, 4]);
    await waitFor(() => (b.awareness.getStates().get(a.awareness.clientID) as { cursor?: number[] } | undefined)?.cursor?.[2] === 4, 10_000, "A's moved cursor on B");
    a.destroy();
    await waitFor(() => !b.awareness.getStates().has(a.awareness.clientID), 10_000, "A's presence removed on B");
  });

  it("SIGKILL of a process mid-burst: no acknowledged update is lost, its client resumes on another process", { timeout: 90_000 }, async () => {
    const doc = docName("killed");
    const victim = processes[1]!;
    const writer = new RawClient(`ws://127.0.0.1:${victim.port}/sync/${doc}?ack=1`);
    await writer.opened;
    writer.hello();
    await waitFor(() => writer.synced);
    // A reader on another process sees the burst live.
    const reader = provider(processes[0]!.port, doc);
    providers.push(reader);
    await synced(reader);
    const burst = (async () => {
      for (let i = 0; i < 3000 && !writer.closed; i++) {
        writer.edit((d) => d.getMap("placements").set(`k${i}`, placement(i)));
        if (i % 20 === 0) await new Promise((r) => setImmediate(r));
      }
    })();
    await waitFor(() => (writer.saved.get(writer.doc.clientID) ?? 0) >= 300, 30_000, "300 acks");
    victim.proc.kill("SIGKILL");
    await burst;
    await waitFor(() => writer.closed !== null, 10_000, "the socket to close");
    const acked = writer.saved.get(writer.doc.clientID) ?? 0;
    expect(acked).toBeGreaterThanOrEqual(300);
    // Every acknowledged update is in PostgreSQL: a fresh client on a surviving process has them all.
    const check = new RawClient(`ws://127.0.0.1:${processes[2]!.port}/sync/${doc}`);
    await check.opened;
    check.hello();
    await waitFor(() => check.synced);
    const got = check.doc.getMap<{ position: number[] }>("placements");
    const missing: number[] = [];
    for (let i = 0; i < acked; i++) if (got.get(`k${i}`)?.position[0] !== i) missing.push(i);
    expect(missing).toEqual([]);
    check.close();
    // The writer's client resumes on a surviving process: its sync sends what was not stored.
    const resumed = provider(processes[2]!.port, doc, writer.doc);
    providers.push(resumed);
    await synced(resumed);
    const total = [...writer.doc.getMap("placements").keys()].length;
    await waitFor(() => reader.doc.getMap("placements").size === total, 20_000, "the reader to have every edit, acknowledged or not");
    processes[1] = await startProcess(schema.url); // for any later test
  });
});

describe("scaled mode: a room that loads while another process's update is still being stored", () => {
  it("gets that update from the rooms already loaded (their state vectors are compared, as Yjs clients do)", { timeout: 60_000 }, async () => {
    const schema = await freshSchema("late_room");
    // A slow disk on A: its edits are on the bus a second before they are in PostgreSQL.
    const a = await startProcess(schema.url, { ATRIUM_TEST_APPEND_DELAY_MS: "1500" });
    const b = await startProcess(schema.url);
    const doc = docName("late");
    try {
      const writer = provider(a.port, doc);
      await synced(writer);
      writer.doc.getMap("placements").set("early", placement(1));
      // B loads the document now: the edit is not stored yet, and was published before B subscribed.
      await new Promise((r) => setTimeout(r, 100));
      const late = provider(b.port, doc);
      await synced(late);
      await waitFor(() => late.doc.getMap("placements").has("early"), 1200, "the unstored edit to reach the late room");
      writer.destroy();
      late.destroy();
    } finally {
      a.proc.kill("SIGKILL");
      b.proc.kill("SIGKILL");
      await schema.drop();
    }
  });
});

describe("scaled mode: limits, accounts and sign-ins shared by the processes", () => {
  it("wrong passwords tried on one process slow the account down on another", { timeout: 30_000 }, async () => {
    const schema = await freshSchema("limits");
    const prefix = `atrium-test:${docName("limits")}:`;
    const limits = new Redis(REDIS_URL);
    const started: Awaited<ReturnType<typeof startServer>>[] = [];
    const stores: { close(): Promise<void> }[] = [];
    try {
      // Two processes: one database (documents and accounts), one Redis.
      for (let i = 0; i < 2; i++) {
        const persistence = await PostgresPersistence.open(schema.url);
        const accounts = new AccountStore(schema.url);
        stores.push(persistence, accounts);
        started.push(
          await startServer({
            persistence,
            accounts,
            sharedLimits: { client: limits, prefix },
            throttles: { loginFailuresBeforeBackoff: 3 },
          }),
        );
      }
      const [a, b] = started as [(typeof started)[0], (typeof started)[0]];
      const post = (base: string, path: string, body: unknown, cookie = "") =>
        fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json", origin: base, ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });
      expect((await post(a.url, "/api/accounts", { email: "lin@school.test", name: "Ms Lin", password: "a long enough password" })).status).toBe(201);
      // Signed up on A, signed in on B: the account and the session are in PostgreSQL, not a process's.
      const signIn = await post(b.url, "/api/sessions", { email: "lin@school.test", password: "a long enough password" });
      expect(signIn.status).toBe(200);
      for (let i = 0; i < 3; i++) expect((await post(a.url, "/api/sessions", { email: "lin@school.test", password: `wrong ${i}` })).status).toBe(401);
      const onB = await post(b.url, "/api/sessions", { email: "lin@school.test", password: "a long enough password" });
      expect(onB.status).toBe(429);
      expect(Number(onB.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      for (const s of started) await s.close();
      for (const p of stores) await p.close();
      await limits.quit();
      await schema.drop();
    }
  });
});

describe("scaled mode: a class across three processes, and a restart of all of them", () => {
  let schema: Awaited<ReturnType<typeof freshSchema>>;
  let processes: Child[] = [];
  const clients: RawClassClient[] = [];
  // Accounts in the processes' PostgreSQL: the teacher's sign-in is valid on every process. The
  // site's own access rule, so that class seats are checked on the sync sockets as on a real site.
  const start = () => startProcess(schema.url, { ATRIUM_TEST_REAL_ACCESS: "1" });
  beforeAll(async () => {
    schema = await freshSchema("classes");
    processes.push(await start());
    processes.push(...(await Promise.all([start(), start()])));
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) c.close();
    for (const c of processes) c.proc.kill("SIGKILL");
    await schema?.drop();
  });

  const http = (c: Child) => ({ url: `http://127.0.0.1:${c.port}`, ws: `ws://127.0.0.1:${c.port}` });
  const ws = (c: Child) => `ws://127.0.0.1:${c.port}`;
  async function joinClass(c: Child, code: string, nickname: string): Promise<JoinAnswer> {
    const r = await fetch(`${http(c).url}/api/classes/join`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code, nickname }) });
    expect(r.status).toBe(201);
    return (await r.json()) as JoinAnswer;
  }
  async function open(c: Child, session: string, who: { seat: string } | { cookie: string }): Promise<RawClassClient> {
    const client = await RawClassClient.open(ws(c), session, who);
    clients.push(client);
    return client;
  }

  it("the teacher on one process leads students on two others: follow, pose, gather, lock, raised hands; every process restarts and the class goes on; it ends for everyone", { timeout: 120_000 }, async () => {
    const [A, B, C] = processes as [Child, Child, Child];
    const teacher = await ApiSession.signUpOn(http(A), "lin@school.test", "Ms Lin");
    const started = await teacher.call("POST", "/api/classes", { exhibition: "tea-and-its-vessels" });
    expect(started.status).toBe(201);
    const info = started.body as ClassInfo;
    // Students join through the other processes' APIs and connect there.
    const mei = await joinClass(B, info.code, "Mei");
    const mei2 = await joinClass(C, info.code, "Mei"); // one class, one set of nicknames, across processes
    expect(mei2.nickname).toBe("Mei 2");
    const t = await open(A, info.id, { cookie: teacher.cookie });
    await t.next("welcome");
    const sm = await open(B, info.id, { seat: mei.token });
    const sk = await open(C, info.id, { seat: mei2.token });
    await sm.next("welcome");
    await sk.next("welcome");
    await t.next("roster", (m) => m.students.length === 2 && m.students.every((s) => s.connected), 10_000);

    t.send({ t: "mode", mode: "follow" });
    for (const s of [sm, sk]) await s.next("state", (m) => m.state.mode === "follow", 10_000);
    t.send({ t: "pose", pose: { room: "hall", p: [1, 1.6, 2], q: [0, 0, 0, 1] } });
    for (const s of [sm, sk]) await s.next("pose", (m) => m.pose.p[2] === 2, 10_000);
    t.send({ t: "gather" });
    for (const s of [sm, sk]) await s.next("state", (m) => m.state.gather === 1, 10_000);
    t.send({ t: "lock", locked: true });
    for (const s of [sm, sk]) await s.next("state", (m) => m.state.locked, 10_000);
    // A student on C raises a hand: the teacher on A sees it.
    sk.send({ t: "hand", raised: true });
    await t.next("roster", (m) => m.students.find((s) => s.nickname === "Mei 2")?.handRaised === true, 10_000);
    // A student's teacher command is refused wherever it is sent.
    sm.send({ t: "lock", locked: false });
    expect((await sm.next("refused")).reason).toBe('only the teacher can send "lock"');
    // A question asked on A, answered on B and C: the teacher sees the spread.
    t.send({ t: "ask", question: { kind: "choice", prompt: "Which glaze is darker?", options: ["Tenmoku", "Celadon"] } });
    for (const s of [sm, sk]) await s.next("state", (m) => m.state.question?.id === "q1", 10_000);
    sm.send({ t: "answer", question: "q1", choice: 0 });
    sk.send({ t: "answer", question: "q1", choice: 1 });
    await sm.next("answered", () => true, 10_000);
    expect((await t.next("answers", (m) => m.result.answered === 2, 10_000)).result.counts).toEqual([1, 1]);

    // Every process is killed and started again: the class, its state and its seats were stored.
    for (const c of processes) c.proc.kill("SIGKILL");
    processes = [await start()];
    processes.push(...(await Promise.all([start(), start()])));
    const [A2, B2, C2] = processes as [Child, Child, Child];
    // The students reconnect with their seats, this time to other processes.
    const sm2 = await open(C2, info.id, { seat: mei.token });
    const welcome = await sm2.next("welcome", () => true, 10_000);
    expect(welcome.state).toMatchObject({ mode: "follow", locked: true, gather: 1, ended: false });
    expect(welcome.you.nickname).toBe("Mei");
    const sk2 = await open(A2, info.id, { seat: mei2.token });
    await sk2.next("welcome");
    // The teacher's sign-in is in PostgreSQL: they lead again, from B this time.
    const t2 = await open(B2, info.id, { cookie: teacher.cookie });
    await t2.next("welcome");
    // The question and its answers were stored: the teacher sees the same spread after the restart.
    expect((await t2.next("answers", () => true, 10_000)).result).toMatchObject({ answered: 2, counts: [1, 1] });
    await t2.next("roster", (m) => m.students.length === 2 && m.students.find((s) => s.nickname === "Mei 2")?.handRaised === true && m.students.every((s) => s.connected), 10_000);
    t2.send({ t: "tour", index: 2 });
    for (const s of [sm2, sk2]) await s.next("state", (m) => m.state.tour === 2, 10_000);
    // A new student joins after the restart, through yet another process.
    const late = await joinClass(A2, info.code, "Kai");
    const sl = await open(B2, info.id, { seat: late.token });
    expect((await sl.next("welcome")).state.tour).toBe(2);

    t2.send({ t: "end" });
    for (const s of [sm2, sk2, sl]) {
      await s.next("ended", () => true, 10_000);
      expect((await s.whenClosed()).code).toBe(CLASS_CLOSE.GONE);
    }
    const status = await fetch(`${http(C2).url}/api/classes/${info.id}/status?seat=${encodeURIComponent(mei.token)}`);
    expect(status.status).toBe(410);
    // The code no longer admits anyone, on any process.
    const again = await fetch(`${http(B2).url}/api/classes/join`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: info.code, nickname: "Ana" }) });
    expect(again.status).toBe(410);
  });

  it("one teacher, classrooms on different processes: a classroom added on one admits on another; a command to one classroom reaches only its students", { timeout: 60_000 }, async () => {
    const [A, B, C] = processes as [Child, Child, Child];
    const teacher = await ApiSession.signUpOn(http(A), "chen@school.test", "Mr Chen");
    const started = await teacher.call("POST", "/api/classes", { exhibition: "tea-and-its-vessels", classrooms: ["Lanyu 7B"] });
    expect(started.status).toBe(201);
    const info = started.body as ClassInfo;
    const t = await open(A, info.id, { cookie: teacher.cookie });
    await t.next("welcome");
    // Added through process B; its code is stored, so process C admits with it.
    const added = await fetch(`${http(B).url}/api/classes/${info.id}/classrooms`, { method: "POST", headers: { "content-type": "application/json", cookie: teacher.cookie }, body: JSON.stringify({ name: "Hualien 8A" }) });
    expect(added.status).toBe(201);
    const hualien = ((await added.json()) as ClassInfo).classrooms[1]!;
    await t.next("state", (m) => m.state.classrooms?.length === 2, 10_000);
    const lanyu = await joinClass(C, info.code, "Mei");
    const hua = await joinClass(C, hualien.code, "Kai");
    const sa = await open(B, info.id, { seat: lanyu.token });
    const sb = await open(C, info.id, { seat: hua.token });
    expect((await sa.next("welcome")).state.classrooms).toEqual([{ id: "r1", name: "Lanyu 7B" }]);
    expect((await sb.next("welcome")).state.classrooms).toEqual([{ id: "r2", name: "Hualien 8A" }]);
    t.send({ t: "lock", locked: true, to: "r2" });
    await sb.next("state", (m) => m.state.locked, 10_000);
    t.send({ t: "gather" });
    await sa.next("state", (m) => m.state.gather === 1, 10_000);
    await sb.next("state", (m) => m.state.gather === 1 && m.state.locked, 10_000);
    expect(sa.received.some((m) => m.t === "state" && m.state.locked)).toBe(false);
    // A student of an ended class cannot come back through any process, whichever classroom's code.
    t.send({ t: "end" });
    await sb.next("ended", () => true, 10_000);
    const again = await fetch(`${http(A).url}/api/classes/join`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: hualien.code, nickname: "Ana" }) });
    expect(again.status).toBe(410);
  });

  it("groups across processes: groups made through one process; a seat edits its group's show on another; a lock given on a third closes that socket at once; the other group's show refuses it everywhere", { timeout: 60_000 }, async () => {
    const [A, B, C] = processes as [Child, Child, Child];
    const teacher = await ApiSession.signUpOn(http(A), "ho@school.test", "Ms Ho");
    const info = (await teacher.call("POST", "/api/classes", { exhibition: "tea-and-its-vessels" })).body as ClassInfo;
    const t = await open(C, info.id, { cookie: teacher.cookie });
    await t.next("welcome");
    const mei = await joinClass(B, info.code, "Mei");
    const kai = await joinClass(C, info.code, "Kai");
    const made = await teacher.call("POST", `/api/classes/${info.id}/groups`, { groups: [{ name: "Bowls" }, { name: "Pots" }], assign: "hand", kit: { objects: ["teapot"] } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const [g1, g2] = made.body.groups as { id: string; show: string }[];
    t.send({ t: "group-assign", student: mei.seat, group: g1!.id });
    t.send({ t: "group-assign", student: kai.seat, group: g2!.id });
    await t.next("state", (m) => m.state.groups?.[1]?.members.length === 1, 10_000);
    const onB = new RawClient(`${ws(B)}/sync/${g1!.show}?seat=${encodeURIComponent(mei.token)}`);
    await onB.opened;
    onB.hello();
    await waitFor(() => onB.synced, 10_000, "sync on B");
    const store = new ExhibitionStore(onB.doc);
    onB.edit(() => store.apply((d) => setText(d, { kind: "item", id: "teapot", field: "description" }, "en", "Pots pour.")));
    store.destroy();
    await waitFor(async () => (await teacher.call("GET", `/api/exhibitions/${g1!.show}`)).body.items?.teapot?.description?.en === "Pots pour.", 10_000, "Mei's label, read through process A");
    for (const c of [A, C]) {
      const denied = new RawClient(`${ws(c)}/sync/${g2!.show}?seat=${encodeURIComponent(mei.token)}`);
      await expect(denied.opened).rejects.toThrow(/HTTP 403/);
    }
    // Locked through the teacher's socket on process C: Mei's socket on B closes, to come back as a reader.
    const t0 = performance.now();
    t.send({ t: "group-lock", locked: true, group: g1!.id });
    await waitFor(() => onB.closed !== null, 2000, "closed on B within two seconds");
    expect(onB.closed!.code).toBe(CLOSE.ACCESS_CHANGED);
    expect(performance.now() - t0).toBeLessThan(2000);
    t.send({ t: "end" });
    await t.next("ended", () => true, 10_000);
  });
});

describe("scaled mode: the catalogue of every process", () => {
  it("records imported through one process are found through another", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "atrium-catalogue-"));
    const schema = await freshSchema("catalogue");
    const prefix = `atrium-test:${docName("catalogue")}:`;
    const setup = new AccountStore(schema.url);
    await ensureAdmin(setup, "admin@atrium.test", "correct horse battery");
    await setup.close();
    const started: Awaited<ReturnType<typeof startServer>>[] = [];
    const closers: (() => Promise<unknown>)[] = [];
    // Accounts and catalogue entries in PostgreSQL; uploaded files in a shared folder (README, "Scaled mode").
    const start = async (uploadsDir: string) => started[started.push(await scaledServer(schema.url, prefix, closers, { uploadsDir })) - 1]!;
    try {
      const a = await start(join(dir, "uploads"));
      const b = await start(join(dir, "uploads"));
      const admin = new ApiSession(a);
      await admin.call("POST", "/api/sessions", { email: "admin@atrium.test", password: "correct horse battery" });
      expect((await admin.call("POST", "/api/museums", { id: "pgh", name: { en: "Pittsburgh test museum" } })).status).toBe(201);
      const registrar = await ApiSession.signUpOn(a, "registrar@pgh.test", "Registrar");
      expect((await admin.call("POST", "/api/museums/pgh/members", { email: "registrar@pgh.test", role: "curator" })).status).toBe(200);
      const preview = await registrar.call("POST", "/api/catalogue/imports/preview", { format: "json", text: CMOA_TEXT, museum: "pgh", units: "in" });
      const imported = await registrar.call("POST", "/api/catalogue/imports", { format: "json", text: CMOA_TEXT, museum: "pgh", units: "in", defaults: { metadata: "CC0-1.0", thumbnail: "All-Rights-Reserved", object: "CC0-1.0" }, mapping: preview.body.mapping });
      expect(imported.status).toBe(201);
      const ids = imported.body.ids as string[];
      expect(ids.length).toBeGreaterThan(100);
      // Through the other process: every imported record is there, one by id and all in a search.
      const onB = new ApiSession(b);
      await expect.poll(async () => (await onB.call("GET", `/api/catalogue/${encodeURIComponent(ids.at(-1)!)}`)).status, { timeout: 10_000 }).toBe(200);
      const found = (await onB.call("GET", "/api/catalogue?institution=pgh&limit=100")).body as { total: number };
      expect(found.total).toBe(ids.length);
      // A process started later, with an uploads folder of its own, reads the records from PostgreSQL.
      const c = await start(join(dir, "elsewhere"));
      const onC = (await new ApiSession(c).call("GET", "/api/catalogue?institution=pgh&limit=100")).body as { total: number };
      expect(onC.total).toBe(ids.length);
    } finally {
      for (const s of started) await s.close();
      for (const c of closers) await c();
      await schema.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("scaled mode: made-up class ids and seat tokens", () => {
  it("cost one storage query each, however often they are asked about; real classes of other processes are still found", { timeout: 30_000 }, async () => {
    const schema = await freshSchema("unknown_ids");
    const store = await PostgresClassStore.open(schema.url);
    // The real store, with its lookups counted.
    const queries = { byId: 0, bySeat: 0 };
    const counted: ClassStore = Object.assign(Object.create(store) as ClassStore, {
      byId: (id: string) => (queries.byId++, store.byId(id)),
      bySeat: (token: string) => (queries.bySeat++, store.bySeat(token)),
    });
    try {
      const elsewhere = new ClassRegistry({}, Date.now, { store, bus: null, log: () => {} });
      const here = new ClassRegistry({}, Date.now, { store: counted, bus: null, log: () => {} });
      const made = await elsewhere.create({ id: "lin", name: "Ms Lin" }, "tea-and-its-vessels");
      const joined = await elsewhere.join(made.code, "Mei");
      expect("seat" in joined).toBe(true);
      for (let i = 0; i < 100; i++) {
        expect(await here.load("class-madeupmadeup")).toBeUndefined();
        expect(await here.loadSeat("a-made-up-seat-token")).toBeUndefined();
      }
      expect(queries).toEqual({ byId: 1, bySeat: 1 });
      // A class started by another process, never asked about here before, is found.
      expect((await here.load(made.id))?.code).toBe(made.code);
      expect((await here.loadSeat((joined as { seat: { token: string } }).seat.token))?.seat.nickname).toBe("Mei");
    } finally {
      await store.close();
      await schema.drop();
    }
  });
});

describe("scaled mode: a membership changed through one process", () => {
  it("closes the member's socket on another process within a second; their sign-in on a third ends with sign-out", { timeout: 60_000 }, async () => {
    const schema = await freshSchema("membership");
    const prefix = `atrium-test:${docName("membership")}:`;
    const started: Awaited<ReturnType<typeof startServer>>[] = [];
    const closers: (() => Promise<unknown>)[] = [];
    const raws: RawClient[] = [];
    try {
      for (let i = 0; i < 3; i++) started.push(await scaledServer(schema.url, prefix, closers));
      const [a, b, c] = started as [(typeof started)[0], (typeof started)[0], (typeof started)[0]];
      const owner = await ApiSession.signUpOn(a, "owner@museum.test", "Owner");
      expect((await owner.call("POST", "/api/exhibitions", { id: "joint-show", title: { en: "Joint" }, template: "micro" })).status).toBe(201);
      // Signed up through B: the account is PostgreSQL's, so A can add it by e-mail.
      const bo = await ApiSession.signUpOn(b, "bo@museum.test", "Bo");
      expect((await owner.call("POST", "/api/exhibitions/joint-show/members", { email: "bo@museum.test", role: "curator" })).status).toBe(200);
      const open = async (server: (typeof started)[0], cookie: string) => {
        const r = new RawClient(`${server.ws}/sync/joint-show`, { cookie });
        raws.push(r);
        await r.opened;
        r.hello();
        await waitFor(() => r.synced, 10_000, "sync");
        return r;
      };
      const onB = await open(b, bo.cookie);
      // The same sign-in (one session cookie) is valid on C as well.
      const onC = await open(c, bo.cookie);
      const me = (await bo.call("GET", "/api/me")).body.user.id as string;
      expect((await owner.call("DELETE", `/api/exhibitions/joint-show/members/${me}`)).status).toBe(200);
      const t = performance.now();
      await waitFor(() => onB.closed !== null && onC.closed !== null, 1000, "both closed within a second");
      expect(performance.now() - t).toBeLessThan(1000);
      expect(onB.closed!.code).toBe(CLOSE.ACCESS_ENDED);
      expect(onC.closed!.code).toBe(CLOSE.ACCESS_ENDED);
      // Removed through A, refused by C at the upgrade.
      await expect(open(c, bo.cookie)).rejects.toThrow("HTTP 403");
      // Signing out through C ends the session for B too.
      const as = (server: (typeof started)[0]) => Object.assign(new ApiSession(server), { cookie: bo.cookie });
      expect((await as(b).call("GET", "/api/me")).status).toBe(200);
      expect((await as(c).call("DELETE", "/api/sessions")).status).toBe(200);
      expect((await as(b).call("GET", "/api/me")).status).toBe(401);
    } finally {
      for (const r of raws) r.close();
      for (const s of started) await s.close();
      for (const cl of closers) await cl();
      await schema.drop();
    }
  });
});

describe("scaled mode: asset jobs in the queue on Redis, run by `npm run worker`", () => {
  it("an upload to one process is tiered by a worker process; another process reports the job and serves the tiers", { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "atrium-worker-"));
    const schema = await freshSchema("worker");
    const prefix = `atrium-test:${docName("worker")}:`;
    const started: Awaited<ReturnType<typeof startServer>>[] = [];
    const closers: (() => Promise<unknown>)[] = [];
    let worker: ChildProcess | null = null;
    try {
      for (let i = 0; i < 2; i++) {
        const jobs = new RedisJobs(REDIS_URL, { prefix: `${prefix}jobs` });
        closers.push(() => jobs.close());
        // Both serve; neither takes jobs (ATRIUM_RUN_JOBS=0): the worker does.
        started.push(await scaledServer(schema.url, prefix, closers, { jobs, runJobs: false, uploadsDir: join(dir, "uploads") }));
      }
      const [a, b] = started as [(typeof started)[0], (typeof started)[0]];
      const teacher = await ApiSession.signUpOn(a, "lin@school.test", "Ms Lin");
      const scan = readFileSync(join(ROOT, "test/fixtures/third-party/museum-3d/astronaut/astronaut.glb"));
      const r = await teacher.upload("/api/assets?title=Space%20suit%20(scan)&licence=CC0-1.0", scan);
      expect(r.status).toBe(201);
      const onB = Object.assign(new ApiSession(b), { cookie: teacher.cookie });
      // Nobody takes the job yet: it waits in the queue, and B can say so.
      expect((await onB.call("GET", r.body.job)).body.status).toBe("queued");

      worker = spawn(process.execPath, ["--import", "tsx", join(ROOT, "server/worker.ts")], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, ATRIUM_REDIS_URL: REDIS_URL, ATRIUM_REDIS_PREFIX: prefix, ATRIUM_DATA_DIR: dir, ATRIUM_DATABASE_URL: schema.url },
      });
      let said = "";
      worker.stdout!.on("data", (d: Buffer) => (said += d));
      worker.stderr!.on("data", (d: Buffer) => (said += d));
      await expect.poll(async () => (await onB.call("GET", r.body.job)).body.status, { timeout: 60_000, interval: 200 }).toBe("done");
      expect(said).toContain("tiers and poster made");
      const job = (await onB.call("GET", r.body.job)).body;
      expect(job.result.tiers.low.bytes).toBeLessThan(job.result.tiers.high.bytes);
      // The worker's entry reached both processes' catalogues over the bus; B serves the tiers from the shared folder.
      for (const s of [teacher, onB]) {
        await expect.poll(async () => (await s.call("GET", `/api/catalogue/${r.body.entry.id}`)).body.item?.asset?.tiers?.low, { timeout: 10_000 }).toMatch(/^\/uploads\//);
      }
      const entry = (await onB.call("GET", `/api/catalogue/${r.body.entry.id}`)).body;
      const low = await onB.get(entry.item.asset.tiers.low);
      expect(low.status).toBe(200);
      expect(Buffer.from(await low.arrayBuffer()).subarray(0, 4).toString()).toBe("glTF");
      // Still the uploader's alone: another account reads neither the entry nor its tiers through B.
      const stranger = await ApiSession.signUpOn(b, "stranger@elsewhere.test", "Stranger");
      expect((await stranger.get(entry.item.asset.tiers.low)).status).toBe(404);
    } finally {
      worker?.kill("SIGTERM");
      for (const s of started) await s.close();
      for (const c of closers) await c();
      await schema.drop();
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
