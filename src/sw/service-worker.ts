/**
 * Atrium's service worker (built to `/sw.js` by `scripts/finish-build.ts`): keeps what a visit
 * downloads once, so a class's next lesson on the same devices fetches only what is live (the
 * page and the exhibition document). The browser's HTTP cache does most of this already; the
 * worker keeps the app, the decoders and the sample models even after the HTTP cache has evicted
 * or expired them (a model asked for without its content version is cacheable for an hour), with
 * no revalidation round trip each. Its
 * cache is named after the build (a hash of the page and of every model and vendored file), so a
 * new deployment starts a new cache and the old one is deleted.
 *
 * What it never keeps: the API (documents are live and access-checked), uploads (they may be
 * private: a shared school computer must not hand one visitor's files to the next), anything not
 * from this site, and partial (Range) answers.
 */

/** How a request is answered. */
export type CacheStrategy =
  /** From the cache if there, else the network (and kept): files that change only with a build. */
  | "cache-first"
  /** From the network, the kept copy only when the network fails (pages). */
  | "network-first";

/** The one rule: which strategy a same-origin GET takes, or null to leave it to the network. */
export function cacheStrategy(path: string, mode: string): CacheStrategy | null {
  if (path.startsWith("/api/") || path.startsWith("/uploads/") || path.startsWith("/sync") || path.startsWith("/class")) return null;
  if (path.startsWith("/assets/") || path.startsWith("/models/") || path.startsWith("/vendor/") || path === "/favicon.svg") return "cache-first";
  if (mode === "navigate") return "network-first";
  return null;
}

/** Replaced by the build with a hash of the built page: a new build starts a new cache. */
const VERSION = "__ATRIUM_BUILD__";
const CACHE = `atrium-${VERSION}`;

/** The parts of the worker's global scope this file uses (the DOM library does not declare them). */
interface WorkerScope {
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: "install" | "activate", listener: (e: { waitUntil(p: Promise<unknown>): void }) => void): void;
  addEventListener(type: "fetch", listener: (e: { request: Request; respondWith(r: Promise<Response>): void; waitUntil(p: Promise<unknown>): void }) => void): void;
  addEventListener(type: "message", listener: (e: { data: unknown; waitUntil(p: Promise<unknown>): void }) => void): void;
}

/** At most this many files adopted from one page's message. */
const ADOPT_LIMIT = 400;

/** Keeps `response` for `request` when it is whole, successful and not marked `no-store`. */
async function keep(request: Request, response: Response): Promise<void> {
  if (response.status !== 200 || response.type !== "basic" || /no-store/.test(response.headers.get("cache-control") ?? "")) return;
  const cache = await caches.open(CACHE);
  await cache.put(request, response);
}

/**
 * Keeps the files a page downloaded before this worker controlled it (the first visit's app and
 * models), so the next visit needs none of them: fetched again, they come from the browser's
 * HTTP cache, not the network.
 */
async function adopt(scope: WorkerScope, urls: unknown): Promise<void> {
  if (!Array.isArray(urls)) return;
  const cache = await caches.open(CACHE);
  for (const raw of urls.slice(0, ADOPT_LIMIT)) {
    if (typeof raw !== "string") continue;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      continue;
    }
    if (url.origin !== scope.location.origin || cacheStrategy(url.pathname, "cors") !== "cache-first" || (await cache.match(url.href))) continue;
    try {
      await keep(new Request(url.href), await fetch(url.href));
    } catch {
      // offline or gone: it will be kept when next fetched
    }
  }
}

function install(scope: WorkerScope): void {
  scope.addEventListener("message", (e) => {
    const data = e.data as { type?: unknown; urls?: unknown } | null;
    if (data?.type === "keep") e.waitUntil(adopt(scope, data.urls));
  });
  scope.addEventListener("install", (e) => e.waitUntil(scope.skipWaiting()));
  scope.addEventListener("activate", (e) =>
    e.waitUntil(
      (async () => {
        for (const name of await caches.keys()) if (name.startsWith("atrium-") && name !== CACHE) await caches.delete(name);
        await scope.clients.claim();
      })(),
    ),
  );
  scope.addEventListener("fetch", (e) => {
    const request = e.request;
    if (request.method !== "GET" || request.headers.has("range")) return;
    const url = new URL(request.url);
    if (url.origin !== scope.location.origin) return;
    const strategy = cacheStrategy(url.pathname, request.mode);
    if (!strategy) return;
    const fromNetwork = async () => {
      const response = await fetch(request);
      e.waitUntil(keep(request, response.clone()));
      return response;
    };
    if (strategy === "network-first") {
      e.respondWith(fromNetwork().catch(async (error: unknown) => (await caches.match(request)) ?? Promise.reject(error)));
      return;
    }
    e.respondWith(
      (async () => {
        return (await caches.match(request)) ?? fromNetwork();
      })(),
    );
  });
}

// Only inside a service worker; elsewhere (the unit tests) this file just exports its rule.
const scope = globalThis as unknown as Partial<WorkerScope> & { ServiceWorkerGlobalScope?: unknown };
if (scope.ServiceWorkerGlobalScope !== undefined) install(scope as WorkerScope);
