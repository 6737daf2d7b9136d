import type { IncomingMessage } from "node:http";
import { hostname, networkInterfaces } from "node:os";

/** Where the site is reached, as configured. */
export interface SiteOptions {
  /** ATRIUM_PUBLIC_URL: the address visitors use (https://atrium.museum.org). Links, QR codes and IIIF ids use it. */
  publicUrl?: string | null;
  /** ATRIUM_ALLOWED_ORIGINS: other origins whose pages may change things here (a museum's own site). */
  allowedOrigins?: readonly string[];
}

/** Methods that change state: they must come from an allowed origin. */
const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Which origins may change things on this server, and which origin links name
 * (docs/ARCHITECTURE.md, "Origins"). With ATRIUM_PUBLIC_URL set, that origin (and
 * ATRIUM_ALLOWED_ORIGINS) is the whole list. Without it (the embedded default on a laptop or a
 * school's network), the server's own names are accepted: localhost, this machine's addresses and
 * host name, on the port it listens on; a `Host` header naming anything else is never echoed
 * into a link.
 *
 * Requests that change state (POST, PUT, PATCH, DELETE, and WebSocket upgrades) must carry an
 * allowed `Origin`, or no Origin and no `Sec-Fetch-Site` that says another site sent them
 * (non-browser clients: scripts, the admin command). Browsers always send Origin on such
 * requests, so a page on another site, or on another port of this host, cannot use a visitor's
 * cookie here, whatever SameSite says.
 */
export class OriginPolicy {
  private readonly configured: URL | null;
  private readonly allowed: Set<string>;
  private ownHosts: Set<string> | null = null;

  constructor(
    options: SiteOptions,
    /** The port this server listens on (known once it listens). */
    private readonly port: () => number | null,
  ) {
    this.configured = options.publicUrl ? new URL(options.publicUrl) : null;
    this.allowed = new Set((options.allowedOrigins ?? []).map((o) => new URL(o).origin));
    if (this.configured) this.allowed.add(this.configured.origin);
  }

  /** The origin to put in links for this request: the configured public URL, or the server's own name the request used. */
  publicOrigin(req: IncomingMessage): string {
    if (this.configured) return this.configured.origin;
    const host = req.headers.host ?? "";
    const own = this.isOwnOrigin(`http://${host}`);
    return own ? `http://${host.toLowerCase()}` : `http://localhost:${this.port() ?? 8080}`;
  }

  /** Why this request may not change state here, or null. Reads only headers. */
  refusal(req: IncomingMessage, upgrade = false): string | null {
    if (!upgrade && !STATE_CHANGING.has(req.method ?? "GET")) return null;
    const origin = req.headers.origin;
    if (origin === undefined) {
      const site = req.headers["sec-fetch-site"];
      return site === undefined || site === "same-origin" || site === "none" ? null : `a request from another site (${site}) without an Origin is refused`;
    }
    if (this.allowed.has(origin) || (!this.configured && this.isOwnOrigin(origin))) return null;
    return `requests from ${origin.slice(0, 100)} are not allowed to change anything here`;
  }

  /** Is `origin` this server under one of its own names (only when no public URL is configured)? */
  private isOwnOrigin(origin: string): boolean {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return false;
    const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    if (port !== this.port()) return false;
    this.ownHosts ??= ownHostNames();
    return this.ownHosts.has(url.hostname.toLowerCase());
  }
}

/** The names this machine answers to: loopback, its interfaces' addresses, its host name. */
function ownHostNames(): Set<string> {
  const names = new Set(["localhost", "127.0.0.1", "[::1]"]);
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) names.add(a.family === "IPv6" ? `[${a.address.split("%")[0]!.toLowerCase()}]` : a.address);
  const host = hostname().toLowerCase();
  names.add(host);
  names.add(`${host}.local`);
  return names;
}
