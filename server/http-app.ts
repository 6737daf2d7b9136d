import { createReadStream, existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import sirv from "sirv";
import { ExhibitionLibrary } from "./exhibition-library";
import type { AccountStore } from "./accounts/account-store";
import { Catalogue, exhibitionEntries } from "./catalogue/catalogue";
import { cmoaEntry, type CmoaRecord } from "./catalogue/cmoa";
import { measureStandIns, type StandIn } from "./catalogue/stand-ins";
import { UploadStore } from "./catalogue/uploads";
import { JobQueue } from "./assets/jobs";
import { createApi, SESSION_COOKIE } from "./api/routes";
import { cookies, sendJson } from "./api/http-util";
import type { Authorizer } from "./sync/access";
import { seedFromLibrary } from "./sync/library-access";
import type { Persistence } from "./sync/persistence";
import { attachSyncServer, type SyncLimits } from "./sync/sync-server";
import { attachClassChannel } from "./classes/class-channel";
import { ClassRegistry, type ClassLimits } from "./classes/class-registry";

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
  /** Accounts, museums and roles. */
  accounts: AccountStore;
  /** Who may open which document over /sync; defaults to the roles in `accounts`. */
  authorize?: Authorizer;
  /** Mark the session cookie Secure (when served over HTTPS). */
  secureCookies?: boolean;
  syncLimits?: Partial<SyncLimits>;
  /** Class sessions: size, code lifetime... (defaults in `DEFAULT_CLASS_LIMITS`). */
  classLimits?: Partial<ClassLimits>;
  log?: (line: string) => void;
}

/** The running app's parts, for `server/main.ts` and for tests. */
export interface AtriumServer {
  server: Server;
  library: ExhibitionLibrary;
  accounts: AccountStore;
  sync: ReturnType<typeof attachSyncServer>;
  /** Class sessions and their channel (`/class/<id>`). */
  classes: ReturnType<typeof attachClassChannel>;
  /** The studio's catalogue, ready once stand-in models are measured. */
  catalogue: Promise<Catalogue>;
  /** Background jobs (quality tiers of uploads). */
  jobs: JobQueue;
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
  const fromShows = [...library.loaded.values()].flatMap(({ doc }) => exhibitionEntries(doc));
  const curated = new Set(fromShows.map((e) => e.item.sourceId).filter(Boolean));
  const cmoaFile = options.catalogueDir ? join(options.catalogueDir, "cmoa-asian-ceramics-teaware.json") : null;
  if (cmoaFile && existsSync(cmoaFile)) {
    const heights = await standIns(options.modelsDir);
    const records = JSON.parse(readFileSync(cmoaFile, "utf8")) as CmoaRecord[];
    // A record a sample show already presents (with curated bilingual texts) is listed once, from the show.
    catalogue.add(records.filter((r) => !curated.has(r.id)).map((r) => cmoaEntry(r, heights)), log);
  }
  catalogue.add(fromShows, log);
  if (uploads) catalogue.add(uploads.entries(log), log);
  return catalogue;
}


/**
 * One HTTP server for the whole app: `/api/*`, `/models/*` and the built single-page app (any
 * other path falls back to `index.html`, so `/visit/<id>` deep links work), and the collaboration
 * endpoint `/sync/<doc>` on the same server's `upgrade` event.
 */
export function createAtriumServer(options: AtriumServerOptions): AtriumServer {
  const log = options.log ?? ((l: string) => console.error(l));
  const library = new ExhibitionLibrary(options.exhibitionsDir, log);
  const uploads = options.uploadsDir ? new UploadStore(options.uploadsDir) : null;
  const catalogue = buildCatalogue(options, library, uploads, log);
  catalogue.catch((e: Error) => log(`[catalogue] could not be built: ${e.stack ?? e}`));
  const models = sirv(options.modelsDir, { dev: false, etag: true, maxAge: 3600 });
  const hasDist = existsSync(join(options.distDir, "index.html"));
  if (!hasDist) log(`[atrium] no built app in ${options.distDir}: run "npm run build" (npm start does it for you)`);
  // Hashed assets are immutable; index.html and vendored decoders are revalidated by etag.
  const app = hasDist
    ? sirv(options.distDir, {
        dev: false,
        etag: true,
        single: true,
        // Precompressed .br/.gz siblings written by scripts/compress-dist.ts at build time.
        brotli: true,
        gzip: true,
        setHeaders: (res, pathname) => {
          if (pathname.startsWith("/assets/")) res.setHeader("cache-control", "public, max-age=31536000, immutable");
        },
      })
    : null;

  const server = createServer((req, res) => {
    let path: string;
    try {
      path = decodeURI(new URL(req.url ?? "/", "http://localhost").pathname);
    } catch {
      return sendJson(res, 400, { error: "malformed URL" });
    }
    try {
      if (path.startsWith("/api/")) {
        api(req, res, path).catch((e: Error) => {
          log(`[atrium] ${req.method} ${path} failed: ${e.stack ?? e}`);
          if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
          else res.destroy();
        });
        return;
      }
      if (path.startsWith("/uploads/")) {
        const file = uploads?.file(path.slice("/uploads/".length));
        if (!file) return sendJson(res, 404, { error: `no upload at ${path}` });
        // Content-addressed: a name never changes content.
        res.writeHead(200, { "content-type": file.type, "cache-control": "public, max-age=31536000, immutable", "x-content-type-options": "nosniff" });
        if (req.method === "HEAD") return res.end();
        return void createReadStream(file.path).pipe(res);
      }
      if (path.startsWith("/models/")) {
        req.url = req.url!.slice("/models".length);
        return models(req, res, () => sendJson(res, 404, { error: `no model at ${path}` }));
      }
      if (!app) {
        res.writeHead(503, { "content-type": "text/plain; charset=utf-8" });
        return res.end("Atrium has not been built yet: run `npm run build`, or use `npm start`, which builds first.\n");
      }
      return app(req, res, () => sendJson(res, 404, { error: `nothing at ${path}` }));
    } catch (e) {
      log(`[atrium] ${req.method} ${path} failed: ${(e as Error).stack ?? e}`);
      if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
      else res.destroy();
    }
  });
  const { accounts } = options;
  // The sample exhibitions are registered (once) under the owner their file names.
  for (const { id, doc } of library.loaded.values())
    accounts.registerExhibition({ id, ownerKind: doc.meta.owner.kind, ownerId: doc.meta.owner.id, published: doc.meta.published, title: doc.meta.title });
  const seed = seedFromLibrary(library);
  const registry = new ClassRegistry(options.classLimits ?? {});
  const sync = attachSyncServer(server, {
    persistence: options.persistence,
    authorize:
      options.authorize ??
      ((req, doc) => {
        const user = accounts.sessionUser(cookies(req)[SESSION_COOKIE]);
        const role = accounts.roleOf(doc, user);
        // A class's students read its exhibition (live) with their seat token while the class runs.
        const seat = new URL(req.url ?? "/", "http://localhost").searchParams.get("seat");
        if (!role && registry.grants(seat, doc)) return { role: "viewer", user: null, museums: [] };
        return { role, user: user?.id ?? null, museums: user ? accounts.museumsOf(user.id).map((m) => m.id) : [] };
      }),
    seed,
    limits: options.syncLimits ?? {},
    log,
    passThrough: (path) => path.startsWith("/class/"),
  });
  const classes = attachClassChannel(server, {
    registry,
    userOf: (req) => accounts.sessionUser(cookies(req)[SESSION_COOKIE])?.id ?? null,
    log,
  });
  const jobs = new JobQueue(log);
  const api = createApi({ library, accounts, persistence: options.persistence, sync, seed, secureCookies: options.secureCookies ?? false, catalogue, uploads, jobs, standIns: () => standIns(options.modelsDir), classes: registry });
  server.on("close", () => {
    sync.close();
    classes.close();
  });
  return { server, library, sync, classes, accounts, catalogue, jobs };
}
