import { randomUUID } from "node:crypto";
import { ROLE_RANK as RANK, type Role } from "../../src/shared/exhibition/permissions";
import { PostgresDb } from "../db/postgres-db";
import type { SqlDb } from "../db/sql";
import { SqliteDb } from "../db/sqlite-db";
import { DomainError } from "../http/errors";
import { hashPassword, hashSecret, newSecret, verifyPassword } from "./passwords";

export interface User {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
}
export type MuseumRole = "admin" | "curator";
export interface ExhibitionRecord {
  id: string;
  ownerKind: "person" | "museum";
  ownerId: string;
  published: boolean;
  /** Title in each language, as given at creation (the live title is in the document). */
  title: Record<string, string>;
}

/** Columns added to the embedded file's tables since they were first made (PostgreSQL: a schema step each). */
const SQLITE_ADDED_COLUMNS = [{ table: "teacher_surveys", column: "lesson_plan", type: "TEXT" }] as const;

const SESSION_DAYS = 30;
const INVITE_DAYS = 14;

/** The embedded SQLite file's tables (PostgreSQL's are schema step 3 of `db/postgres-migrations.ts`). */
const SQLITE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, password TEXT NOT NULL, is_admin INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS sessions (token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, expires INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS museums (id TEXT PRIMARY KEY, name TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS museum_members (museum_id TEXT NOT NULL REFERENCES museums(id) ON DELETE CASCADE, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, role TEXT NOT NULL, PRIMARY KEY (museum_id, user_id));
  CREATE TABLE IF NOT EXISTS exhibitions (id TEXT PRIMARY KEY, owner_kind TEXT NOT NULL, owner_id TEXT NOT NULL, published INTEGER NOT NULL DEFAULT 0, title TEXT NOT NULL DEFAULT '{}', created INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS exhibition_members (exhibition_id TEXT NOT NULL REFERENCES exhibitions(id) ON DELETE CASCADE, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, role TEXT NOT NULL, PRIMARY KEY (exhibition_id, user_id));
  CREATE TABLE IF NOT EXISTS invites (token_hash TEXT PRIMARY KEY, exhibition_id TEXT NOT NULL REFERENCES exhibitions(id) ON DELETE CASCADE, role TEXT NOT NULL, created_by TEXT NOT NULL, expires INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS pending_members (email TEXT NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL, role TEXT NOT NULL, added_by TEXT NOT NULL, created INTEGER NOT NULL, PRIMARY KEY (email, kind, target));
  CREATE TABLE IF NOT EXISTS audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT, action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '{}');
  CREATE INDEX IF NOT EXISTS audit_log_target ON audit_log (target, id);
  CREATE TABLE IF NOT EXISTS short_links (code TEXT PRIMARY KEY, exhibition_id TEXT NOT NULL REFERENCES exhibitions(id) ON DELETE CASCADE, placement TEXT NOT NULL DEFAULT '', created INTEGER NOT NULL, UNIQUE (exhibition_id, placement));
  CREATE TABLE IF NOT EXISTS visit_salts (day TEXT PRIMARY KEY, salt TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS visit_counts (exhibition_id TEXT NOT NULL REFERENCES exhibitions(id) ON DELETE CASCADE, day TEXT NOT NULL, placement TEXT NOT NULL, metric TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (exhibition_id, day, placement, metric));
  CREATE TABLE IF NOT EXISTS visit_dwell (exhibition_id TEXT NOT NULL REFERENCES exhibitions(id) ON DELETE CASCADE, day TEXT NOT NULL, placement TEXT NOT NULL, bucket INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (exhibition_id, day, placement, bucket));
  CREATE TABLE IF NOT EXISTS surveys (exhibition_id TEXT PRIMARY KEY REFERENCES exhibitions(id) ON DELETE CASCADE, enabled INTEGER NOT NULL, questions TEXT NOT NULL, updated INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS survey_answers (id INTEGER PRIMARY KEY AUTOINCREMENT, exhibition_id TEXT NOT NULL REFERENCES exhibitions(id) ON DELETE CASCADE, day TEXT NOT NULL, answers TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS survey_answers_by_day ON survey_answers (exhibition_id, day);
  CREATE TABLE IF NOT EXISTS teacher_surveys (class_id TEXT PRIMARY KEY, exhibition_id TEXT NOT NULL REFERENCES exhibitions(id) ON DELETE CASCADE, day TEXT NOT NULL, score INTEGER NOT NULL, comment TEXT);
  CREATE INDEX IF NOT EXISTS teacher_surveys_by_day ON teacher_surveys (exhibition_id, day);
  CREATE TABLE IF NOT EXISTS visit_visitors (exhibition_id TEXT NOT NULL REFERENCES exhibitions(id) ON DELETE CASCADE, day TEXT NOT NULL, visitor TEXT NOT NULL, PRIMARY KEY (exhibition_id, day, visitor));
  CREATE TABLE IF NOT EXISTS folders (id TEXT PRIMARY KEY, owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, name TEXT NOT NULL, share_code TEXT UNIQUE, created INTEGER NOT NULL, updated INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS folders_by_owner ON folders (owner_id);
  CREATE TABLE IF NOT EXISTS folder_entries (folder_id TEXT NOT NULL REFERENCES folders(id) ON DELETE CASCADE, id TEXT NOT NULL, position INTEGER NOT NULL, exhibition_id TEXT NOT NULL REFERENCES exhibitions(id) ON DELETE CASCADE, placement TEXT NOT NULL DEFAULT '', title TEXT NOT NULL, added INTEGER NOT NULL, PRIMARY KEY (folder_id, id), UNIQUE (folder_id, exhibition_id, placement));
`;

/** A PostgreSQL connection URL (the scaled mode), as opposed to a SQLite file's path. */
export const isPostgresUrl = (where: string): boolean => /^postgres(ql)?:\/\//.test(where);

/**
 * Accounts, museums and who may do what with each exhibition: in the embedded SQLite file (the
 * same file as the documents by default), or in PostgreSQL in the scaled mode, where every
 * process reads the same rows (a session started on one process is valid on all; a membership
 * removed through one is gone for all). One set of statements serves both (`db/sql.ts`).
 * Secrets (session and invite tokens) are stored only as SHA-256 hashes, passwords only as
 * scrypt hashes.
 */
export class AccountStore {
  readonly db: SqlDb;

  /** `where`: a SQLite file (":memory:" for none), a `postgres://` URL, or an open database. */
  constructor(where: string | SqlDb) {
    this.db = typeof where !== "string" ? where : isPostgresUrl(where) ? new PostgresDb(where) : new SqliteDb(where, SQLITE_SCHEMA, SQLITE_ADDED_COLUMNS);
  }

  /** Resolves once the database answers (PostgreSQL: its schema migrated); rejects with why not. */
  async ready(): Promise<void> {
    await this.db.one("SELECT 1 AS ok");
  }

  close(): Promise<void> {
    return this.db.close();
  }

  // --- users and sessions -------------------------------------------------------------------

  async createUser(input: { email: string; name: string; password: string; isAdmin?: boolean }): Promise<User> {
    const email = input.email.trim().toLowerCase();
    const taken = () => new ConflictError("email", `an account for ${email} already exists`);
    if (await this.db.one("SELECT 1 FROM users WHERE email = ?", [email])) throw taken();
    const user: User = { id: randomUUID(), email, name: input.name.trim(), isAdmin: !!input.isAdmin };
    const hash = await hashPassword(input.password);
    try {
      await this.db.transaction(async (db) => {
        await db.run("INSERT INTO users (id, email, name, password, is_admin, created) VALUES (?, ?, ?, ?, ?, ?)", [user.id, user.email, user.name, hash, user.isAdmin ? 1 : 0, Date.now()]);
        // Memberships given to this e-mail before it had an account take effect now.
        const pending = await db.all<{ kind: "exhibition" | "museum"; target: string; role: string; added_by: string }>("SELECT kind, target, role, added_by FROM pending_members WHERE email = ?", [email]);
        for (const p of pending) {
          if (p.kind === "exhibition" && (await exhibitionRow(db, p.target))) await setMember(db, p.target, user.id, p.role as Role);
          if (p.kind === "museum" && (await db.one("SELECT 1 FROM museums WHERE id = ?", [p.target]))) await setMuseumMember(db, p.target, user.id, p.role as MuseumRole);
          await audit(db, p.added_by, `${p.kind}-member-joined`, p.target, { user: user.id, role: p.role });
        }
        await db.run("DELETE FROM pending_members WHERE email = ?", [email]);
      });
    } catch (e) {
      // Two sign-ups with one e-mail at once (on two processes, say): the second finds it taken.
      if (isUniqueViolation(e)) throw taken();
      throw e;
    }
    return user;
  }

  /**
   * Gives `email` a role on an exhibition or in a museum, whether or not it has an account yet
   * (it takes effect at sign-up): the answer is the same either way, so adding a member never
   * tells anyone who has an account. Returns the account's id when it exists (for the re-check of
   * its open sockets), never to the caller.
   */
  async addMemberByEmail(kind: "exhibition" | "museum", target: string, email: string, role: Role | MuseumRole, addedBy: string): Promise<string | null> {
    const user = await this.userByEmail(email);
    if (user) {
      if (kind === "exhibition") await setMember(this.db, target, user.id, role as Role);
      else await setMuseumMember(this.db, target, user.id, role as MuseumRole);
    } else
      await this.db.run(
        "INSERT INTO pending_members (email, kind, target, role, added_by, created) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (email, kind, target) DO UPDATE SET role = excluded.role, added_by = excluded.added_by",
        [email.trim().toLowerCase(), kind, target, role, addedBy, Date.now()],
      );
    await this.audit(addedBy, `${kind}-member-set`, target, { email: email.trim().toLowerCase(), role });
    return user?.id ?? null;
  }

  /** Members added by e-mail who have no account yet. */
  pendingMembers(kind: "exhibition" | "museum", target: string): Promise<{ email: string; role: string }[]> {
    return this.db.all("SELECT email, role FROM pending_members WHERE kind = ? AND target = ? ORDER BY email", [kind, target]);
  }

  // --- audit log ----------------------------------------------------------------------------

  /** Records who changed whose rights (roles, memberships, invites, publication, sign-ins of administrators). */
  audit(actor: string | null, action: string, target: string, detail: Record<string, unknown> = {}): Promise<void> {
    return audit(this.db, actor, action, target, detail);
  }

  /** The audit log, newest first: of one target (an exhibition or museum id), or of everything. */
  async auditLog(target: string | null, limit = 200): Promise<{ at: number; actor: string | null; action: string; target: string; detail: Record<string, unknown> }[]> {
    const rows =
      target === null
        ? await this.db.all<AuditRow>("SELECT at, actor, action, target, detail FROM audit_log ORDER BY id DESC LIMIT ?", [limit])
        : await this.db.all<AuditRow>("SELECT at, actor, action, target, detail FROM audit_log WHERE target = ? ORDER BY id DESC LIMIT ?", [target, limit]);
    return rows.map((r) => ({ ...r, at: Number(r.at), detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }

  async userByEmail(email: string): Promise<User | null> {
    return toUser(await this.db.one("SELECT * FROM users WHERE email = ?", [email.trim().toLowerCase()]));
  }

  async user(id: string): Promise<User | null> {
    return toUser(await this.db.one("SELECT * FROM users WHERE id = ?", [id]));
  }

  /** The user if the password is right, else null (same time either way, near enough). */
  async checkPassword(email: string, password: string): Promise<User | null> {
    const row = await this.db.one<UserRow & { password: string }>("SELECT * FROM users WHERE email = ?", [email.trim().toLowerCase()]);
    const ok = await verifyPassword(password, row?.password ?? "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA");
    return ok && row ? toUser(row) : null;
  }

  /** Starts a session; returns the token for the cookie (only its hash is kept). */
  async startSession(userId: string): Promise<string> {
    const { token, hash } = newSecret();
    await this.db.run("INSERT INTO sessions (token_hash, user_id, expires) VALUES (?, ?, ?)", [hash, userId, Date.now() + SESSION_DAYS * 864e5]);
    return token;
  }

  async sessionUser(token: string | undefined): Promise<User | null> {
    if (!token) return null;
    return toUser(await this.db.one("SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires > ?", [hashSecret(token), Date.now()]));
  }

  async endSession(token: string): Promise<void> {
    await this.db.run("DELETE FROM sessions WHERE token_hash = ?", [hashSecret(token)]);
  }

  // --- museums ------------------------------------------------------------------------------

  async createMuseum(id: string, name: Record<string, string>): Promise<void> {
    const taken = () => new ConflictError("id", `museum "${id}" already exists`);
    if (await this.db.one("SELECT 1 FROM museums WHERE id = ?", [id])) throw taken();
    try {
      await this.db.run("INSERT INTO museums (id, name) VALUES (?, ?)", [id, JSON.stringify(name)]);
    } catch (e) {
      if (isUniqueViolation(e)) throw taken();
      throw e;
    }
  }

  async museum(id: string): Promise<{ id: string; name: Record<string, string> } | null> {
    const row = await this.db.one<{ id: string; name: string }>("SELECT * FROM museums WHERE id = ?", [id]);
    return row ? { id: row.id, name: JSON.parse(row.name) } : null;
  }

  setMuseumMember(museumId: string, userId: string, role: MuseumRole): Promise<void> {
    return setMuseumMember(this.db, museumId, userId, role);
  }

  async museumRole(museumId: string, userId: string): Promise<MuseumRole | null> {
    return (await this.db.one<{ role: MuseumRole }>("SELECT role FROM museum_members WHERE museum_id = ? AND user_id = ?", [museumId, userId]))?.role ?? null;
  }

  museumsOf(userId: string): Promise<{ id: string; role: MuseumRole }[]> {
    return this.db.all("SELECT museum_id AS id, role FROM museum_members WHERE user_id = ? ORDER BY museum_id", [userId]);
  }

  // --- exhibitions and roles ----------------------------------------------------------------

  /** Registers an exhibition (creation, or a sample file seen at start-up) unless it is known. */
  async registerExhibition(rec: ExhibitionRecord): Promise<boolean> {
    const changed = await this.db.run("INSERT INTO exhibitions (id, owner_kind, owner_id, published, title, created) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING", [
      rec.id,
      rec.ownerKind,
      rec.ownerId,
      rec.published ? 1 : 0,
      JSON.stringify(rec.title),
      Date.now(),
    ]);
    return changed === 1;
  }

  async exhibition(id: string): Promise<ExhibitionRecord | null> {
    const row = await exhibitionRow(this.db, id);
    return row ? toExhibition(row) : null;
  }

  async exhibitions(): Promise<ExhibitionRecord[]> {
    return (await this.db.all<ExhibitionRow>("SELECT * FROM exhibitions ORDER BY id")).map(toExhibition);
  }

  /** Published exhibitions with when each was last published (ms; its creation when it never went through publish, as the samples). */
  async publishedExhibitions(): Promise<{ id: string; published: number }[]> {
    const rows = await this.db.all<{ id: string; at: number | string }>(
      "SELECT e.id AS id, COALESCE(MAX(a.at), e.created) AS at FROM exhibitions e LEFT JOIN audit_log a ON a.target = e.id AND a.action = 'published' WHERE e.published = 1 GROUP BY e.id, e.created ORDER BY e.id",
    );
    return rows.map((r) => ({ id: r.id, published: Number(r.at) }));
  }

  async setPublished(id: string, published: boolean): Promise<void> {
    await this.db.run("UPDATE exhibitions SET published = ? WHERE id = ?", [published ? 1 : 0, id]);
  }

  setMember(exhibitionId: string, userId: string, role: Role): Promise<void> {
    return setMember(this.db, exhibitionId, userId, role);
  }

  async removeMember(exhibitionId: string, userId: string): Promise<boolean> {
    return (await this.db.run("DELETE FROM exhibition_members WHERE exhibition_id = ? AND user_id = ?", [exhibitionId, userId])) === 1;
  }

  async members(exhibitionId: string): Promise<{ user: User; role: Role }[]> {
    const rows = await this.db.all<UserRow & { member_role: Role }>(
      "SELECT u.*, m.role AS member_role FROM exhibition_members m JOIN users u ON u.id = m.user_id WHERE m.exhibition_id = ? ORDER BY u.email",
      [exhibitionId],
    );
    return rows.map((r) => ({ user: toUser(r)!, role: r.member_role }));
  }

  /**
   * A user's role on an exhibition: an explicit membership wins; then ownership (the person, or a
   * museum's admins as owners and its curators as curators); site admins own everything; anyone,
   * signed in or not, may view a published exhibition. A museum's curators see another museum's
   * drafts only when invited.
   */
  async roleOf(exhibitionId: string, user: User | null): Promise<Role | null> {
    const ex = await this.exhibition(exhibitionId);
    if (!ex) return null;
    if (user) {
      const member = await explicitRole(this.db, exhibitionId, user.id);
      if (member) return member;
      if (ex.ownerKind === "person" && ex.ownerId === user.id) return "owner";
      if (ex.ownerKind === "museum") {
        const m = await this.museumRole(ex.ownerId, user.id);
        if (m === "admin") return "owner";
        if (m === "curator") return "curator";
      }
      if (user.isAdmin) return "owner";
    }
    return ex.published ? "viewer" : null;
  }

  // --- invites ------------------------------------------------------------------------------

  async createInvite(exhibitionId: string, role: Role, createdBy: string): Promise<string> {
    const { token, hash } = newSecret();
    await this.db.run("INSERT INTO invites (token_hash, exhibition_id, role, created_by, expires) VALUES (?, ?, ?, ?, ?)", [hash, exhibitionId, role, createdBy, Date.now() + INVITE_DAYS * 864e5]);
    return token;
  }

  /** What an invite is for, without accepting it (the token is the secret), or null. */
  async inviteInfo(token: string): Promise<{ exhibitionId: string; role: Role } | null> {
    const row = await this.db.one<{ exhibition_id: string; role: Role }>("SELECT exhibition_id, role FROM invites WHERE token_hash = ? AND expires > ?", [hashSecret(token), Date.now()]);
    return row ? { exhibitionId: row.exhibition_id, role: row.role } : null;
  }

  /**
   * Accepts an invite for `userId`: the membership is created, the invite stays valid for others
   * until it expires. It never lowers the role the user already has, however they have it (an
   * explicit membership, ownership, their museum's role, site administration): only a higher role
   * is written, since an explicit membership would override the others.
   */
  async acceptInvite(token: string, userId: string): Promise<{ exhibitionId: string; role: Role } | null> {
    const invite = await this.inviteInfo(token);
    if (!invite) return null;
    const { exhibitionId, role } = invite;
    const user = await this.user(userId);
    const current = user ? await this.roleOf(exhibitionId, user) : null;
    const published = (await this.exhibition(exhibitionId))?.published ?? false;
    // A published show's "viewer" is everyone's role, not one the user holds: an invite may raise it.
    const held = current === "viewer" && published && !(await explicitRole(this.db, exhibitionId, userId)) ? null : current;
    if (!held || RANK[role] > RANK[held]) {
      await setMember(this.db, exhibitionId, userId, role);
      await this.audit(userId, "invite-accepted", exhibitionId, { role });
    }
    return { exhibitionId, role };
  }
}

// Statements used both on their own and inside a transaction (on the transaction's `db`).
async function setMember(db: SqlDb, exhibitionId: string, userId: string, role: Role): Promise<void> {
  await db.run("INSERT INTO exhibition_members (exhibition_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT (exhibition_id, user_id) DO UPDATE SET role = excluded.role", [exhibitionId, userId, role]);
}
async function setMuseumMember(db: SqlDb, museumId: string, userId: string, role: MuseumRole): Promise<void> {
  await db.run("INSERT INTO museum_members (museum_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT (museum_id, user_id) DO UPDATE SET role = excluded.role", [museumId, userId, role]);
}
async function audit(db: SqlDb, actor: string | null, action: string, target: string, detail: Record<string, unknown> = {}): Promise<void> {
  await db.run("INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)", [Date.now(), actor, action, target, JSON.stringify(detail)]);
}
function exhibitionRow(db: SqlDb, id: string): Promise<ExhibitionRow | undefined> {
  return db.one<ExhibitionRow>("SELECT * FROM exhibitions WHERE id = ?", [id]);
}
async function explicitRole(db: SqlDb, exhibitionId: string, userId: string): Promise<Role | null> {
  return (await db.one<{ role: Role }>("SELECT role FROM exhibition_members WHERE exhibition_id = ? AND user_id = ?", [exhibitionId, userId]))?.role ?? null;
}

/** A unique key taken meanwhile: SQLite's SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY, PostgreSQL's 23505. */
function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

export { ROLE_RANK as RANK } from "../../src/shared/exhibition/permissions";

/** A uniqueness clash, named by field for the API's error message. */
export class ConflictError extends DomainError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super("conflict", `${field}: ${message}`, { field });
  }
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  is_admin: number;
}
interface AuditRow {
  at: number | string;
  actor: string | null;
  action: string;
  target: string;
  detail: string;
}
interface ExhibitionRow {
  id: string;
  owner_kind: "person" | "museum";
  owner_id: string;
  published: number;
  title: string;
}
function toUser(row: unknown): User | null {
  const r = row as UserRow | undefined;
  return r ? { id: r.id, email: r.email, name: r.name, isAdmin: r.is_admin === 1 } : null;
}
function toExhibition(r: ExhibitionRow): ExhibitionRecord {
  return { id: r.id, ownerKind: r.owner_kind, ownerId: r.owner_id, published: r.published === 1, title: JSON.parse(r.title) };
}
