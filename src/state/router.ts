import { useSyncExternalStore } from "react";

/**
 * Routes (history API): `/` lists the exhibitions; `/visit/<exhibition-id>` opens one, with
 * optional `?room=<room-id>` and `?lang=<tag>`; `/studio/<exhibition-id>` opens it with the
 * curation tools; `/stats/<exhibition-id>` its visit statistics; `/card/<exhibition-id>` a printable QR card; `/folders[/<id>]` the user's collection folders and `/f/<code>` a shared one; `/join[/<code>]` joins a class (a visit page with `?class=<session>`). The server answers every non-API path with
 * index.html, so these URLs can be shared and reloaded.
 */
export type Route =
  | { name: "home" }
  | { name: "visit"; id: string }
  | { name: "studio"; id: string }
  | { name: "stats"; id: string }
  | { name: "card"; id: string }
  | { name: "folders"; id: string | null }
  | { name: "shared-folder"; code: string }
  | { name: "signin" }
  | { name: "explore" }
  | { name: "embed"; id: string }
  | { name: "short-link"; code: string }
  | { name: "invite"; token: string }
  | { name: "join"; code: string | null }
  | { name: "not-found"; path: string };

export function parseRoute(pathname: string): Route {
  if (pathname === "/" || pathname === "") return { name: "home" };
  const m = /^\/visit\/([^/]+)\/?$/.exec(pathname);
  if (m) return { name: "visit", id: decodeURIComponent(m[1]!) };
  const studio = /^\/studio\/([^/]+)\/?$/.exec(pathname);
  if (studio) return { name: "studio", id: decodeURIComponent(studio[1]!) };
  const stats = /^\/stats\/([^/]+)\/?$/.exec(pathname);
  if (stats) return { name: "stats", id: decodeURIComponent(stats[1]!) };
  const card = /^\/card\/([^/]+)\/?$/.exec(pathname);
  if (card) return { name: "card", id: decodeURIComponent(card[1]!) };
  const folders = /^\/folders(?:\/([^/]+))?\/?$/.exec(pathname);
  if (folders) return { name: "folders", id: folders[1] ? decodeURIComponent(folders[1]) : null };
  const shared = /^\/f\/([^/]+)\/?$/.exec(pathname);
  if (shared) return { name: "shared-folder", code: decodeURIComponent(shared[1]!) };
  if (pathname === "/signin") return { name: "signin" };
  if (pathname === "/explore" || pathname === "/explore/") return { name: "explore" };
  const embed = /^\/embed\/([^/]+)\/?$/.exec(pathname);
  if (embed) return { name: "embed", id: decodeURIComponent(embed[1]!) };
  // The server redirects a short link it knows; the app sees only the ones that lead nowhere.
  const short = /^\/s\/([^/]+)\/?$/.exec(pathname);
  if (short) return { name: "short-link", code: decodeURIComponent(short[1]!) };
  const invite = /^\/invite\/([^/]+)\/?$/.exec(pathname);
  if (invite) return { name: "invite", token: decodeURIComponent(invite[1]!) };
  const join = /^\/join(?:\/([^/]+))?\/?$/.exec(pathname);
  if (join) return { name: "join", code: join[1] ? decodeURIComponent(join[1]) : null };
  return { name: "not-found", path: pathname };
}

const listeners = new Set<() => void>();
function subscribe(l: () => void) {
  listeners.add(l);
  window.addEventListener("popstate", l);
  return () => {
    listeners.delete(l);
    window.removeEventListener("popstate", l);
  };
}

/** Goes to an app path without reloading the page. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, "", path);
  else window.history.pushState(null, "", path);
  for (const l of listeners) l();
}

/** The current path + search, re-rendering on navigation. */
export function useLocationKey(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname + window.location.search);
}
