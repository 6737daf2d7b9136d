import type { FastifyRequest } from "fastify";
import type { IncomingMessage } from "node:http";
import type { AccountStore, User } from "../accounts/account-store";
import type { Jobs } from "../assets/jobs";
import type { AssetSandbox } from "../assets/sandbox";
import type { Catalogue } from "../catalogue/catalogue";
import type { StandIn } from "../catalogue/stand-ins";
import type { UploadStore } from "../catalogue/uploads";
import type { ClassRegistry, ClassSession } from "../classes/class-registry";
import type { Documents } from "../documents/documents";
import type { ExhibitionLibrary } from "../exhibition-library";
import { cookies } from "../http/http-util";
import { DomainError, fieldError } from "../http/errors";
import type { AccessChanges } from "../security/access-changes";
import type { OriginPolicy } from "../security/origin";
import type { Throttles } from "../security/throttles";
import type { Persistence } from "../sync/persistence";
import { ownCollectionId, ROLE_RANK, type Role } from "../../src/shared/exhibition/permissions";
import { nthAddress, publishProblems, setPublication, type CatalogueEntry, type Exhibition, type Museum } from "../../src/shared/exhibition";

export const SESSION_COOKIE = "atrium_session";
/** Header a class student sends with their seat token to read the class's exhibition. */
export const SEAT_HEADER = "x-atrium-seat";
/** Cookie holding a class student's seat, sent only with `/uploads/` requests (the files of the class's exhibition). */
export const SEAT_COOKIE = "atrium_seat";

/** What the API's plugins work with: stores, registries and the security pieces, injected. */
export interface ApiContext {
  library: ExhibitionLibrary;
  accounts: AccountStore;
  persistence: Persistence;
  /** Where exhibitions are read and changed (live room or storage). */
  documents: Documents;
  /** Set the Secure flag on cookies (behind HTTPS). */
  secureCookies: boolean;
  catalogue: Promise<Catalogue>;
  /** Users' uploads; null when the server stores none. */
  uploads: UploadStore | null;
  /** Background processing (quality tiers of uploaded models). */
  jobs: Jobs;
  /** Heights of the stand-in models (measured once), to size imported records' stand-ins. */
  standIns: () => Promise<Record<StandIn, number>>;
  /** Class sessions: their students may read the class's exhibition (`x-atrium-seat`). */
  classes: ClassRegistry;
  /** Allowed origins, and the origin links name. */
  origins: OriginPolicy;
  /** Login, sign-up, join, upload and import throttles. */
  throttles: Throttles;
  /** Told of every change of who may see or change what (open sockets re-check). */
  accessChanges: AccessChanges;
  /** Where uploads are parsed and tiers made: separate processes with memory and time limits. */
  sandbox: AssetSandbox;
  /** What time it is (visit statistics' days; tests move it). */
  now: () => number;
  /** The client's address, as the limits count it. */
  addressOf: (req: IncomingMessage) => string;
  /** A catalogue entry of an upload or import was stored. */
  onEntrySaved?: (entry: CatalogueEntry) => void;
  log: (line: string) => void;
}

const users = new WeakMap<FastifyRequest, User | null>();

/**
 * Looks up a request's signed-in user once, before its handler runs (the app's `preHandler`
 * hook: after the body was checked, so a refused request costs no query), for `userOf`.
 */
export async function resolveUser(accounts: AccountStore, request: FastifyRequest): Promise<void> {
  const token = cookies(request.raw)[SESSION_COOKIE];
  users.set(request, token ? await accounts.sessionUser(token) : null);
}

/**
 * The rules every plugin applies the same way: who is signed in, what role they have on an
 * exhibition, which museum they act for, and the shared ways of storing entries and exhibitions.
 */
export function guards(ctx: ApiContext) {
  const { accounts, documents } = ctx;
  /** The signed-in user of a request (looked up once per request, by `resolveUser`). */
  const userOf = (request: FastifyRequest): User | null => {
    const user = users.get(request);
    if (user === undefined) throw new Error(`${request.url}: the signed-in user is read before the preHandler hook looked it up`);
    return user;
  };
  const requireUser = (request: FastifyRequest): User => {
    const u = userOf(request);
    if (!u) throw new DomainError("not-signed-in", "sign in first");
    return u;
  };
  /** The caller's role on an exhibition; an exhibition they may not see does not exist for them. */
  const requireRole = async (id: string, user: User | null, least: Role): Promise<Role> => {
    const role = await accounts.roleOf(id, user);
    if (!role) throw new DomainError("not-found", `no exhibition with id "${id}"`);
    if (ROLE_RANK[role] < ROLE_RANK[least]) throw new DomainError("forbidden", `this needs the ${least} role; you are ${role}`);
    return role;
  };
  /**
   * The caller's role on an exhibition, a class's student counting as a viewer by their seat
   * (`x-atrium-seat`) while the class runs; an exhibition they may not see does not exist for them.
   */
  const requireViewer = async (id: string, request: FastifyRequest): Promise<Role> => {
    const role = await accounts.roleOf(id, userOf(request));
    if (role) return role;
    const seat = request.headers[SEAT_HEADER];
    const held = typeof seat === "string" ? await ctx.classes.seatRole(seat, id) : null;
    if (held) return held.role;
    throw new DomainError("not-found", `no exhibition with id "${id}"`);
  };
  /** A museum the user may act for (a member, or a site administrator); errors name the field. */
  const requireMuseum = async (u: User, id: string): Promise<Museum> => {
    const m = await accounts.museum(id);
    if (!m) throw fieldError("not-found", "museum", `no museum with id "${id}"`);
    if (!u.isAdmin && !(await accounts.museumRole(id, u.id))) throw fieldError("forbidden", "museum", `you are not a member of ${id}`);
    return { id: m.id, name: m.name };
  };
  /** The collection a user adds to: a museum they belong to, or without one their own collection. */
  const actingMuseum = async (u: User, museumId: string | null | undefined): Promise<Museum> =>
    museumId ? requireMuseum(u, museumId) : { id: ownCollectionId(u.id), name: { en: `${u.name}'s collection`, "zh-Hant": `${u.name}的收藏` } };
  /** Collections the user acts for (locks and rights): their museums and their own collection. */
  const collectionsOf = async (u: User): Promise<string[]> => [...(await accounts.museumsOf(u.id)).map((m) => m.id), ownCollectionId(u.id)];
  /** Stores catalogue entries of an upload or import (together), refusing to replace another museum's. */
  const saveEntries = async (uploads: UploadStore, entries: CatalogueEntry[]): Promise<CatalogueEntry[]> => {
    for (const entry of entries) {
      const existing = uploads.entry(entry.id);
      if (existing && existing.museum.id !== entry.museum.id) throw new DomainError("conflict", `the catalogue already holds "${entry.id}" for another museum`);
    }
    const saved = await uploads.saveEntries(entries);
    for (const e of saved) ctx.onEntrySaved?.(e);
    return saved;
  };
  const saveEntry = async (uploads: UploadStore, entry: CatalogueEntry): Promise<CatalogueEntry> => (await saveEntries(uploads, [entry]))[0]!;
  const requireUploads = (): UploadStore => {
    if (!ctx.uploads) throw new DomainError("unavailable", "this server stores no catalogue additions");
    return ctx.uploads;
  };
  /** Refuses an exhibition id that a stored, registered or sample exhibition already uses. */
  const requireFreeId = async (id: string) => {
    if ((await accounts.exhibition(id)) || (await documents.exists(id))) throw fieldError("conflict", "id", `an exhibition "${id}" already exists`);
  };
  /** The first free address of base, base-2, base-3... (an exhibition's own id, made from its title). */
  const freeAddressFor = async (base: string) => {
    for (let n = 1; n <= 50; n++) {
      const id = nthAddress(base, n);
      if (!(await accounts.exhibition(id)) && !(await documents.exists(id))) return id;
    }
    throw fieldError("conflict", "id", `the addresses "${base}" to "${nthAddress(base, 50)}" are taken: choose an address`);
  };
  /** A class, for its teacher only (anyone else: not found). */
  const requireTeachersClass = async (id: string, request: FastifyRequest): Promise<ClassSession> => {
    const u = requireUser(request);
    const s = await ctx.classes.load(id);
    if (!s || s.teacherId !== u.id) throw new DomainError("not-found", `no class "${id}" of yours`);
    return s;
  };
  /**
   * Publishes or unpublishes a show (its owners): the one publish gate. Items whose licences do
   * not allow public display keep the show private (409 naming them); visitors' sockets re-check.
   */
  const setPublished = async (u: User, id: string, published: boolean): Promise<void> => {
    await requireRole(id, u, "owner");
    if (published) {
      const doc = await documents.read(id);
      const problems = doc ? publishProblems(doc) : [];
      if (problems.length > 0)
        throw new DomainError("conflict", `cannot publish: ${problems.length} item(s) may not be shown publicly: ${problems.map((p) => `${p.title} (${p.item}): ${p.reason}`).join("; ")}`, { problems });
    }
    await accounts.setPublished(id, published);
    await documents.change(id, (doc) => setPublication(doc, published));
    await accounts.audit(u.id, published ? "published" : "unpublished", id);
    // After unpublishing, only members stay.
    ctx.accessChanges.emit({ kind: "exhibition", id });
  };
  /** Stores a new exhibition's first state and registers its owner. */
  const storeNewExhibition = async (doc: Exhibition) => {
    await documents.create(doc);
    await accounts.registerExhibition({ id: doc.id, ownerKind: doc.meta.owner.kind, ownerId: doc.meta.owner.id, published: false, title: doc.meta.title });
  };
  /** The exhibition as it is now, or "not found". */
  const requireDocument = async (id: string): Promise<Exhibition> => {
    const doc = await documents.read(id);
    if (!doc) throw new DomainError("not-found", `no exhibition with id "${id}"`);
    return doc;
  };
  const sessionCookie = (token: string, maxAge: number) =>
    `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${ctx.secureCookies ? "; Secure" : ""}`;
  return { userOf, requireUser, requireRole, requireViewer, requireMuseum, actingMuseum, collectionsOf, saveEntry, saveEntries, requireUploads, requireFreeId, freeAddressFor, storeNewExhibition, requireDocument, sessionCookie, requireTeachersClass, setPublished };
}

export type Guards = ReturnType<typeof guards>;

/** The signed-in user, as they see themselves. */
export const publicUser = (u: User) => ({ id: u.id, email: u.email, name: u.name, isAdmin: u.isAdmin });
/** Another user, as a member list shows them (never whether they administer the site). */
export const memberView = (u: User) => ({ id: u.id, email: u.email, name: u.name });

/** A user as a document's personal owner (record ids allow fewer characters than account ids). */
export function personOwnerId(u: User): string {
  return u.id.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 64) || "person";
}
