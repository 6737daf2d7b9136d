import { expect } from "vitest";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { RawClient } from "./sync-clients";

/** The site administrator the tests create with `ensureAdmin` before they start a server. */
export const TEST_ADMIN = { email: "admin@atrium.test", password: "correct horse battery" } as const;

/** Where a test server listens. */
export interface ServerAddress {
  url: string;
  ws: string;
}

/** A browser-like API client: keeps the session cookie between requests. */
export class ApiSession {
  cookie = "";
  /** Providers opened by this session, destroyed by `closeAll`. */
  readonly providers: WebsocketProvider[] = [];

  constructor(readonly server: ServerAddress) {}

  async call(method: string, path: string, body?: unknown) {
    const res = await fetch(`${this.server.url}${path}`, {
      method,
      headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.get("set-cookie");
    if (set) this.cookie = set.split(";")[0]!;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
    const text = await res.text(); // empty for a 204
    return { status: res.status, body: (text ? JSON.parse(text) : null) as any, setCookie: set };
  }

  /** A GET with this session's cookie (files under /uploads/ are readable only by who may see them). */
  get(path: string): Promise<Response> {
    return fetch(`${this.server.url}${path}`, { headers: this.cookie ? { cookie: this.cookie } : {} });
  }

  /** Sends raw bytes (an upload). */
  async upload(path: string, bytes: Uint8Array, type = "application/octet-stream") {
    const res = await fetch(`${this.server.url}${path}`, { method: "POST", headers: { "content-type": type, ...(this.cookie ? { cookie: this.cookie } : {}) }, body: new Blob([bytes as Uint8Array<ArrayBuffer>]) });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
    return { status: res.status, body: (await res.json()) as any };
  }

  /** Signs in as `TEST_ADMIN` (created with `ensureAdmin(accounts, TEST_ADMIN.email, TEST_ADMIN.password)`). */
  static async admin(server: ServerAddress) {
    const s = new ApiSession(server);
    expect((await s.call("POST", "/api/sessions", TEST_ADMIN)).status).toBe(200);
    return s;
  }

  static async signUpOn(server: ServerAddress, email: string, name = email.split("@")[0]!) {
    const s = new ApiSession(server);
    const r = await s.call("POST", "/api/accounts", { email, name, password: "a long enough password" });
    expect(r.status).toBe(201);
    return s;
  }

  /** The stock y-websocket client, sending this session's cookie on the upgrade. */
  provider(doc: string) {
    const cookie = this.cookie;
    class CookieSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { cookie } });
      }
    }
    const p = new WebsocketProvider(`${this.server.ws}/sync`, doc, new Y.Doc(), { WebSocketPolyfill: CookieSocket as unknown as typeof globalThis.WebSocket, disableBc: true });
    this.providers.push(p);
    return p;
  }

  raw(doc: string) {
    return new RawClient(`${this.server.ws}/sync/${doc}`, { cookie: this.cookie });
  }

  closeAll() {
    for (const p of this.providers.splice(0)) p.destroy();
  }
}
