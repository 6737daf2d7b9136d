import pg from "pg";
import * as Y from "yjs";
import { inTransaction, openMigratedPool } from "../db/postgres-migrations";
import { BatchedPersistence, type BatchRunner } from "./batched-persistence";
import type { StoreRequest, VersionInfo } from "./persistence";

/**
 * Runs each batch as one PostgreSQL transaction on one pooled connection (committed with the
 * server's `synchronous_commit`, on by default: durable when the commit returns).
 */
class PostgresRunner implements BatchRunner {
  constructor(private readonly pool: pg.Pool) {}

  async run(requests: StoreRequest[]): Promise<unknown[]> {
    const client = await this.pool.connect();
    try {
      return await inTransaction(client, async () => {
        const results: unknown[] = [];
        for (const r of requests) results.push(await one(client, r));
        return results;
      });
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

async function one(client: pg.PoolClient, r: StoreRequest): Promise<unknown> {
  switch (r.op) {
    case "load": {
      const rows = await client.query<{ data: Buffer }>("SELECT data FROM doc_updates WHERE doc = $1 ORDER BY seq", [r.doc]);
      return rows.rows.map((row) => new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength));
    }
    case "appendMany":
      await client.query("INSERT INTO doc_updates (doc, data) SELECT $1, d FROM unnest($2::bytea[]) WITH ORDINALITY AS t(d, n) ORDER BY n", [r.doc, r.updates.map(Buffer.from)]);
      return undefined;
    case "compact": {
      // Several processes may write one document: fold what is stored now (rows this process
      // may not have seen yet included) with the given state, never just replace it.
      const rows = await client.query<{ seq: string; data: Buffer }>("SELECT seq, data FROM doc_updates WHERE doc = $1 ORDER BY seq FOR UPDATE", [r.doc]);
      const last = rows.rows.at(-1)?.seq ?? "0";
      const merged = Y.mergeUpdates([...rows.rows.map((row) => new Uint8Array(row.data)), r.state]);
      await client.query("DELETE FROM doc_updates WHERE doc = $1 AND seq <= $2", [r.doc, last]);
      await client.query("INSERT INTO doc_updates (doc, data) VALUES ($1, $2)", [r.doc, Buffer.from(merged)]);
      return undefined;
    }
    case "count":
      return Number((await client.query<{ n: string }>("SELECT COUNT(*) AS n FROM doc_updates WHERE doc = $1", [r.doc])).rows[0]!.n);
    case "saveVersion":
      return Number(
        (await client.query<{ id: string }>("INSERT INTO doc_versions (doc, name, author, at, content) VALUES ($1, $2, $3, $4, $5) RETURNING id", [r.doc, r.version.name, r.version.author, r.version.at, r.version.content])).rows[0]!.id,
      );
    case "versions":
      return (await client.query<{ id: string; name: string; author: string; at: string }>("SELECT id, name, author, at FROM doc_versions WHERE doc = $1 ORDER BY id DESC", [r.doc])).rows.map(
        (v): VersionInfo => ({ id: Number(v.id), name: v.name, author: v.author, at: Number(v.at) }),
      );
    case "versionContent":
      return (await client.query<{ content: string }>("SELECT content FROM doc_versions WHERE doc = $1 AND id = $2", [r.doc, r.id])).rows[0]?.content ?? null;
  }
}

/**
 * Documents in PostgreSQL (the scaled mode, `ATRIUM_DATABASE_URL`): the same update log and
 * versions as the embedded SQLite file, written in batches (group commit, `BatchedPersistence`).
 * `open` applies the schema's migrations first.
 */
export class PostgresPersistence extends BatchedPersistence {
  private constructor(readonly pool: pg.Pool) {
    super(new PostgresRunner(pool));
  }

  static async open(url: string, options: { maxConnections?: number } = {}): Promise<PostgresPersistence> {
    return new PostgresPersistence(await openMigratedPool(url, options.maxConnections));
  }
}
