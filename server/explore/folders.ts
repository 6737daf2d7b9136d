import type { SqlDb } from "../db/sql";
import { DomainError, fieldError } from "../http/errors";
import { FOLDER_LIMITS } from "../../src/shared/api/folders";
import { codePattern, newCode } from "./short-links";

/**
 * Collection folders (issue 23), in the accounts database: `folders` (a user's named folder and
 * its read-only link's code, when shared) and `folder_entries` (a show, or an artefact of one, at
 * a position; the title it had when saved, shown once it is no longer there). SQLite beside the
 * accounts; PostgreSQL schema step 8. Every method takes the owner, so no query reads or changes
 * another user's folder: a folder that is not theirs does not exist for them.
 */

/** Folder ids and entry ids: random, URL-safe, not guessable. */
const ID_LENGTH = 12;
/** A shared link's code: 31^10 ≈ 8e14, found by nobody who was not given it. */
const SHARE_LENGTH = 10;
export const FOLDER_ID = codePattern(ID_LENGTH);
export const SHARE_CODE = codePattern(SHARE_LENGTH);

export interface FolderRow {
  id: string;
  name: string;
  share: string | null;
  updated: number;
  entries: number;
}
export interface EntryRow {
  id: string;
  exhibition: string;
  placement: string | null;
  title: Record<string, string>;
  added: number;
}

type Folder = { id: string; owner_id: string; name: string; share_code: string | null; updated: number | string; entries?: number | string };
const folderRow = (r: Folder): FolderRow => ({ id: r.id, name: r.name, share: r.share_code, updated: Number(r.updated), entries: Number(r.entries ?? 0) });

export class Folders {
  constructor(
    private readonly db: SqlDb,
    private readonly now: () => number = Date.now,
  ) {}

  /** The user's folders, most recently changed first, each with its number of entries. */
  async list(owner: string): Promise<FolderRow[]> {
    const rows = await this.db.all<Folder>(
      "SELECT f.id, f.owner_id, f.name, f.share_code, f.updated, (SELECT COUNT(*) FROM folder_entries e WHERE e.folder_id = f.id) AS entries FROM folders f WHERE f.owner_id = ? ORDER BY f.updated DESC, f.id",
      [owner],
    );
    return rows.map(folderRow);
  }

  /** The ids of the user's folders that hold a show or artefact (`placement` "" for the show). */
  async holding(owner: string, exhibition: string, placement: string): Promise<Set<string>> {
    const rows = await this.db.all<{ folder_id: string }>(
      "SELECT e.folder_id FROM folder_entries e JOIN folders f ON f.id = e.folder_id WHERE f.owner_id = ? AND e.exhibition_id = ? AND e.placement = ?",
      [owner, exhibition, placement],
    );
    return new Set(rows.map((r) => r.folder_id));
  }

  async create(owner: string, name: string): Promise<FolderRow> {
    const count = await this.db.one<{ n: number | string }>("SELECT COUNT(*) AS n FROM folders WHERE owner_id = ?", [owner]);
    if (Number(count?.n ?? 0) >= FOLDER_LIMITS.foldersPerUser) throw fieldError("conflict", "name", `you have ${FOLDER_LIMITS.foldersPerUser} folders, the most one may keep: remove one first`);
    const id = newCode(ID_LENGTH);
    const at = this.now();
    await this.db.run("INSERT INTO folders (id, owner_id, name, share_code, created, updated) VALUES (?, ?, ?, NULL, ?, ?)", [id, owner, name, at, at]);
    return { id, name, share: null, updated: at, entries: 0 };
  }

  /** The user's folder, or "not found" (also when it is someone else's). */
  async require(owner: string, id: string): Promise<FolderRow> {
    const row = FOLDER_ID.test(id)
      ? await this.db.one<Folder>("SELECT f.id, f.owner_id, f.name, f.share_code, f.updated, (SELECT COUNT(*) FROM folder_entries e WHERE e.folder_id = f.id) AS entries FROM folders f WHERE f.id = ? AND f.owner_id = ?", [id, owner])
      : undefined;
    if (!row) throw new DomainError("not-found", `no folder "${id}"`);
    return folderRow(row);
  }

  /** A shared folder by its link's code, with its owner's id; null for any other code. */
  async shared(code: string): Promise<(FolderRow & { owner: string }) | null> {
    if (!SHARE_CODE.test(code)) return null;
    const row = await this.db.one<Folder>("SELECT id, owner_id, name, share_code, updated FROM folders WHERE share_code = ?", [code]);
    return row ? { ...folderRow(row), owner: row.owner_id } : null;
  }

  async rename(owner: string, id: string, name: string): Promise<void> {
    await this.require(owner, id);
    await this.db.run("UPDATE folders SET name = ?, updated = ? WHERE id = ? AND owner_id = ?", [name, this.now(), id, owner]);
  }

  async remove(owner: string, id: string): Promise<void> {
    await this.require(owner, id);
    await this.db.run("DELETE FROM folders WHERE id = ? AND owner_id = ?", [id, owner]);
  }

  /** Shares the folder read-only (its code kept if it has one) or stops sharing it (the old link then leads nowhere, for good). */
  async setShared(owner: string, id: string, shared: boolean): Promise<string | null> {
    const folder = await this.require(owner, id);
    if (shared && folder.share) return folder.share;
    const code = shared ? newCode(SHARE_LENGTH) : null;
    await this.db.run("UPDATE folders SET share_code = ?, updated = ? WHERE id = ? AND owner_id = ?", [code, this.now(), id, owner]);
    return code;
  }

  /** The folder's entries in their order. */
  async entries(folder: string): Promise<EntryRow[]> {
    const rows = await this.db.all<{ id: string; exhibition_id: string; placement: string; title: string; added: number | string }>(
      "SELECT id, exhibition_id, placement, title, added FROM folder_entries WHERE folder_id = ? ORDER BY position, id",
      [folder],
    );
    return rows.map((r) => ({ id: r.id, exhibition: r.exhibition_id, placement: r.placement || null, title: JSON.parse(r.title) as Record<string, string>, added: Number(r.added) }));
  }

  /**
   * Saves a show or artefact at the end of the folder; saving it again changes nothing (the
   * entry it has is returned). Refused once the folder is full.
   */
  async add(owner: string, folder: string, exhibition: string, placement: string | null, title: Record<string, string>): Promise<{ id: string; added: boolean }> {
    return this.db.transaction(async (db) => {
      const f = await db.one<{ id: string }>("SELECT id FROM folders WHERE id = ? AND owner_id = ?", [folder, owner]);
      if (!f) throw new DomainError("not-found", `no folder "${folder}"`);
      const existing = await db.one<{ id: string }>("SELECT id FROM folder_entries WHERE folder_id = ? AND exhibition_id = ? AND placement = ?", [folder, exhibition, placement ?? ""]);
      if (existing) return { id: existing.id, added: false };
      const stats = await db.one<{ n: number | string; last: number | string | null }>("SELECT COUNT(*) AS n, MAX(position) AS last FROM folder_entries WHERE folder_id = ?", [folder]);
      if (Number(stats?.n ?? 0) >= FOLDER_LIMITS.entriesPerFolder) throw fieldError("conflict", "folder", `this folder holds ${FOLDER_LIMITS.entriesPerFolder} things, the most one may: use another folder`);
      const id = newCode(ID_LENGTH);
      const at = this.now();
      await db.run("INSERT INTO folder_entries (folder_id, id, position, exhibition_id, placement, title, added) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", [
        folder,
        id,
        Number(stats?.last ?? -1) + 1,
        exhibition,
        placement ?? "",
        JSON.stringify(title),
        at,
      ]);
      await db.run("UPDATE folders SET updated = ? WHERE id = ?", [at, folder]);
      return { id, added: true };
    });
  }

  async removeEntry(owner: string, folder: string, entry: string): Promise<void> {
    await this.require(owner, folder);
    const n = await this.db.run("DELETE FROM folder_entries WHERE folder_id = ? AND id = ?", [folder, entry]);
    if (n === 0) throw new DomainError("not-found", `no entry "${entry}" in this folder`);
    await this.db.run("UPDATE folders SET updated = ? WHERE id = ?", [this.now(), folder]);
  }

  /** Puts the entries in the order given, which must name each of them exactly once. */
  async reorder(owner: string, folder: string, order: readonly string[]): Promise<void> {
    await this.require(owner, folder);
    await this.db.transaction(async (db) => {
      const ids = (await db.all<{ id: string }>("SELECT id FROM folder_entries WHERE folder_id = ?", [folder])).map((r) => r.id);
      const given = new Set(order);
      if (given.size !== order.length || order.length !== ids.length || ids.some((id) => !given.has(id)))
        throw fieldError("unprocessable", "entries", `must name each of the folder's ${ids.length} entries exactly once (got ${order.length}, ${given.size} different)`);
      for (const [position, id] of order.entries()) await db.run("UPDATE folder_entries SET position = ? WHERE folder_id = ? AND id = ?", [position, folder, id]);
      await db.run("UPDATE folders SET updated = ? WHERE id = ?", [this.now(), folder]);
    });
  }
}
