import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { MIGRATIONS, migrate } from "../../server/db/postgres-migrations";
import { BatchedPersistence } from "../../server/sync/batched-persistence";
import { MemoryPersistence, type Persistence } from "../../server/sync/persistence";
import { AccountStore } from "../../server/accounts/account-store";
import { UploadStore } from "../../server/catalogue/uploads";
import { SqlEntryRows } from "../../server/catalogue/entry-rows";
import { PostgresDb } from "../../server/db/postgres-db";
import type { CatalogueEntry } from "../../src/shared/exhibition";
import { PostgresPersistence } from "../../server/sync/postgres-persistence";
import { SqlitePersistence } from "../../server/sync/sqlite-persistence";
import { freshSchema } from "../support/postgres";
import { ROOT } from "../support/server";

/** Real Yjs updates: a curator setting labels, one update per edit. */
function edits(n: number, clientID = 1): { updates: Uint8Array[]; doc: Y.Doc } {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < n; i++) doc.getMap("labels").set(`label-${i % 20}`, `text ${i} from ${clientID}`);
  return { updates, doc };
}

function replay(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc;
}

interface StoreKind {
  name: string;
  /** Opens the store; `again` opens the same storage a second time (after a restart). */
  open(): Promise<{ store: Persistence; again: () => Promise<Persistence>; done: () => Promise<void> }>;
}

const kinds: StoreKind[] = [
  {
    name: "memory",
    async open() {
      const store = new MemoryPersistence();
      return { store, again: async () => store, done: async () => {} };
    },
  },
  {
    name: "SQLite (worker thread)",
    async open() {
      const dir = mkdtempSync(join(tmpdir(), "atrium-persistence-"));
      const file = join(dir, "atrium.sqlite");
      return { store: new SqlitePersistence(file), again: async () => new SqlitePersistence(file), done: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: "PostgreSQL",
    async open() {
      const schema = await freshSchema("persistence");
      return { store: await PostgresPersistence.open(schema.url), again: () => PostgresPersistence.open(schema.url), done: schema.drop };
    },
  },
];

describe.each(kinds)("persistence contract: $name", (kind) => {
  let opened: Awaited<ReturnType<StoreKind["open"]>>;
  let store: Persistence;
  beforeAll(async () => {
    opened = await kind.open();
    store = opened.store;
  });
  afterAll(async () => {
    await store.close();
    await opened.done();
  });

  it("stores updates in the order they were called, and a load sees every write called before it", async () => {
    const { updates, doc } = edits(120);
    // Not awaited one by one: the calls of one turn go together, in order.
    const writes = updates.map((u) => store.appendMany("order", [u]));
    const loaded = store.load("order");
    await Promise.all(writes);
    const stored = await loaded;
    expect(stored.length).toBe(120);
    expect(stored.map((u) => Buffer.from(u).toString("hex"))).toEqual(updates.map((u) => Buffer.from(u).toString("hex")));
    expect(replay(stored).getMap("labels").toJSON()).toEqual(doc.getMap("labels").toJSON());
    expect(await store.count("order")).toBe(120);
    expect(await store.count("never-written")).toBe(0);
    expect(await store.load("never-written")).toEqual([]);
  });

  it("compacts a document into one snapshot that holds all of it", async () => {
    const { updates, doc } = edits(60, 7);
    await store.appendMany("compacted", updates);
    await store.compact("compacted", Y.encodeStateAsUpdate(doc));
    expect(await store.count("compacted")).toBe(1);
    expect(replay(await store.load("compacted")).getMap("labels").toJSON()).toEqual(doc.getMap("labels").toJSON());
    // Writes after the snapshot follow it.
    doc.getMap("labels").set("after", "written after the snapshot");
    await store.appendMany("compacted", [Y.encodeStateAsUpdate(doc, Y.encodeStateVector(replay(await store.load("compacted"))))]);
    expect(replay(await store.load("compacted")).getMap("labels").get("after")).toBe("written after the snapshot");
  });

  it("keeps named versions, newest first", async () => {
    const first = await store.saveVersion("versioned", { name: "Before the opening", author: "Chen", at: 1_700_000_000_000, content: '{"v":1}' });
    const second = await store.saveVersion("versioned", { name: "Opening day", author: "Bo", at: 1_700_000_100_000, content: '{"v":2}' });
    expect(second).not.toBe(first);
    expect(await store.versions("versioned")).toEqual([
      { id: second, name: "Opening day", author: "Bo", at: 1_700_000_100_000 },
      { id: first, name: "Before the opening", author: "Chen", at: 1_700_000_000_000 },
    ]);
    expect(await store.versionContent("versioned", first)).toBe('{"v":1}');
    expect(await store.versionContent("versioned", 999_999)).toBeNull();
    expect(await store.versions("other")).toEqual([]);
  });

  it("refuses a whole batch that fails, tells every caller, and carries on", async () => {
    const bad = store.appendMany("broken", [null as unknown as Uint8Array]);
    await expect(bad).rejects.toThrow();
    const { updates } = edits(3, 9);
    await store.appendMany("after-failure", updates);
    expect(await store.count("after-failure")).toBe(3);
  });

  it("keeps what was written across a restart of the store", async () => {
    if (kind.name === "memory") return; // nothing to restart
    const { updates, doc } = edits(40, 11);
    await store.appendMany("durable", updates);
    await store.close();
    store = await opened.again();
    expect(replay(await store.load("durable")).getMap("labels").toJSON()).toEqual(doc.getMap("labels").toJSON());
  });
});

describe("group commit", () => {
  it("commits the calls made while a batch is under way together, in order", async () => {
    const batches: number[] = [];
    const inner = new MemoryPersistence();
    const store = new BatchedPersistence({
      async run(requests) {
        batches.push(requests.length);
        await new Promise((r) => setTimeout(r, 5)); // a commit that takes a while
        const out: unknown[] = [];
        for (const r of requests) out.push(r.op === "appendMany" ? await inner.appendMany(r.doc, r.updates) : r.op === "count" ? await inner.count(r.doc) : null);
        return out;
      },
      close: async () => {},
    });
    const { updates } = edits(200, 3);
    const writes: Promise<void>[] = [];
    for (let i = 0; i < updates.length; i++) {
      writes.push(store.appendMany("doc", [updates[i]!]));
      if (i % 50 === 49) await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(writes);
    expect(await store.count("doc")).toBe(200);
    // 200 appends plus one count, in a handful of commits rather than 201.
    expect(batches.reduce((a, b) => a + b, 0)).toBe(201);
    expect(batches.length).toBeLessThan(10);
    expect((await inner.load("doc")).map((u) => Buffer.from(u).toString("hex"))).toEqual(updates.map((u) => Buffer.from(u).toString("hex")));
    await store.close();
  });

  it("SQLite: 200 appends in flight take far fewer commits than 200 appends one at a time", async () => {
    const dir = mkdtempSync(join(tmpdir(), "atrium-persistence-"));
    const store = new SqlitePersistence(join(dir, "atrium.sqlite"));
    try {
      const { updates } = edits(200, 5);
      await store.count("warm"); // the worker is running
      await Promise.all(updates.map((u) => store.appendMany("doc", [u])));
      expect(store.commits).toBeLessThan(20);
      expect(await store.count("doc")).toBe(200);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("PostgreSQL schema and several writers", () => {
  let schema: Awaited<ReturnType<typeof freshSchema>>;
  let pool: pg.Pool;
  beforeAll(async () => {
    schema = await freshSchema("migrations");
    pool = new pg.Pool({ connectionString: schema.url, max: 4 });
  });
  afterAll(async () => {
    await pool.end();
    await schema.drop();
  });

  it("applies each migration once, even when several processes start at once", async () => {
    const results = await Promise.all([migrate(pool), migrate(pool), migrate(pool)]);
    expect(results.flat().sort((a, b) => a - b)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(pool)).toEqual([]);
    const rows = (await pool.query<{ version: number }>("SELECT version FROM schema_migrations ORDER BY version")).rows;
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it("a compaction by one process keeps the updates another process stored meanwhile", async () => {
    const a = await PostgresPersistence.open(schema.url);
    const b = await PostgresPersistence.open(schema.url);
    try {
      const mine = edits(10, 21);
      const theirs = edits(10, 22);
      await a.appendMany("shared", mine.updates);
      await b.appendMany("shared", theirs.updates);
      // Process A folds the log with the state it knows: only its own edits.
      await a.compact("shared", Y.encodeStateAsUpdate(mine.doc));
      const doc = replay(await b.load("shared"));
      expect(await b.count("shared")).toBe(1);
      for (const source of [mine.doc, theirs.doc]) for (const [k] of source.getMap("labels")) expect(doc.getMap("labels").has(k)).toBe(true);
      expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(replay([...mine.updates, ...theirs.updates])));
    } finally {
      await a.close();
      await b.close();
    }
  });
});

/** A model upload's catalogue entry, as `UploadStore.accept` writes one. */
const CATALOGUE_ENTRY = (user: string): CatalogueEntry => ({
  id: `upload-0123456789abcdef-${user.replace(/[^A-Za-z0-9]/g, "").slice(0, 12)}`,
  museum: { id: "npm", name: { en: "National Palace Museum" } },
  item: {
    title: { en: "Tea bowl (scan)" },
    description: {},
    institution: "npm",
    creditLine: { en: "Uploaded by Chen" },
    licences: { metadata: "CC0-1.0", thumbnail: "CC0-1.0", object: "CC0-1.0" },
    rightsHolder: "Chen",
    sourceId: "upload:0123456789abcdef",
    asset: { kind: "model", tiers: { high: "/uploads/0123456789abcdef.glb" }, unitsPerMeter: 1 },
  },
  facets: { institution: "npm", licence: "CC0-1.0", kind: "model" },
  placeable: true,
  uploadedBy: user,
});

describe("npm run migrate-data: an embedded installation's documents and accounts into PostgreSQL", () => {
  it("moves every document (as one snapshot), its named versions, the accounts and the catalogue entries, and leaves what is already there alone", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "atrium-migrate-"));
    const schema = await freshSchema("migrate_data");
    try {
      const sqlite = new SqlitePersistence(join(dir, "atrium.sqlite"));
      const a = edits(30, 31);
      const b = edits(12, 32);
      await sqlite.appendMany("tea-and-its-vessels", a.updates);
      await sqlite.appendMany("bone-and-clay", b.updates);
      await sqlite.saveVersion("tea-and-its-vessels", { name: "Opening", author: "Chen", at: 1_700_000_000_000, content: '{"v":1}' });
      await sqlite.close();
      // Accounts in the same file: a curator of a museum that owns the show, signed in, and one member still to sign up.
      const embedded = new AccountStore(join(dir, "atrium.sqlite"));
      const chen = await embedded.createUser({ email: "chen@museum.test", name: "Chen", password: "a long enough password" });
      await embedded.createMuseum("npm", { en: "National Palace Museum", "zh-Hant": "國立故宮博物院" });
      await embedded.setMuseumMember("npm", chen.id, "curator");
      await embedded.registerExhibition({ id: "tea-and-its-vessels", ownerKind: "museum", ownerId: "npm", published: false, title: { en: "Tea" } });
      await embedded.addMemberByEmail("exhibition", "tea-and-its-vessels", "later@school.test", "viewer", chen.id);
      const token = await embedded.startSession(chen.id);
      await embedded.close();
      // An upload's catalogue entry, as the embedded server keeps it (a file beside the uploads).
      const uploads = new UploadStore(join(dir, "uploads"));
      const upload = CATALOGUE_ENTRY(chen.id);
      await uploads.saveEntry(upload);
      // One document is already in PostgreSQL (a partial earlier run): it is not overwritten.
      const pgBefore = await PostgresPersistence.open(schema.url);
      const there = edits(3, 33);
      await pgBefore.appendMany("bone-and-clay", there.updates);
      await pgBefore.close();

      const run = (args: string[]) =>
        new Promise<{ code: number | null; out: string }>((ok) => {
          const proc = spawn(process.execPath, ["--import", "tsx", join(ROOT, "scripts/migrate-data.ts"), ...args], { cwd: ROOT, env: { ...process.env, ATRIUM_DATABASE_URL: schema.url } });
          let out = "";
          proc.stdout.on("data", (d: Buffer) => (out += d));
          proc.stderr.on("data", (d: Buffer) => (out += d));
          proc.on("exit", (code) => ok({ code, out }));
        });
      const result = await run([join(dir, "atrium.sqlite")]);
      expect(result.out).toContain("1 document(s) and 1 named version(s) moved, 1 already there");
      expect(result.code).toBe(0);

      const pg = await PostgresPersistence.open(schema.url);
      try {
        expect(await pg.count("tea-and-its-vessels")).toBe(1);
        expect(replay(await pg.load("tea-and-its-vessels")).getMap("labels").toJSON()).toEqual(a.doc.getMap("labels").toJSON());
        expect((await pg.versions("tea-and-its-vessels")).map((v) => v.name)).toEqual(["Opening"]);
        expect(replay(await pg.load("bone-and-clay")).getMap("labels").toJSON()).toEqual(there.doc.getMap("labels").toJSON());
      } finally {
        await pg.close();
      }
      expect(result.out).toContain("users: 1 of 1 row(s) copied");
      expect(result.out).toContain("catalogue_entries: 1 of 1 entr(ies) copied");
      const entriesDb = new PostgresDb(schema.url);
      const movedUploads = new UploadStore(join(dir, "elsewhere"), new SqlEntryRows(entriesDb));
      await movedUploads.load();
      expect(movedUploads.entry(upload.id)).toEqual(upload);
      await entriesDb.close();
      const moved = new AccountStore(schema.url);
      try {
        // The password, the session, the museum role and the show's owner all came along.
        expect((await moved.checkPassword("chen@museum.test", "a long enough password"))?.id).toBe(chen.id);
        expect((await moved.sessionUser(token))?.email).toBe("chen@museum.test");
        expect(await moved.roleOf("tea-and-its-vessels", chen)).toBe("curator");
        expect((await moved.museum("npm"))?.name["zh-Hant"]).toBe("國立故宮博物院");
        expect((await moved.auditLog("tea-and-its-vessels")).map((e) => e.action)).toEqual(["exhibition-member-set"]);
        // The member waiting for sign-up gets their role when they sign up in the scaled mode.
        const later = await moved.createUser({ email: "later@school.test", name: "Later", password: "another long password" });
        expect(await moved.roleOf("tea-and-its-vessels", later)).toBe("viewer");
      } finally {
        await moved.close();
      }
      // Run again: nothing is copied twice.
      const second = await run([join(dir, "atrium.sqlite")]);
      expect(second.code).toBe(0);
      expect(second.out).toContain("0 document(s) and 0 named version(s) moved, 2 already there");
      expect(second.out).toContain("users: 0 of 1 row(s) copied");
      expect(second.out).toContain("audit_log: already filled, left as it is");
      expect(second.out).toContain("catalogue_entries: 0 of 1 entr(ies) copied");
      // A missing file is a clear refusal, not a crash.
      const missing = await run([join(dir, "nothing-here.sqlite")]);
      expect(missing.code).toBe(2);
      expect(missing.out).toContain("no SQLite file at");
    } finally {
      await schema.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
