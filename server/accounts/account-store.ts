import Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { ROLE_RANK as RANK, type Role } from "../../src/shared/exhibition/permissions";
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

const SESSION_DAYS = 30;
const INVITE_DAYS = 14;

/**
 * Accounts, museums and who may do what with each exhibition, in SQLite (the same file as the
 * documents by default). Secrets (session and invite tokens) are stored only as SHA-256 hashes,
 * passwords only as scrypt hashes.
 */
export class AccountStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("foreign_keys = ON");
    this.db.exec(`
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
    `);
  }

  close(): void {
    this.db.close();
  }

  // --- users and sessions -------------------------------------------------------------------

  async createUser(input: { email: string; name: string; password: string; isAdmin?: boolean }): Promise<User> {
    const email = input.email.trim().toLowerCase();
    if (this.db.prepare("SELECT 1 FROM users WHERE email = ?").get(email)) throw new ConflictError("email", `an account for ${email} already exists`);
    const user: User = { id: randomUUID(), email, name: input.name.trim(), isAdmin: !!input.isAdmin };
    const hash = await hashPassword(input.password);
    this.db.transaction(() => {
      this.db.prepare("INSERT INTO users (id, email, name, password, is_admin, created) VALUES (?, ?, ?, ?, ?, ?)").run(user.id, user.email, user.name, hash, user.isAdmin ? 1 : 0, Date.now());
      // Memberships given to this e-mail before it had an account take effect now.
      const pending = this.db.prepare("SELECT kind, target, role, added_by FROM pending_members WHERE email = ?").all(email) as { kind: "exhibition" | "museum"; target: string; role: string; added_by: string }[];
      for (const p of pending) {
        if (p.kind === "exhibition" && this.exhibition(p.target)) this.setMember(p.target, user.id, p.role as Role);
        if (p.kind === "museum" && this.museum(p.target)) this.setMuseumMember(p.target, user.id, p.role as MuseumRole);
        this.audit(p.added_by, `${p.kind}-member-joined`, p.target, { user: user.id, role: p.role });
      }
      this.db.prepare("DELETE FROM pending_members WHERE email = ?").run(email);
    })();
    return user;
  }

  /**
   * Gives `email` a role on an exhibition or in a museum, whether or not it has an account yet
   * (it takes effect at sign-up): the answer is the same either way, so adding a member never
   * tells anyone who has an account. Returns the account's id when it exists (for the re-check of
   * its open sockets), never to the caller.
   */
  addMemberByEmail(kind: "exhibition" | "museum", target: string, email: string, role: Role | MuseumRole, addedBy: string): string | null {
    const user = this.userByEmail(email);
    if (user) {
      if (kind === "exhibition") this.setMember(target, user.id, role as Role);
      else this.setMuseumMember(target, user.id, role as MuseumRole);
    } else
      this.db
        .prepare("INSERT INTO pending_members (email, kind, target, role, added_by, created) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET role = excluded.role, added_by = excluded.added_by")
        .run(email.trim().toLowerCase(), kind, target, role, addedBy, Date.now());
    this.audit(addedBy, `${kind}-member-set`, target, { email: email.trim().toLowerCase(), role });
    return user?.id ?? null;
  }

  /** Members added by e-mail who have no account yet. */
  pendingMembers(kind: "exhibition" | "museum", target: string): { email: string; role: string }[] {
    return this.db.prepare("SELECT email, role FROM pending_members WHERE kind = ? AND target = ? ORDER BY email").all(kind, target) as { email: string; role: string }[];
  }

  // --- audit log ----------------------------------------------------------------------------

  /** Records who changed whose rights (roles, memberships, invites, publication, sign-ins of administrators). */
  audit(actor: string | null, action: string, target: string, detail: Record<string, unknown> = {}): void {
    this.db.prepare("INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)").run(Date.now(), actor, action, target, JSON.stringify(detail));
  }

  /** The audit log, newest first: of one target (an exhibition or museum id), or of everything. */
  auditLog(target: string | null, limit = 200): { at: number; actor: string | null; action: string; target: string; detail: Record<string, unknown> }[] {
    const rows = (
      target === null
        ? this.db.prepare("SELECT at, actor, action, target, detail FROM audit_log ORDER BY id DESC LIMIT ?").all(limit)
        : this.db.prepare("SELECT at, actor, action, target, detail FROM audit_log WHERE target = ? ORDER BY id DESC LIMIT ?").all(target, limit)
    ) as { at: number; actor: string | null; action: string; target: string; detail: string }[];
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }

  userByEmail(email: string): User | null {
    return toUser(this.db.prepare("SELECT * FROM users WHERE email = ?").get(email.trim().toLowerCase()));
  }

  user(id: string): User | null {
    return toUser(this.db.prepare("SELECT * FROM users WHERE id = ?").get(id));
  }

  /** The user if the password is right, else null (same time either way, near enough). */
  async checkPassword(email: string, password: string): Promise<User | null> {
    const row = this.db.prepare("SELECT * FROM users WHERE email = ?").get(email.trim().toLowerCase()) as { password: string } | undefined;
    const ok = await verifyPassword(password, row?.password ?? "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA");
    return ok && row ? toUser(row) : null;
  }

  /** Starts a session; returns the token for the cookie (only its hash is kept). */
  startSession(userId: string): string {
    const { token, hash } = newSecret();
    this.db.prepare("INSERT INTO sessions (token_hash, user_id, expires) VALUES (?, ?, ?)").run(hash, userId, Date.now() + SESSION_DAYS * 864e5);
    return token;
  }

  sessionUser(token: string | undefined): User | null {
    if (!token) return null;
    const row = this.db.prepare("SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires > ?").get(hashSecret(token), Date.now());
    return toUser(row);
  }

  endSession(token: string): void {
    this.db.prepare("DELETE FROM sessions WHERE token_hash = ?").run(hashSecret(token));
  }

  // --- museums ------------------------------------------------------------------------------

  createMuseum(id: string, name: Record<string, string>): void {
    if (this.db.prepare("SELECT 1 FROM museums WHERE id = ?").get(id)) throw new ConflictError("id", `museum "${id}" already exists`);
    this.db.prepare("INSERT INTO museums (id, name) VALUES (?, ?)").run(id, JSON.stringify(name));
  }

  museum(id: string): { id: string; name: Record<string, string> } | null {
    const row = this.db.prepare("SELECT * FROM museums WHERE id = ?").get(id) as { id: string; name: string } | undefined;
    return row ? { id: row.id, name: JSON.parse(row.name) } : null;
  }

  setMuseumMember(museumId: string, userId: string, role: MuseumRole): void {
    this.db.prepare("INSERT INTO museum_members (museum_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET role = excluded.role").run(museumId, userId, role);
  }

  museumRole(museumId: string, userId: string): MuseumRole | null {
    const row = this.db.prepare("SELECT role FROM museum_members WHERE museum_id = ? AND user_id = ?").get(museumId, userId) as { role: MuseumRole } | undefined;
    return row?.role ?? null;
  }

  museumsOf(userId: string): { id: string; role: MuseumRole }[] {
    return this.db.prepare("SELECT museum_id AS id, role FROM museum_members WHERE user_id = ? ORDER BY museum_id").all(userId) as { id: string; role: MuseumRole }[];
  }

  // --- exhibitions and roles ----------------------------------------------------------------

  /** Registers an exhibition (creation, or a sample file seen at start-up) unless it is known. */
  registerExhibition(rec: ExhibitionRecord): boolean {
    const r = this.db
      .prepare("INSERT OR IGNORE INTO exhibitions (id, owner_kind, owner_id, published, title, created) VALUES (?, ?, ?, ?, ?, ?)")
      .run(rec.id, rec.ownerKind, rec.ownerId, rec.published ? 1 : 0, JSON.stringify(rec.title), Date.now());
    return r.changes === 1;
  }

  exhibition(id: string): ExhibitionRecord | null {
    const row = this.db.prepare("SELECT * FROM exhibitions WHERE id = ?").get(id) as ExhibitionRow | undefined;
    return row ? toExhibition(row) : null;
  }

  exhibitions(): ExhibitionRecord[] {
    return (this.db.prepare("SELECT * FROM exhibitions ORDER BY id").all() as ExhibitionRow[]).map(toExhibition);
  }

  setPublished(id: string, published: boolean): void {
    this.db.prepare("UPDATE exhibitions SET published = ? WHERE id = ?").run(published ? 1 : 0, id);
  }

  setMember(exhibitionId: string, userId: string, role: Role): void {
    this.db.prepare("INSERT INTO exhibition_members (exhibition_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET role = excluded.role").run(exhibitionId, userId, role);
  }

  removeMember(exhibitionId: string, userId: string): boolean {
    return this.db.prepare("DELETE FROM exhibition_members WHERE exhibition_id = ? AND user_id = ?").run(exhibitionId, userId).changes === 1;
  }

  members(exhibitionId: string): { user: User; role: Role }[] {
    const rows = this.db.prepare("SELECT u.*, m.role AS member_role FROM exhibition_members m JOIN users u ON u.id = m.user_id WHERE m.exhibition_id = ? ORDER BY u.email").all(exhibitionId) as (UserRow & { member_role: Role })[];
    return rows.map((r) => ({ user: toUser(r)!, role: r.member_role }));
  }

  /**
   * A user's role on an exhibition: an explicit membership wins; then ownership (the person, or a
   * museum's admins as owners and its curators as curators); site admins own everything; anyone,
   * signed in or not, may view a published exhibition. A museum's curators see another museum's
   * drafts only when invited.
   */
  roleOf(exhibitionId: string, user: User | null): Role | null {
    const ex = this.exhibition(exhibitionId);
    if (!ex) return null;
    if (user) {
      const member = this.db.prepare("SELECT role FROM exhibition_members WHERE exhibition_id = ? AND user_id = ?").get(exhibitionId, user.id) as { role: Role } | undefined;
      if (member) return member.role;
      if (ex.ownerKind === "person" && ex.ownerId === user.id) return "owner";
      if (ex.ownerKind === "museum") {
        const m = this.museumRole(ex.ownerId, user.id);
        if (m === "admin") return "owner";
        if (m === "curator") return "curator";
      }
      if (user.isAdmin) return "owner";
    }
    return ex.published ? "viewer" : null;
  }

  // --- invites ------------------------------------------------------------------------------

  createInvite(exhibitionId: string, role: Role, createdBy: string): string {
    const { token, hash } = newSecret();
    this.db.prepare("INSERT INTO invites (token_hash, exhibition_id, role, created_by, expires) VALUES (?, ?, ?, ?, ?)").run(hash, exhibitionId, role, createdBy, Date.now() + INVITE_DAYS * 864e5);
    return token;
  }

  /** What an invite is for, without accepting it (the token is the secret), or null. */
  inviteInfo(token: string): { exhibitionId: string; role: Role } | null {
    const row = this.db.prepare("SELECT exhibition_id, role FROM invites WHERE token_hash = ? AND expires > ?").get(hashSecret(token), Date.now()) as { exhibition_id: string; role: Role } | undefined;
    return row ? { exhibitionId: row.exhibition_id, role: row.role } : null;
  }

  /**
   * Accepts an invite for `userId`: the membership is created, the invite stays valid for others
   * until it expires. It never lowers the role the user already has, however they have it (an
   * explicit membership, ownership, their museum's role, site administration): only a higher role
   * is written, since an explicit membership would override the others.
   */
  acceptInvite(token: string, userId: string): { exhibitionId: string; role: Role } | null {
    const row = this.db.prepare("SELECT exhibition_id, role FROM invites WHERE token_hash = ? AND expires > ?").get(hashSecret(token), Date.now()) as { exhibition_id: string; role: Role } | undefined;
    if (!row) return null;
    const user = this.user(userId);
    const current = user ? this.roleOf(row.exhibition_id, user) : null;
    const published = this.exhibition(row.exhibition_id)?.published ?? false;
    // A published show's "viewer" is everyone's role, not one the user holds: an invite may raise it.
    const held = current === "viewer" && published && !this.db.prepare("SELECT 1 FROM exhibition_members WHERE exhibition_id = ? AND user_id = ?").get(row.exhibition_id, userId) ? null : current;
    if (!held || RANK[row.role] > RANK[held]) {
      this.setMember(row.exhibition_id, userId, row.role);
      this.audit(userId, "invite-accepted", row.exhibition_id, { role: row.role });
    }
    return { exhibitionId: row.exhibition_id, role: row.role };
  }
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
