import WebSocket from "ws";
import type { ServerMessage } from "../../src/shared/class-protocol";

/**
 * A raw class-channel client (Node `ws`), as any program could write one: no app code between
 * the test and the server. Keeps every message it received; `next` waits for one that matches.
 */
export class RawClassClient {
  readonly received: ServerMessage[] = [];
  bytes = 0;
  closed: { code: number; reason: string } | null = null;
  private waiters: { match: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  /** Called for every message as it arrives (the benchmark's latency probe). */
  onMessage: ((m: ServerMessage, size: number) => void) | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data: Buffer) => {
      this.bytes += data.length;
      const m = JSON.parse(data.toString("utf8")) as ServerMessage;
      if (this.onMessage) return this.onMessage(m, data.length);
      this.received.push(m);
      this.waiters = this.waiters.filter((w) => (w.match(m) ? (w.resolve(m), false) : true));
    });
    ws.on("close", (code, reason) => (this.closed = { code, reason: reason.toString() }));
  }

  /** Opens `/class/<id>` as a student (`seat`) or as the signed-in teacher (`cookie`). */
  static open(wsBase: string, session: string, who: { seat: string } | { cookie: string }, keep = true): Promise<RawClassClient> {
    const url = `${wsBase}/class/${session}${"seat" in who ? `?seat=${encodeURIComponent(who.seat)}` : ""}`;
    const ws = new WebSocket(url, { headers: "cookie" in who ? { cookie: who.cookie } : {}, perMessageDeflate: false });
    const client = new RawClassClient(ws);
    if (!keep) client.onMessage = () => {};
    return new Promise((resolve, reject) => {
      ws.once("open", () => resolve(client));
      ws.once("unexpected-response", (_req, res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => reject(new Error(`HTTP ${res.statusCode}: ${body}`)));
      });
      ws.once("error", reject);
    });
  }

  send(m: unknown): void {
    this.ws.send(JSON.stringify(m));
  }

  /** The first message (already received or still to come) of type `t` that passes `match`. */
  next<T extends ServerMessage["t"]>(t: T, match: (m: Extract<ServerMessage, { t: T }>) => boolean = () => true, timeoutMs = 5000): Promise<Extract<ServerMessage, { t: T }>> {
    const test = (m: ServerMessage) => m.t === t && match(m as Extract<ServerMessage, { t: T }>);
    const i = this.received.findIndex(test);
    if (i >= 0) return Promise.resolve(this.received.splice(i, 1)[0] as Extract<ServerMessage, { t: T }>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${t}" message within ${timeoutMs} ms; waiting unread: ${this.received.map((m) => JSON.stringify(m).slice(0, 160)).join(", ") || "none"}`)), timeoutMs);
      this.waiters.push({
        match: test,
        resolve: (m) => {
          clearTimeout(timer);
          const at = this.received.indexOf(m);
          if (at >= 0) this.received.splice(at, 1);
          resolve(m as Extract<ServerMessage, { t: T }>);
        },
      });
    });
  }

  /** Resolves when the server has closed the socket. */
  whenClosed(): Promise<{ code: number; reason: string }> {
    if (this.closed) return Promise.resolve(this.closed);
    return new Promise((resolve) => this.ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  close(): void {
    this.ws.close();
  }
}
