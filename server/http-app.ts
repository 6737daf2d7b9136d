import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import sirv from "sirv";
import { ExhibitionLibrary } from "./exhibition-library";
import type { AccountStore } from "./accounts/account-store";
import { createApi, SESSION_COOKIE } from "./api/routes";
import { cookies, sendJson } from "./api/http-util";
import type { Authorizer } from "./sync/access";
import { seedFromLibrary } from "./sync/library-access";
import type { Persistence } from "./sync/persistence";
import { attachSyncServer, type SyncLimits } from "./sync/sync-server";

/** Where the server finds what it serves. */
export interface AtriumServerOptions {
  /** The built app (`vite build` output). */
  distDir: string;
  /** Artefact and mocap sources, served under `/models/`. */
  modelsDir: string;
  /** Exhibition documents (`*.json`): the seeds of documents never stored yet. */
  exhibitionsDir: string;
  /** Where documents are stored (the embedded default is SQLite under the data dir). */
  persistence: Persistence;
  /** Accounts, museums and roles. */
  accounts: AccountStore;
  /** Who may open which document over /sync; defaults to the roles in `accounts`. */
  authorize?: Authorizer;
  /** Mark the session cookie Secure (when served over HTTPS). */
  secureCookies?: boolean;
  syncLimits?: Partial<SyncLimits>;
  log?: (line: string) => void;
}

/** The running app's parts, for `server/main.ts` and for tests. */
export interface AtriumServer {
  server: Server;
  library: ExhibitionLibrary;
  accounts: AccountStore;
  sync: ReturnType<typeof attachSyncServer>;
}


/**
 * One HTTP server for the whole app: `/api/*`, `/models/*` and the built single-page app (any
 * other path falls back to `index.html`, so `/visit/<id>` deep links work), and the collaboration
 * endpoint `/sync/<doc>` on the same server's `upgrade` event.
 */
export function createAtriumServer(options: AtriumServerOptions): AtriumServer {
  const log = options.log ?? ((l: string) => console.error(l));
  const library = new ExhibitionLibrary(options.exhibitionsDir, log);
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
  const sync = attachSyncServer(server, {
    persistence: options.persistence,
    authorize:
      options.authorize ??
      ((req, doc) => {
        const user = accounts.sessionUser(cookies(req)[SESSION_COOKIE]);
        return { role: accounts.roleOf(doc, user), user: user?.id ?? null };
      }),
    seed,
    limits: options.syncLimits ?? {},
    log,
  });
  const api = createApi({ library, accounts, persistence: options.persistence, sync, seed, secureCookies: options.secureCookies ?? false });
  server.on("close", () => sync.close());
  return { server, library, sync, accounts };
}
