import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { ExhibitionLibrary } from "./exhibition-library";
import type { AccountStore } from "./accounts/account-store";
import { Catalogue, recordsShown, showEntries } from "./catalogue/catalogue";
import { cmoaEntry, type CmoaRecord } from "./catalogue/cmoa";
import { measureStandIns, type StandIn } from "./catalogue/stand-ins";
import { withShippedPoster } from "./catalogue/posters";
import { UploadAccess } from "./catalogue/upload-access";
import { UploadStore } from "./catalogue/uploads";
import type { EntryRows } from "./catalogue/entry-rows";
import { LocalJobs, type Jobs } from "./assets/jobs";
import { runTierJob } from "./assets/tier-job";
import { AssetSandbox, type SandboxOptions } from "./assets/sandbox";
import { buildHttpApp } from "./api/app";
import { SESSION_COOKIE } from "./api/context";
import { cookies } from "./http/http-util";
import { attachUpgradeRouter } from "./http/upgrade-router";
import { AccessChanges } from "./security/access-changes";
import { clientAddress } from "./security/client-address";
import { ConnectionLimits, type ConnectionLimitOptions } from "./security/connection-limits";
import { OriginPolicy, type SiteOptions } from "./security/origin";
import { Throttles, type ThrottleOptions } from "./security/throttles";
import type { Authorizer } from "./sync/access";
import { Documents } from "./documents/documents";
import { KeyedLock } from "./util/keyed-lock";
import type { Bus } from "./scale/bus";
import { bridgeAccessChanges } from "./scale/access-bridge";
import { bridgeCatalogue } from "./scale/catalogue-bridge";
import type { ClassStore } from "./classes/class-store";
import type { Redis } from "ioredis";
import { redisLimiters } from "./security/throttles";
import type { Persistence } from "./sync/persistence";
import { createSyncServer, type SyncLimits } from "./sync/sync-server";
import { createClassChannel } from "./classes/class-channel";
import { ClassRegistry, type ClassLimits } from "./classes/class-registry";
import { seatUserId } from "../src/shared/class-groups";
import { ownCollectionId } from "../src/shared/exhibition/permissions";

/** Where the server finds what it serves. */
export interface AtriumServerOptions {
  /** The built app (`vite build` output). */
  distDir: string;
  /** Artefact and mocap sources, served under `/models/`. */
  modelsDir: string;
  /** Exhibition documents (`*.json`): the seeds of documents never stored yet. */
  exhibitionsDir: string;
  /** Museum open-data records shipped with the app (`catalogue/`); none when absent. */
  catalogueDir?: string;
  /** Where users' uploads are stored; uploads are refused when unset. */
  uploadsDir?: string;
  /** Where documents are stored (the embedded default is SQLite under the data dir). */
  persistence: Persistence;
  /** The scaled mode: the other processes' rooms and access changes, over Redis. */
  bus?: Bus;
  /** The scaled mode: class sessions in PostgreSQL (they go on across restarts; any process admits their students). */
  classStore?: ClassStore;
  /** The scaled mode: the API's throttles (logins, sign-ups, class codes, uploads) counted in Redis, across processes. */
  sharedLimits?: { client: Redis; prefix: string };
  /** Accounts, museums and roles. */
  accounts: AccountStore;
  /** Who may open which document over /sync; defaults to the roles in `accounts`. */
  authorize?: Authorizer;
  /** Mark the session cookie Secure (when served over HTTPS). */
  secureCookies?: boolean;
  /** The public URL and other allowed origins (ATRIUM_PUBLIC_URL, ATRIUM_ALLOWED_ORIGINS). */
  site?: SiteOptions;
  /** Reverse proxies in front whose X-Forwarded-For may be trusted (ATRIUM_TRUST_PROXY, default 0). */
  trustProxy?: number;
  syncLimits?: Partial<SyncLimits>;
  /** WebSockets per address and account. */
  connectionLimits?: Partial<ConnectionLimitOptions>;
  /** Login, sign-up, join, upload and import throttles. */
  throttles?: Partial<ThrottleOptions>;
  /** The asset sandbox's processes, memory and time limits. */
  sandbox?: Partial<SandboxOptions>;
  /** Where catalogue entries of uploads and imports are kept: files in the uploads folder by default, PostgreSQL rows in the scaled mode. */
  entryRows?: EntryRows;
  /** Background jobs: in this process by default (`LocalJobs`), or a queue on Redis (`RedisJobs`). */
  jobs?: Jobs;
  /** Whether this process takes jobs from the queue (default true; false where `npm run worker` does). */
  runJobs?: boolean;
  /** Class sessions: size, code lifetime... (defaults in `DEFAULT_CLASS_LIMITS`). */
  classLimits?: Partial<ClassLimits>;
  log?: (line: string) => void;
  /** What time it is (default Date.now): the days of visit statistics; tests move it. */
  clock?: () => number;
}

/** The running app's parts, for `server/main.ts` and for tests. */
export interface AtriumServer {
  server: Server;
  library: ExhibitionLibrary;
  accounts: AccountStore;
  sync: ReturnType<typeof createSyncServer>;
  /** Class sessions and their channel (`/class/<id>`). */
  classes: ReturnType<typeof createClassChannel>;
  /** The studio's catalogue, ready once stand-in models are measured. */
  catalogue: Promise<Catalogue>;
  /** Reads and changes of stored exhibitions (live room or storage), as the API makes them. */
  documents: Documents;
  /** Background jobs (quality tiers of uploads). */
  jobs: Jobs;
  /** The processes that parse uploads and make tiers. */
  sandbox: AssetSandbox;
  /** Access changes: sockets re-check when one is emitted. */
  accessChanges: AccessChanges;
  /** Every API route (method and path), as registered: the documentation test compares it with /api/openapi.json. */
  routes: { method: string; path: string }[];
  /** Stops background work (the sandbox's processes); the HTTP server is closed by its owner. */
  stop(): void;
}

let standInHeights: Promise<Record<StandIn, number>> | null = null;
/** Heights of the stand-in models, measured from the files once per process. */
function standIns(modelsDir: string): Promise<Record<StandIn, number>> {
  standInHeights ??= measureStandIns(modelsDir);
  return standInHeights;
}

/** Builds the catalogue: CMOA open data (with stand-in models), sample shows' items, uploads. */
async function buildCatalogue(options: AtriumServerOptions, library: ExhibitionLibrary, uploads: UploadStore | null, log: (l: string) => void): Promise<Catalogue> {
  const catalogue = new Catalogue();
  const cmoaFile = options.catalogueDir ? join(options.catalogueDir, "cmoa-asian-ceramics-teaware.json") : null;
  const records = cmoaFile && existsSync(cmoaFile) ? (JSON.parse(readFileSync(cmoaFile, "utf8")) as CmoaRecord[]) : [];
  // Each object once: the shows' items deduplicated, and a record replaced by a show's curated item.
  const fromShows = showEntries(
    [...library.loaded.values()].map(({ doc }) => doc),
    new Set(records.map((r) => r.id)),
  );
  const curated = recordsShown(fromShows);
  if (records.length > 0) {
    const heights = await standIns(options.modelsDir);
    catalogue.add(records.filter((r) => !curated.has(r.id)).map((r) => withShippedPoster(cmoaEntry(r, heights), options.modelsDir)), log);
  }
  catalogue.add(fromShows.map((e) => withShippedPoster(e, options.modelsDir)), log);
  if (uploads) {
    await uploads.load(log);
    catalogue.add(uploads.entries(), log);
  }
  return catalogue;
}

/**
 * One HTTP server for the whole app (Fastify, `server/api/app.ts`): `/api/*`, `/models/*`,
 * `/uploads/*` and the built single-page app, and the WebSocket endpoints `/sync/<doc>` and
 * `/class/<id>` behind one upgrade router. Every answer carries the security headers; every
 * state-changing request and upgrade is checked against the allowed origins; nothing one request
 * does can end the process. Resolves once every route is registered; the caller listens.
 */
export async function createAtriumServer(options: AtriumServerOptions): Promise<AtriumServer> {
  const log = options.log ?? ((l: string) => console.error(l));
  const library = new ExhibitionLibrary(options.exhibitionsDir, log);
  const uploads = options.uploadsDir ? new UploadStore(options.uploadsDir, options.entryRows) : null;
  const catalogue = buildCatalogue(options, library, uploads, log);
  catalogue.catch((e: Error) => log(`[catalogue] could not be built: ${e.stack ?? e}`));
  const addressOf = (req: IncomingMessage) => clientAddress(req, options.trustProxy ?? 0);
  const accessChanges = new AccessChanges();
  const unbridge = options.bus ? await bridgeAccessChanges(accessChanges, options.bus) : () => {};
  const connections = new ConnectionLimits(options.connectionLimits);
  const throttles = new Throttles(options.throttles, options.sharedLimits ? redisLimiters(options.sharedLimits.client, options.sharedLimits.prefix) : undefined);
  const sandbox = new AssetSandbox(options.sandbox, log);
  const { accounts } = options;

  // The sample exhibitions are registered (once) under the owner their file names.
  for (const { id, doc } of library.loaded.values())
    await accounts.registerExhibition({ id, ownerKind: doc.meta.owner.kind, ownerId: doc.meta.owner.id, published: doc.meta.published, title: doc.meta.title });
  const registry = new ClassRegistry(options.classLimits ?? {}, Date.now, options.classStore ? { store: options.classStore, bus: options.bus ?? null, log } : null);
  await registry.start();
  registry.onSeatsChanged = (session) => accessChanges.emit({ kind: "class", id: session.id });
  let uploadAccess: UploadAccess | null = null;
  let server: Server | null = null;
  const origins = new OriginPolicy(options.site ?? {}, () => (server?.address() as AddressInfo | null)?.port ?? null);
  // Reads and changes of stored exhibitions go through here (live room or storage).
  const locks = new KeyedLock();
  const documents: Documents = new Documents({
    persistence: options.persistence,
    library,
    locks,
    bus: options.bus,
    liveRoom: (id) => sync.rooms.get(id),
    onChange: (id) => uploadAccess?.documentChanged(id),
  });
  /** Who the request's session cookie names, and what they act for. */
  const sessionAccess = async (req: IncomingMessage, doc: string) => {
    const user = await accounts.sessionUser(cookies(req)[SESSION_COOKIE]);
    const role = await accounts.roleOf(doc, user);
    // A class's students read its exhibition (live) with their seat token while the class runs, and
    // edit their group's show as "seat-<id>" under their nickname (class-groups.ts, seatRoleOn).
    const seat = new URL(req.url ?? "/", "http://localhost").searchParams.get("seat");
    const held = role ? null : await registry.seatRole(seat, doc);
    if (held?.role === "curator") return { role: "curator" as const, user: seatUserId(held.seat.id), name: held.seat.nickname, museums: [] };
    if (held) return { role: "viewer" as const, user: null, museums: [] };
    return { role, user: user?.id ?? null, name: user?.name ?? null, museums: user ? [...(await accounts.museumsOf(user.id)).map((m) => m.id), ownCollectionId(user.id)] : [] };
  };
  const sync = createSyncServer({
    persistence: options.persistence,
    authorize: options.authorize ?? sessionAccess,
    seed: (id) => documents.seed(id),
    limits: options.syncLimits ?? {},
    log,
    origins,
    connections,
    addressOf,
    accessChanges,
    onDocumentChange: (name) => uploadAccess?.documentChanged(name),
    locks,
    bus: options.bus,
  });
  const classes = createClassChannel({
    registry,
    userOf: async (req) => (await accounts.sessionUser(cookies(req)[SESSION_COOKIE]))?.id ?? null,
    log,
    origins,
    connections,
    addressOf,
    accessChanges,
  });
  const jobs = options.jobs ?? new LocalJobs(log);
  // In the scaled mode a catalogue addition reaches the other processes' search and access indexes.
  const catalogueBridge = options.bus
    ? await bridgeCatalogue(options.bus, (entry) => {
        void catalogue.then((c) => {
          if (c.add([entry], log) > 0) {
            // Stored in the shared uploads folder by the process (or worker) that sent it.
            uploads?.noteStored(entry);
            uploadAccess?.entrySaved(entry);
          }
        });
      })
    : null;
  const onEntrySaved = (entry: Parameters<UploadAccess["entrySaved"]>[0]) => {
    uploadAccess?.entrySaved(entry);
    catalogueBridge?.publish(entry);
  };
  if (uploads && options.runJobs !== false)
    jobs.work((job) =>
      runTierJob(
        {
          uploads,
          sandbox,
          saved: async (entry) => {
            (await catalogue).add([entry], log);
            onEntrySaved(entry);
          },
        },
        job,
      ),
    );
  const { app, routes } = await buildHttpApp(
    {
      library,
      accounts,
      persistence: options.persistence,
      documents,
      secureCookies: options.secureCookies ?? false,
      catalogue,
      uploads,
      jobs,
      standIns: () => standIns(options.modelsDir),
      classes: registry,
      origins,
      throttles,
      accessChanges,
      sandbox,
      addressOf,
      now: options.clock ?? Date.now,
      onEntrySaved,
      log,
    },
    { distDir: options.distDir, modelsDir: options.modelsDir, https: options.secureCookies ?? false, uploads: { accounts, store: uploads, access: () => uploadAccess } },
  );
  if (uploads)
    uploadAccess = new UploadAccess({
      accounts,
      // After the catalogue was built: the entries are read from storage then.
      entries: async () => {
        await catalogue.catch(() => null);
        return uploads.entries();
      },
      exhibitionIds: async () => (await accounts.exhibitions()).map((e) => e.id),
      documentOf: (id) => documents.read(id),
      seatGrants: (token, id) => registry.grants(token, id),
    });
  await app.ready();
  const http = app.server;
  server = http;
  // The one upgrade listener: /sync/ to the collaboration endpoint, /class/ to the class channel.
  const detach = attachUpgradeRouter(
    http,
    [
      { prefix: "/sync/", handle: sync.handleUpgrade },
      { prefix: "/class/", handle: classes.handleUpgrade },
    ],
    log,
  );
  http.on("close", () => {
    detach();
    void sync.close();
    classes.close();
    unbridge();
    catalogueBridge?.stop();
  });
  return { server: http, library, sync, classes, accounts, catalogue, documents, jobs, sandbox, accessChanges, routes, stop: () => sandbox.close() };
}
