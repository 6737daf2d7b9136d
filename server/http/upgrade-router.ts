import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";

/** Answers one WebSocket upgrade (it may refuse it with `refuseUpgrade`). */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) => void | Promise<void>;

const REASONS: Record<number, string> = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 410: "Gone", 429: "Too Many Requests", 500: "Internal Server Error" };

/** The one way an upgrade is refused: an HTTP status and a reason, before any WebSocket exists. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${REASONS[status] ?? "Error"}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
  socket.destroy();
}

/**
 * The HTTP server's one `upgrade` listener: it sends `/sync/...` and `/class/...` (or whatever
 * prefixes it is given) to their handler and refuses anything else with 404. A handler that
 * throws answers 500; a socket error never reaches the process.
 */
export function attachUpgradeRouter(server: Server, routes: { prefix: string; handle: UpgradeHandler }[], log: (line: string) => void): () => void {
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://localhost");
    } catch {
      return refuseUpgrade(socket, 400, "Bad Request");
    }
    const route = routes.find((r) => url.pathname.startsWith(r.prefix));
    if (!route) return refuseUpgrade(socket, 404, "Not Found");
    Promise.resolve()
      .then(() => route.handle(req, socket, head, url))
      .catch((e: Error) => {
        log(`[upgrade] ${url.pathname} failed: ${e.stack ?? e}`);
        if (!socket.destroyed) refuseUpgrade(socket, 500, "Internal Server Error");
      });
  };
  server.on("upgrade", onUpgrade);
  return () => server.off("upgrade", onUpgrade);
}
