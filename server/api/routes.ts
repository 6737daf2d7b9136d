import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { catalogueEntry, catalogueResult, exhibition as exhibitionSchema, exhibitionFromTemplate, exhibitionToIiif, iiifImages, LICENCE_IDS, languageTag, publishProblems, parseExhibition, setPublication, pickText, type CatalogueEntry, type Exhibition, type LicenceId, type Museum } from "../../src/shared/exhibition";
import type { Catalogue, FacetName } from "../catalogue/catalogue";
import { FACETS } from "../catalogue/catalogue";
import { UploadError, type UploadStore } from "../catalogue/uploads";
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { JobQueue } from "../assets/jobs";
import { receiveToFile, TooLargeError, type Received } from "../assets/receive";
import { SandboxError, type AssetSandbox } from "../assets/sandbox";
import type { TierStats } from "../assets/tiers";
import type { UploadAnalysis } from "../assets/upload-analysis";
import { ImportError, importOptions, mapRecords, readRecords, suggestMapping, IMPORT_FIELDS } from "../catalogue/record-import";
import type { StandIn } from "../catalogue/stand-ins";
import { ConflictError, RANK, type AccountStore, type User } from "../accounts/account-store";
import { passwordProblem } from "../accounts/password-policy";
import { itemChangeRefusal, ownCollectionId, refusalText } from "../../src/shared/exhibition/permissions";
import type { AccessChanges } from "../security/access-changes";
import type { OriginPolicy } from "../security/origin";
import { Throttled, type Throttles } from "../security/throttles";
import { stateChangeRefusal } from "../http/request-guard";
import { summarize, type ExhibitionLibrary } from "../exhibition-library";
import type { Role } from "../sync/access";
import type { Persistence } from "../sync/persistence";
import type { Documents } from "../documents/documents";
import type { attachSyncServer } from "../sync/sync-server";
import { ApiError, cookies, readBody, sendJson } from "../http/http-util";
import { classRoutes, joinClassBody, startClassBody } from "../classes/class-routes";
import type { ClassRegistry } from "../classes/class-registry";
import { createExhibitionBody, entryRightsBody, iiifImportAnswer, iiifImportBody, importAnswer, importBody, importPreviewAnswer, jobAnswer, uploadAnswer, inviteBody, loginBody, memberBody, museumBody, museumMemberBody, registerBody, versionBody } from "./schemas";

export const SESSION_COOKIE = "atrium_session";

export interface ApiContext {
  library: ExhibitionLibrary;
  accounts: AccountStore;
  persistence: Persistence;
  sync: ReturnType<typeof attachSyncServer>;
  /** Where exhibitions are read and changed (live room or storage). */
  documents: Documents;
  /** Set the Secure flag on cookies (behind HTTPS). */
  secureCookies: boolean;
  catalogue: Promise<Catalogue>;
  /** Users' uploads; null when the server stores none. */
  uploads: UploadStore | null;
  /** Background processing (quality tiers of uploaded models). */
  jobs: JobQueue;
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
  /** The client's address, as the limits count it. */
  addressOf: (req: IncomingMessage) => string;
  /** A catalogue entry of an upload or import was stored. */
  onEntrySaved?: (entry: CatalogueEntry) => void;
  log?: (line: string) => void;
}

/** Header a class student sends with their seat token to read the class's exhibition. */
export const SEAT_HEADER = "x-atrium-seat";
/** Cookie holding a class student's seat, sent only with `/uploads/` requests (the files of the class's exhibition). */
export const SEAT_COOKIE = "atrium_seat";

/** Largest upload accepted, in bytes. */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

type Handler = (req: IncomingMessage, res: ServerResponse, params: string[], user: User | null) => Promise<void> | void;
interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
  /** Takes a raw body of any type (uploads), not JSON. */
  rawBody?: boolean;
}

/**
 * The REST API under /api/: accounts and sessions, museums and their members, exhibitions (list,
 * read, create, publish, members, invites), and its OpenAPI description. Every body is validated
 * (errors name the field); every exhibition route checks the caller's role.
 */
export function createApi(ctx: ApiContext) {
  const { accounts, library, persistence, documents } = ctx;
  const routes: Route[] = [];
  const route = (method: string, path: string, handler: Handler, rawBody = false) =>
    routes.push({ method, pattern: new RegExp(`^${path.replace(/:[a-z]+/g, "([^/]+)")}$`), handler, rawBody });
  const { throttles, accessChanges } = ctx;

  const sessionCookie = (token: string, maxAge: number) =>
    `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${ctx.secureCookies ? "; Secure" : ""}`;
  const requireUser = (user: User | null): User => {
    if (!user) throw new ApiError(401, "sign in first");
    return user;
  };
  /** The caller's role on an exhibition; an exhibition they may not see does not exist for them. */
  const requireRole = (id: string, user: User | null, least: Role): Role => {
    const role = accounts.roleOf(id, user);
    if (!role) throw new ApiError(404, `no exhibition with id "${id}"`);
    if (RANK[role] < RANK[least]) throw new ApiError(403, `this needs the ${least} role; you are ${role}`);
    return role;
  };

  /** A museum the user may act for (a member, or a site administrator); 404/403 name the field. */
  const requireMuseum = (u: User, id: string): Museum => {
    const m = accounts.museum(id);
    if (!m) throw new ApiError(404, `museum: no museum with id "${id}"`, "museum");
    if (!u.isAdmin && !accounts.museumRole(id, u.id)) throw new ApiError(403, `museum: you are not a member of ${id}`, "museum");
    return { id: m.id, name: m.name };
  };
  /** The collection a user adds to: a museum they belong to, or without one their own collection. */
  const actingMuseum = (u: User, museumId: string | null | undefined): Museum =>
    museumId ? requireMuseum(u, museumId) : { id: ownCollectionId(u.id), name: { en: `${u.name}'s collection`, "zh-Hant": `${u.name}的收藏` } };
  /** Stores a catalogue entry of an upload or import, refusing to replace another museum's. */
  const saveEntry = (uploads: UploadStore, entry: CatalogueEntry): CatalogueEntry => {
    const existing = uploads.hasEntry(entry.id) ? uploads.entry(entry.id) : null;
    if (existing && existing.museum.id !== entry.museum.id) throw new ApiError(409, `the catalogue already holds "${entry.id}" for another museum`);
    const saved = uploads.saveEntry(entry);
    ctx.onEntrySaved?.(saved);
    return saved;
  };
  /** Refuses an exhibition id that a stored, registered or sample exhibition already uses. */
  const requireFreeId = (id: string) => {
    if (accounts.exhibition(id) || documents.exists(id)) throw new ApiError(409, `id: an exhibition "${id}" already exists`, "id");
  };
  /** Stores a new exhibition's first state and registers its owner. */
  const storeNewExhibition = (doc: Exhibition) => {
    documents.create(doc);
    accounts.registerExhibition({ id: doc.id, ownerKind: doc.meta.owner.kind, ownerId: doc.meta.owner.id, published: false, title: doc.meta.title });
  };
  const currentDocument = (id: string): Exhibition | null => documents.read(id);
  /** The signed-in user, as they see themselves. */
  const publicUser = (u: User) => ({ id: u.id, email: u.email, name: u.name, isAdmin: u.isAdmin });
  /** Another user, as a member list shows them (never whether they administer the site). */
  const memberView = (u: User) => ({ id: u.id, email: u.email, name: u.name });
  const sessionCookieOf = (req: IncomingMessage) => cookies(req)[SESSION_COOKIE];

  // --- health and docs ----------------------------------------------------------------------
  route("GET", "/api/health", (_q, res) => sendJson(res, 200, { status: "ok", exhibitions: library.loaded.size, broken: library.broken.size }));
  route("GET", "/api/openapi.json", (_q, res) => sendJson(res, 200, openApiDocument()));

  // --- accounts -----------------------------------------------------------------------------
  route("POST", "/api/accounts", async (req, res) => {
    await throttles.signup(ctx.addressOf(req));
    const body = await readBody(req, registerBody);
    const weak = passwordProblem(body.password, [body.email, body.name]);
    if (weak) throw new ApiError(400, `password: ${weak}`, "password");
    let user: User;
    try {
      user = await accounts.createUser(body);
    } catch (e) {
      // Without an e-mail channel, sign-up must say the address is taken; it is throttled per
      // network (ThrottleOptions.signupsPerAddressPerHour) so nobody can list who has an account.
      if (e instanceof ConflictError) throw new ApiError(409, `${e.field}: this e-mail cannot be used for a new account: sign in instead, or use another`, e.field);
      throw e;
    }
    sendJson(res, 201, { user: publicUser(user) }, { "set-cookie": sessionCookie(accounts.startSession(user.id), 30 * 86400) });
  });
  route("POST", "/api/sessions", async (req, res) => {
    const body = await readBody(req, loginBody);
    const email = body.email.trim().toLowerCase();
    const address = ctx.addressOf(req);
    await throttles.beforeLogin(email, address);
    const user = await accounts.checkPassword(email, body.password);
    if (!user) {
      await throttles.loginFailed(email, address);
      throw new ApiError(401, "wrong email or password");
    }
    await throttles.loginSucceeded(email);
    if (user.isAdmin) accounts.audit(user.id, "admin-signed-in", "site", { address });
    sendJson(res, 200, { user: publicUser(user) }, { "set-cookie": sessionCookie(accounts.startSession(user.id), 30 * 86400) });
  });
  route("DELETE", "/api/sessions", (req, res, _p, user) => {
    const token = sessionCookieOf(req);
    if (token) accounts.endSession(token);
    // Sockets opened with this sign-in re-check now: drafts close, published shows stay read-only.
    if (user) accessChanges.emit({ kind: "user", userId: user.id });
    sendJson(res, 200, { signedOut: true }, { "set-cookie": sessionCookie("", 0) });
  });
  route("GET", "/api/me", (_q, res, _p, user) => {
    const u = requireUser(user);
    sendJson(res, 200, { user: publicUser(u), museums: accounts.museumsOf(u.id).map((m) => ({ ...m, name: accounts.museum(m.id)?.name ?? { en: m.id } })) });
  });

  // --- catalogue and uploads ------------------------------------------------------------------
  route("GET", "/api/catalogue", async (req, res, _p, user) => {
    const params = new URL(req.url ?? "/", "http://localhost").searchParams;
    const filters: Partial<Record<FacetName, string>> = {};
    for (const f of FACETS) {
      const v = params.get(f);
      if (v) filters[f] = v;
    }
    const limit = Math.min(100, Math.max(1, Number(params.get("limit") ?? 40) || 40));
    const offset = Math.max(0, Number(params.get("offset") ?? 0) || 0);
    const catalogue = await ctx.catalogue;
    const museums = user ? accounts.museumsOf(user.id).map((m) => m.id) : [];
    const found = catalogue.search({ q: params.get("q") ?? "", filters, user: user?.id ?? null, museums, limit, offset });
    // Records a signed-in user may re-license: their uploads and their museums' imports.
    const editable = (e: CatalogueEntry) => !!user && !!ctx.uploads?.hasEntry(e.id) && (e.uploadedBy === user.id || user.isAdmin || museums.includes(e.museum.id));
    sendJson(res, 200, { ...found, entries: found.entries.map((e) => (editable(e) ? { ...e, editable: true } : e)) });
  });
  route("GET", "/api/catalogue/:id", async (_q, res, [id], user) => {
    const entry = (await ctx.catalogue).get(id!);
    const mine = !entry?.uploadedBy || entry.uploadedBy === user?.id || (user && accounts.museumRole(entry.museum.id, user.id));
    if (!entry || !mine) throw new ApiError(404, `no catalogue entry "${id}"`);
    sendJson(res, 200, entry);
  });
  // --- catalogue import (museum open data as JSON/CSV with a column mapping; IIIF image manifests)
  const requireUploads = () => {
    if (!ctx.uploads) throw new ApiError(503, "this server stores no catalogue additions");
    return ctx.uploads;
  };
  const readImport = async (req: IncomingMessage, u: User) => {
    const options = await readBody(req, importOptions, 17 * 1024 * 1024);
    const museum = requireMuseum(u, options.museum);
    let table;
    try {
      table = readRecords(options.text, options.format);
    } catch (e) {
      if (e instanceof ImportError) throw new ApiError(422, `text: ${e.message}`, "text");
      throw e;
    }
    const mapping = options.mapping ?? suggestMapping(table.columns);
    for (const [field, col] of Object.entries(mapping)) if (!table.columns.includes(col)) throw new ApiError(400, `mapping.${field}: the file has no column "${col}"`, `mapping.${field}`);
    const mapped = mapRecords(table, { ...options, mapping }, museum, await ctx.standIns());
    const warningsByField: Record<string, number> = {};
    for (const w of mapped.warnings) warningsByField[w.field] = (warningsByField[w.field] ?? 0) + 1;
    return { table, mapping, warningsByField, ...mapped };
  };
  route("POST", "/api/catalogue/imports/preview", async (req, res, _p, user) => {
    const u = requireUser(user);
    const { table, mapping, entries, warnings, warningsByField } = await readImport(req, u);
    sendJson(res, 200, { fields: IMPORT_FIELDS, columns: table.columns, mapping, records: entries.length, sample: entries.slice(0, 5), warnings: warnings.slice(0, 500), warningCount: warnings.length, warningsByField });
  });
  route("POST", "/api/catalogue/imports", async (req, res, _p, user) => {
    const u = requireUser(user);
    const uploads = requireUploads();
    await throttles.import(u.id);
    const { entries, warnings, warningsByField } = await readImport(req, u);
    const saved = entries.map((e) => saveEntry(uploads, e));
    (await ctx.catalogue).add(saved);
    sendJson(res, 201, { imported: saved.length, ids: saved.map((e) => e.id), placeable: saved.filter((e) => e.placeable).length, warnings: warnings.slice(0, 2000), warningCount: warnings.length, warningsByField });
  });
  route("POST", "/api/catalogue/iiif", async (req, res, _p, user) => {
    const u = requireUser(user);
    const uploads = requireUploads();
    await throttles.import(u.id);
    const body = await readBody(req, iiifImportBody, 4 * 1024 * 1024);
    const museum = actingMuseum(u, body.museum);
    let read;
    try {
      read = iiifImages(body.manifest, body.licence);
    } catch (e) {
      throw new ApiError(422, `manifest: ${(e as Error).message}`, "manifest");
    }
    const saved = read.records.map((r) => {
      const hash = createHash("sha256").update(`${museum.id}\n${r.key}`).digest("hex").slice(0, 16);
      const item = { ...r.item, institution: museum.id, creditLine: r.item.creditLine ?? { en: pickText(museum.name, "en") } };
      return saveEntry(uploads, {
        id: `iiif-${hash}`,
        museum,
        item,
        facets: { institution: museum.id, licence: item.licences.object, kind: "image" },
        placeable: true,
        ...(body.museum ? {} : { uploadedBy: u.id }),
      });
    });
    (await ctx.catalogue).add(saved);
    sendJson(res, 201, { imported: saved.length, entries: saved, warnings: read.warnings });
  });
  route("PATCH", "/api/catalogue/:id", async (req, res, [id], user) => {
    const u = requireUser(user);
    const uploads = requireUploads();
    const catalogue = await ctx.catalogue;
    const entry = catalogue.get(id!);
    const mayEdit = entry && uploads.hasEntry(entry.id) && (entry.uploadedBy === u.id || u.isAdmin || accounts.museumRole(entry.museum.id, u.id));
    if (!entry || !mayEdit) throw new ApiError(entry ? 403 : 404, entry ? `only ${entry.museum.id}'s members (or its uploader) may change this record's rights` : `no catalogue entry "${id}"`);
    const patch = await readBody(req, entryRightsBody);
    const item = { ...entry.item, ...(patch.licences ? { licences: patch.licences } : {}), ...(patch.rightsHolder !== undefined ? { rightsHolder: patch.rightsHolder } : {}), ...(patch.rightsNote !== undefined ? { rightsNote: patch.rightsNote } : {}) };
    if (Object.values(item.licences).includes("custom") && !item.rightsNote) throw new ApiError(400, "rightsNote: is required when a licence is \"custom\"", "rightsNote");
    const next = saveEntry(uploads, { ...entry, item, facets: { ...entry.facets, licence: item.licences.object } });
    catalogue.add([next]);
    sendJson(res, 200, next);
  });

  const jobStatus: Handler = (_q, res, [id], user) => {
    requireUser(user);
    const job = ctx.jobs.status(id!);
    if (!job) throw new ApiError(404, `no processing job "${id}"`);
    sendJson(res, 200, job);
  };
  route("GET", "/api/assets/jobs/:id", jobStatus);
  route("GET", "/api/uploads/jobs/:id", jobStatus);
  /** Upload handler for `/api/assets` (and its first name, `/api/uploads`). */
  const upload: Handler = async (req, res, _p, user) => {
    const u = requireUser(user);
    const uploads = ctx.uploads;
    if (!uploads) throw new ApiError(503, "this server does not store uploads");
    const params = new URL(req.url ?? "/", "http://localhost").searchParams;
    const title = (params.get("title") ?? "").trim().slice(0, 200);
    if (!title) throw new ApiError(400, "title: give the upload a title", "title");
    const lang = languageTag.safeParse(params.get("lang") ?? "en");
    if (!lang.success) throw new ApiError(400, "lang: must be a language tag such as zh-Hant or en", "lang");
    const licence = (params.get("licence") ?? "All-Rights-Reserved") as LicenceId;
    if (!LICENCE_IDS.includes(licence)) throw new ApiError(400, `licence: must be one of ${LICENCE_IDS.join(", ")}`, "licence");
    const museum = actingMuseum(u, params.get("museum"));
    const declared = Number(req.headers["content-length"] ?? 0);
    const tooLarge = `the file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`;
    if (declared > MAX_UPLOAD_BYTES) throw new ApiError(413, tooLarge);
    await throttles.upload(u.id);
    let file: Received;
    try {
      file = await receiveToFile(req, join(uploads.dir, "incoming"), MAX_UPLOAD_BYTES);
    } catch (e) {
      if (e instanceof TooLargeError) throw new ApiError(413, tooLarge);
      throw e;
    }
    try {
      // The file is parsed in the sandbox process: a hostile zip or model costs that process, not this one.
      const analyse = (path: string, t: string, declaredType: string) => ctx.sandbox.run<UploadAnalysis>({ kind: "analyse-upload", path, title: t, declaredType });
      const result = await uploads.accept({ file, title, lang: lang.data, licence, user: { id: u.id, name: u.name }, museum, declaredType: req.headers["content-type"] ?? "" }, analyse);
      if (result.entry) {
        ctx.onEntrySaved?.(result.entry);
        (await ctx.catalogue).add([result.entry]);
      }
      const { entry, glb, ...answer } = result;
      if (entry && glb) {
        // Quality tiers and the poster are made off the request path, in the sandbox; the original is usable meanwhile.
        ctx.jobs.enqueue(entry.id, async () => {
          const made = await ctx.sandbox.run<{ low: string; thumb: string; poster: string; stats: Record<"thumb" | "low" | "high", TierStats>; ms: number }>({ kind: "tiers", glb, outDir: join(uploads.dir, "incoming") });
          const low = uploads.keepFile(made.low, "glb");
          const thumb = uploads.keepFile(made.thumb, "glb");
          const poster = uploads.keepFile(made.poster, "webp");
          const next: CatalogueEntry = { ...entry, item: { ...entry.item, asset: { kind: "model", tiers: { thumb, low, high: result.url }, poster, unitsPerMeter: 1 } } };
          (await ctx.catalogue).add([saveEntry(uploads, next)]);
          return { ms: made.ms, tiers: made.stats, poster };
        });
        return sendJson(res, 201, { ...answer, entry, job: `/api/assets/jobs/${entry.id}` });
      }
      sendJson(res, 201, { ...answer, ...(entry ? { entry } : {}) });
    } catch (e) {
      if (e instanceof UploadError || e instanceof SandboxError) return sendJson(res, e.status, { error: e.message, findings: e.findings });
      throw e;
    } finally {
      file.discard(); // a no-op once the file has been moved to its content address
    }
  };
  route("POST", "/api/assets", upload, true);
  route("POST", "/api/uploads", upload, true);

  // --- museums ------------------------------------------------------------------------------
  route("POST", "/api/museums", async (req, res, _p, user) => {
    const u = requireUser(user);
    if (!u.isAdmin) throw new ApiError(403, "only a site administrator may add a museum");
    const body = await readBody(req, museumBody);
    try {
      accounts.createMuseum(body.id, body.name);
      accounts.audit(u.id, "museum-created", body.id);
    } catch (e) {
      if (e instanceof ConflictError) throw new ApiError(409, `${e.field}: ${e.message}`, e.field);
      throw e;
    }
    sendJson(res, 201, { museum: { id: body.id, name: body.name } });
  });
  route("POST", "/api/museums/:id/members", async (req, res, [id], user) => {
    const u = requireUser(user);
    if (!accounts.museum(id!)) throw new ApiError(404, `no museum with id "${id}"`);
    if (!u.isAdmin && accounts.museumRole(id!, u.id) !== "admin") throw new ApiError(403, "only the museum's administrators may add members");
    const body = await readBody(req, museumMemberBody);
    await throttles.memberAdd(u.id);
    // The same answer whether or not the e-mail has an account (it joins at sign-up).
    const member = accounts.addMemberByEmail("museum", id!, body.email, body.role, u.id);
    if (member) accessChanges.emit({ kind: "user", userId: member });
    sendJson(res, 200, { museum: id, email: body.email.trim().toLowerCase(), role: body.role });
  });

  // --- exhibitions --------------------------------------------------------------------------
  route("GET", "/api/exhibitions", (_q, res, _p, user) => {
    const exhibitions = accounts
      .exhibitions()
      .map((rec) => ({ rec, role: accounts.roleOf(rec.id, user) }))
      .filter(({ role }) => role !== null)
      .flatMap(({ rec, role }) => {
        const doc = currentDocument(rec.id);
        if (!doc) return [];
        return [{ ...summarize(doc), role, published: rec.published, owner: { kind: rec.ownerKind, id: rec.ownerId } }];
      })
      .sort((a, b) => pickText(a.title, "en").localeCompare(pickText(b.title, "en")));
    sendJson(res, 200, {
      exhibitions,
      problems: [...library.broken.values()].map(({ id, file, message, problems }) => ({ id, file, message, problems })),
    });
  });
  route("GET", "/api/exhibitions/:id", (req, res, [id], user) => {
    const broken = library.broken.get(id!);
    if (broken && !accounts.exhibition(id!)) return sendJson(res, 422, { error: broken.message, file: broken.file, problems: broken.problems });
    // A class's students see its exhibition (read-only) while the class runs, without an account.
    const seat = req.headers[SEAT_HEADER];
    const role = !accounts.roleOf(id!, user) && typeof seat === "string" && ctx.classes.grants(seat, id!) ? "viewer" : requireRole(id!, user, "viewer");
    const doc = currentDocument(id!);
    if (!doc) throw new ApiError(404, `no exhibition with id "${id}"`);
    sendJson(res, 200, doc, { "x-atrium-role": role });
  });
  route("POST", "/api/exhibitions", async (req, res, _p, user) => {
    const u = requireUser(user);
    const body = await readBody(req, createExhibitionBody);
    const museum = body.museum ? requireMuseum(u, body.museum) : null;
    requireFreeId(body.id);
    const doc = newExhibition(body, museum, u);
    storeNewExhibition(doc);
    sendJson(res, 201, { exhibition: summarize(doc), role: accounts.roleOf(body.id, u) });
  });
  for (const [action, published] of [["publish", true], ["unpublish", false]] as const) {
    route("POST", `/api/exhibitions/:id/${action}`, (_q, res, [id], user) => {
      requireRole(id!, requireUser(user), "owner");
      if (published) {
        // The publish gate: items whose licences do not allow public display keep the show private.
        const doc = currentDocument(id!);
        const problems = doc ? publishProblems(doc) : [];
        if (problems.length > 0)
          return sendJson(res, 409, {
            error: `cannot publish: ${problems.length} item(s) may not be shown publicly: ${problems.map((p) => `${p.title} (${p.item}): ${p.reason}`).join("; ")}`,
            problems,
          });
      }
      accounts.setPublished(id!, published);
      documents.change(id!, (doc) => setPublication(doc, published));
      accounts.audit(user!.id, published ? "published" : "unpublished", id!);
      // Visitors' sockets re-check: after unpublishing, only members stay.
      accessChanges.emit({ kind: "exhibition", id: id! });
      sendJson(res, 200, { id, published });
    });
  }
  // --- open formats: JSON export/import, IIIF ----------------------------------------------------
  // Links name the configured public URL (or the server's own name), never whatever Host a client sent.
  const baseUrl = (req: IncomingMessage) => ctx.origins.publicOrigin(req);
  route("GET", "/api/exhibitions/:id/export", (_q, res, [id], user) => {
    requireRole(id!, user, "viewer");
    const doc = currentDocument(id!);
    if (!doc) throw new ApiError(404, `no exhibition with id "${id}"`);
    sendJson(res, 200, doc, { "content-disposition": `attachment; filename="${id}.json"` });
  });
  route("GET", "/api/exhibitions/:id/iiif", (req, res, [id], user) => {
    requireRole(id!, user, "viewer");
    const doc = currentDocument(id!);
    if (!doc) throw new ApiError(404, `no exhibition with id "${id}"`);
    sendJson(res, 200, exhibitionToIiif(doc, baseUrl(req)), { "content-type": 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"', "access-control-allow-origin": "*" });
  });
  route("POST", "/api/exhibitions/import", async (req, res, _p, user) => {
    const u = requireUser(user);
    const body = await readBody(req, importBody, 16 * 1024 * 1024);
    const parsed = parseExhibition(body.document, "imported document");
    if (!parsed.ok) return sendJson(res, 400, { error: parsed.error.message, problems: parsed.error.problems });
    const id = body.id ?? parsed.doc.id;
    requireFreeId(id);
    const museum = body.museum ? requireMuseum(u, body.museum) : null;
    const owner = museum ? { kind: "museum" as const, id: museum.id } : { kind: "person" as const, id: personOwnerId(u) };
    const doc: Exhibition = { ...parsed.doc, id, meta: { ...parsed.doc.meta, owner, published: false } };
    storeNewExhibition(doc);
    sendJson(res, 201, { exhibition: summarize(doc), role: accounts.roleOf(id, u) });
  });

  // --- named versions ----------------------------------------------------------------------------
  route("GET", "/api/exhibitions/:id/versions", (_q, res, [id], user) => {
    requireRole(id!, requireUser(user), "curator");
    sendJson(res, 200, { versions: persistence.versions(id!) });
  });
  route("POST", "/api/exhibitions/:id/versions", async (req, res, [id], user) => {
    const u = requireUser(user);
    requireRole(id!, u, "curator");
    const body = await readBody(req, versionBody);
    const doc = currentDocument(id!);
    if (!doc) throw new ApiError(404, `no exhibition with id "${id}"`);
    const at = Date.now();
    const versionId = persistence.saveVersion(id!, { name: body.name, author: u.name, at, content: JSON.stringify(doc) });
    sendJson(res, 201, { id: versionId, name: body.name, author: u.name, at });
  });
  route("POST", "/api/exhibitions/:id/versions/:version/restore", (_q, res, [id, version], user) => {
    const u = requireUser(user);
    const role = requireRole(id!, u, "curator");
    const content = persistence.versionContent(id!, Number(version));
    if (content === null) throw new ApiError(404, `no version ${version} of "${id}"`);
    const parsed = parseExhibition(JSON.parse(content), `version ${version}`);
    if (!parsed.ok) throw new ApiError(422, parsed.error.message);
    // A restore may change only what its author could change over sync: the same rules
    // (locks, the rights of each item's institution), item by item.
    const current = currentDocument(id!);
    const actor = { role, user: u.id, museums: [...accounts.museumsOf(u.id).map((m) => m.id), ownCollectionId(u.id)] };
    const target: Exhibition = current ? { ...parsed.doc, meta: { ...parsed.doc.meta, owner: current.meta.owner, published: current.meta.published } } : parsed.doc;
    if (current) {
      const blocked = Object.keys({ ...current.items, ...target.items })
        .filter((itemId) => JSON.stringify(current.items[itemId]) !== JSON.stringify(target.items[itemId]))
        .map((itemId) => itemChangeRefusal(itemId, current.items[itemId], target.items[itemId], actor))
        .filter((r) => r !== null);
      if (blocked.length > 0) throw new ApiError(403, `restoring this version would change what you may not: ${blocked.map(refusalText).join("; ")}`);
    }
    // A forward edit through the live room: everyone sees it at once, and it can be undone.
    documents.restore(id!, target);
    sendJson(res, 200, { restored: Number(version) });
  });

  route("GET", "/api/exhibitions/:id/members", (_q, res, [id], user) => {
    requireRole(id!, requireUser(user), "curator");
    sendJson(res, 200, {
      members: accounts.members(id!).map((m) => ({ user: memberView(m.user), role: m.role })),
      pending: accounts.pendingMembers("exhibition", id!),
    });
  });
  route("POST", "/api/exhibitions/:id/members", async (req, res, [id], user) => {
    const u = requireUser(user);
    requireRole(id!, u, "owner");
    const body = await readBody(req, memberBody);
    await throttles.memberAdd(u.id);
    // The same answer whether or not the e-mail has an account (it joins at sign-up).
    const member = accounts.addMemberByEmail("exhibition", id!, body.email, body.role, u.id);
    if (member) accessChanges.emit({ kind: "user", userId: member });
    sendJson(res, 200, { email: body.email.trim().toLowerCase(), role: body.role });
  });
  route("DELETE", "/api/exhibitions/:id/members/:user", (_q, res, [id, userId], user) => {
    const u = requireUser(user);
    requireRole(id!, u, "owner");
    if (!accounts.removeMember(id!, userId!)) throw new ApiError(404, `user ${userId} is not a member`);
    accounts.audit(u.id, "exhibition-member-removed", id!, { user: userId });
    // Their open sockets re-check now: a removed curator stops writing within this request.
    accessChanges.emit({ kind: "user", userId: userId! });
    sendJson(res, 200, { removed: userId });
  });
  route("GET", "/api/exhibitions/:id/audit", (_q, res, [id], user) => {
    requireRole(id!, requireUser(user), "owner");
    sendJson(res, 200, { entries: accounts.auditLog(id!) });
  });
  route("GET", "/api/audit", (_q, res, _p, user) => {
    const u = requireUser(user);
    if (!u.isAdmin) throw new ApiError(403, "only a site administrator may read the whole audit log");
    sendJson(res, 200, { entries: accounts.auditLog(null) });
  });
  route("POST", "/api/exhibitions/:id/invites", async (req, res, [id], user) => {
    const u = requireUser(user);
    requireRole(id!, u, "owner");
    const body = await readBody(req, inviteBody);
    const token = accounts.createInvite(id!, body.role, u.id);
    accounts.audit(u.id, "invite-created", id!, { role: body.role });
    sendJson(res, 201, { token, role: body.role, accept: `/api/invites/${token}/accept` });
  });
  route("GET", "/api/invites/:token", (_q, res, [token]) => {
    const info = accounts.inviteInfo(token!);
    if (!info) throw new ApiError(404, "this invite does not exist or has expired");
    const doc = currentDocument(info.exhibitionId);
    sendJson(res, 200, { exhibition: info.exhibitionId, role: info.role, title: doc?.meta.title ?? {}, languages: doc?.meta.languages ?? [] });
  });
  route("POST", "/api/invites/:token/accept", (_q, res, [token], user) => {
    const u = requireUser(user);
    const accepted = accounts.acceptInvite(token!, u.id);
    if (!accepted) throw new ApiError(404, "this invite does not exist or has expired");
    accessChanges.emit({ kind: "user", userId: u.id });
    sendJson(res, 200, { exhibition: accepted.exhibitionId, role: accounts.roleOf(accepted.exhibitionId, u) });
  });

  classRoutes(route, {
    registry: ctx.classes,
    requireUser,
    requireViewer: (id, u) => void requireRole(id, u, "viewer"),
    currentDocument,
    secureCookies: ctx.secureCookies,
    publicOrigin: (req) => ctx.origins.publicOrigin(req),
    throttles,
    addressOf: ctx.addressOf,
    seatCookie: (token, maxAgeSeconds) => `${SEAT_COOKIE}=${token}; Path=/uploads/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${ctx.secureCookies ? "; Secure" : ""}`,
  });

  /**
   * Handles `/api/*`; answers 404/405 for unknown routes. A state-changing request from a
   * foreign origin, or with a form's body type, is refused before any route runs.
   */
  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    try {
      let pathMatched = false;
      for (const r of routes) {
        const m = r.pattern.exec(path);
        if (!m) continue;
        pathMatched = true;
        if (r.method !== req.method && !(r.method === "GET" && req.method === "HEAD")) continue;
        const refused = stateChangeRefusal(req, ctx.origins, r.rawBody ?? false);
        if (refused) {
          ctx.log?.(`[api] refused ${req.method} ${path}: ${refused.message}`);
          throw new ApiError(refused.status, refused.message);
        }
        const user = accounts.sessionUser(sessionCookieOf(req));
        return await r.handler(req, res, m.slice(1).map(decodeURIComponent), user);
      }
      if (pathMatched) throw new ApiError(405, `${req.method} is not allowed on ${path}`);
      throw new ApiError(404, `no API route ${path}`);
    } catch (e) {
      if (e instanceof Throttled) return sendJson(res, 429, { error: e.message }, { "retry-after": String(e.retryAfterSeconds) });
      if (e instanceof ApiError) return sendJson(res, e.status, e.field ? { error: e.message, field: e.field } : { error: e.message });
      throw e;
    }
  }
  return handle;
}

/** A user as a document's personal owner (record ids allow fewer characters than account ids). */
function personOwnerId(u: User): string {
  return u.id.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 64) || "person";
}

/** A new exhibition from the chosen template, in the requested languages. */
function newExhibition(body: z.infer<typeof createExhibitionBody>, museum: { id: string; name: Record<string, string> } | null, user: User): Exhibition {
  try {
    return exhibitionFromTemplate(body.template, {
      id: body.id,
      title: body.title,
      ...(body.intro ? { intro: body.intro } : {}),
      languages: body.languages,
      owner: museum ? { kind: "museum", id: museum.id } : { kind: "person", id: personOwnerId(user) },
      museums: museum ? [{ id: museum.id, name: museum.name }] : [],
    });
  } catch (e) {
    throw new ApiError(400, (e as Error).message);
  }
}


/** OpenAPI 3.1 description of the API, with request bodies generated from the zod schemas. */
export function openApiDocument() {
  const body = (schema: z.ZodType) => ({ required: true, content: { "application/json": { schema: z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) } } });
  const error = { description: "Error", content: { "application/json": { schema: { type: "object", properties: { error: { type: "string" }, field: { type: "string" }, findings: { type: "array", items: { type: "object", properties: { code: { type: "string" }, message: { type: "string" }, pointer: { type: "string" } } } } }, required: ["error"] } } } };
  const json = (schema: z.ZodType | Record<string, unknown>, description = "OK") => ({ description, content: { "application/json": { schema: schema instanceof z.ZodType ? z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) : schema } } });
  /** An operation; `answer` documents the success body (status 200 unless `status` says otherwise). */
  const op = (summary: string, extra: Record<string, unknown> = {}, answer?: z.ZodType | Record<string, unknown>, status = "200") => ({ summary, responses: { [status]: answer ? json(answer) : { description: "OK" }, "4XX": error, "429": { ...error, description: "Too many requests: wait as long as the Retry-After header says" } }, ...extra });
  const idParam = [{ name: "id", in: "path", required: true, schema: { type: "string" } }];
  const query = (names: string[], required: string[] = []) => names.map((name) => ({ name, in: "query", required: required.includes(name), schema: { type: "string" } }));
  const upload = op(
    "Upload an asset as the raw body: a GLB, a zip of a glTF with its .bin and textures, a BVH or FBX motion recording (converted to a GLB performance; FBX: skeleton and animation stacks, meshes ignored), a PNG/JPEG/WebP image, or an MP3/OGG/WAV sound (type read from the bytes; streamed to disk; 64 MB). Models are validated by Khronos' glTF validator and get quality tiers and a poster from a background job.",
    { parameters: query(["title", "lang", "licence", "museum"], ["title"]), requestBody: { required: true, content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } } },
    uploadAnswer,
    "201",
  );
  const jobs = op("Where an asset's processing job stands (quality tiers, poster)", { parameters: idParam }, jobAnswer);
  const manifest = { type: "object", description: "A IIIF Presentation 3 Manifest (https://iiif.io/api/presentation/3.0/): one Canvas per placed object, 3D models as Model bodies", externalDocs: { url: "https://iiif.io/api/presentation/3.0/" } };
  return {
    openapi: "3.1.0",
    info: {
      title: "Atrium API",
      version: "0.1.0",
      description:
        "Accounts, museums, exhibitions, the catalogue and assets, and open-data export. Documents themselves sync over the y-websocket protocol at /sync/{id}. Requests that change state (POST, PATCH, DELETE) must come from an allowed Origin (the site itself, ATRIUM_PUBLIC_URL, ATRIUM_ALLOWED_ORIGINS) or carry none, and JSON routes take application/json only.",
    },
    components: { securitySchemes: { session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE } } },
    paths: {
      "/api/health": { get: op("Liveness") },
      "/api/accounts": { post: op("Create an account and sign in", { requestBody: body(registerBody) }) },
      "/api/sessions": { post: op("Sign in", { requestBody: body(loginBody) }), delete: op("Sign out") },
      "/api/me": { get: op("The signed-in user and their museums") },
      "/api/museums": { post: op("Add a museum (site administrators)", { requestBody: body(museumBody) }) },
      "/api/museums/{id}/members": { post: op("Add or change a museum member", { parameters: idParam, requestBody: body(museumMemberBody) }) },
      "/api/exhibitions": { get: op("Exhibitions the caller may see"), post: op("Create an exhibition", { requestBody: body(createExhibitionBody) }) },
      "/api/exhibitions/{id}": { get: op("The exhibition document", { parameters: idParam }, exhibitionSchema) },
      "/api/exhibitions/{id}/publish": { post: op("Publish (owners; refused with the blocking items while a licence forbids public display)", { parameters: idParam }) },
      "/api/exhibitions/{id}/unpublish": { post: op("Unpublish (owners)", { parameters: idParam }) },
      "/api/catalogue": {
        get: op("Search the catalogue (museum open data, imports, sample shows, your uploads) with facet counts", { parameters: query(["q", ...FACETS, "limit", "offset"]) }, catalogueResult),
      },
      "/api/catalogue/{id}": {
        get: op("One catalogue entry", { parameters: idParam }, catalogueEntry),
        patch: op("Change an imported or uploaded record's licences, rights holder or terms (its museum's members or its uploader)", { parameters: idParam, requestBody: body(entryRightsBody) }, catalogueEntry),
      },
      "/api/catalogue/imports/preview": { post: op("Read a JSON/CSV file of records and show the mapped result without storing it: columns, guessed mapping, the first records, every warning", { requestBody: body(importOptions) }, importPreviewAnswer) },
      "/api/catalogue/imports": { post: op("Import records into a museum's catalogue (museum members); no record is dropped, every gap is a warning", { requestBody: body(importOptions) }, importAnswer, "201") },
      "/api/catalogue/iiif": { post: op("Import a IIIF Presentation 3 image manifest as wall-hung image records", { requestBody: body(iiifImportBody) }, iiifImportAnswer, "201") },
      "/api/assets": { post: upload },
      "/api/assets/jobs/{id}": { get: jobs },
      "/api/uploads": { post: { ...upload, deprecated: true, summary: "Former name of /api/assets" } },
      "/api/exhibitions/{id}/export": { get: op("The exhibition document as JSON (schema version 2), for import elsewhere", { parameters: idParam }, exhibitionSchema) },
      "/api/exhibitions/{id}/iiif": { get: op("The exhibition as a IIIF Presentation 3 manifest (one Canvas per object; 3D models as Model resources with rights and the four-part credit line in zh-Hant and en)", { parameters: idParam }, manifest) },
      "/api/exhibitions/import": { post: op("Import an exhibition JSON document (validated and migrated; starts private)", { requestBody: body(importBody) }) },
      "/api/exhibitions/{id}/versions": { get: op("Named versions (curators)", { parameters: idParam }), post: op("Save a named version (curators)", { parameters: idParam, requestBody: body(versionBody) }) },
      "/api/exhibitions/{id}/versions/{version}/restore": {
        post: op("Restore a named version as a new edit (curators)", { parameters: [...idParam, { name: "version", in: "path", required: true, schema: { type: "integer" } }] }),
      },
      "/api/exhibitions/{id}/members": { get: op("Members (curators and owners)", { parameters: idParam }), post: op("Add or change a member (owners)", { parameters: idParam, requestBody: body(memberBody) }) },
      "/api/exhibitions/{id}/members/{user}": { delete: op("Remove a member (owners)", { parameters: [...idParam, { name: "user", in: "path", required: true, schema: { type: "string" } }] }) },
      "/api/exhibitions/{id}/invites": { post: op("Create an invite link (owners)", { parameters: idParam, requestBody: body(inviteBody) }) },
      "/api/exhibitions/{id}/audit": { get: op("Who changed whose rights on this exhibition: members, invites, publication (owners)", { parameters: idParam }) },
      "/api/audit": { get: op("The whole audit log of role and membership changes, newest first (site administrators)") },
      "/api/classes": { post: op("Start a class session on an exhibition (signed-in teachers who can see it): a 6-character join code, its link and expiry", { requestBody: body(startClassBody) }, undefined, "201") },
      "/api/classes/join": { post: op("Join a class with its code and a nickname (no account): a seat token for the class channel /class/{id}?seat= and the exhibition (header x-atrium-seat). Expired codes: 410; full class: 409; 20 tries a minute per address", { requestBody: body(joinClassBody) }, undefined, "201") },
      "/api/classes/{id}": { get: op("The class's code, link and expiry (its teacher)", { parameters: idParam }) },
      "/api/classes/{id}/qr.svg": { get: op("QR code of the join link (SVG; its teacher)", { parameters: idParam }) },
      "/api/classes/{id}/lesson-sheet": { get: op("One-page printable lesson sheet (HTML): exhibition, tour steps, objects with credit lines; no student data (its teacher)", { parameters: [...idParam, ...query(["lang"])] }) },
      "/api/invites/{token}": { get: op("What an invite is for", { parameters: [{ name: "token", in: "path", required: true, schema: { type: "string" } }] }) },
      "/api/invites/{token}/accept": { post: op("Accept an invite", { parameters: [{ name: "token", in: "path", required: true, schema: { type: "string" } }] }) },
    },
  };
}
