import { CLASS_CLOSE, serverMessage, type ServerMessage, type StudentMessage, type TeacherMessage } from "../shared/class-protocol";
import { apiFetch } from "../api/client";

/** Where the class connection stands. */
export type LinkStatus = "connecting" | "online" | "reconnecting" | "closed";

export interface ClassConnection {
  send(m: TeacherMessage | StudentMessage): void;
  close(): void;
}

/**
 * The class channel from a browser: `/class/<session>` (the teacher by their sign-in cookie, a
 * student with `seat`). Reconnects with a growing pause after a network drop; stops for good on
 * a final close (removed, class ended, refused), reporting the server's reason. Every message is
 * validated before it reaches the app.
 */
export function connectClass(options: {
  session: string;
  seat?: string | null;
  serverUrl?: string;
  onMessage: (m: ServerMessage) => void;
  onStatus: (status: LinkStatus, reason?: string) => void;
}): ClassConnection {
  const base = options.serverUrl ?? `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}`;
  const url = `${base}/class/${encodeURIComponent(options.session)}${options.seat ? `?seat=${encodeURIComponent(options.seat)}` : ""}`;
  // Where to ask whether the class still runs when a reconnection is refused (a WebSocket never
  // sees the HTTP status of a refused upgrade).
  const statusUrl = `${base.replace(/^ws/, "http")}/api/classes/${encodeURIComponent(options.session)}/status${options.seat ? `?seat=${encodeURIComponent(options.seat)}` : ""}`;
  let ws: WebSocket | null = null;
  let closed = false;
  let everOpen = false;
  let delay = 500;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const open = () => {
    if (closed) return;
    const socket = new WebSocket(url);
    ws = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      everOpen = true;
      delay = 500;
      options.onStatus("online");
    };
    // A refused or broken socket also fires "close", which decides what to do.
    socket.onerror = () => {};
    socket.onmessage = (e) => {
      if (typeof e.data !== "string") return;
      let raw: unknown;
      try {
        raw = JSON.parse(e.data);
      } catch {
        return console.warn("[class] ignored a message that is not JSON");
      }
      const r = serverMessage.safeParse(raw);
      if (!r.success) return console.warn(`[class] ignored a malformed message: ${r.error.issues[0]?.path.join(".")}: ${r.error.issues[0]?.message}`);
      options.onMessage(r.data);
    };
    socket.onclose = (e) => {
      if (ws !== socket) return;
      ws = null;
      if (closed) return;
      // 44xx: removed, ended, replaced by another tab, or refused: trying again cannot help.
      // 1006 before the first open: the upgrade was refused (HTTP 403/404/410).
      const final = (e.code >= 4400 && e.code < 4500 && e.code !== CLASS_CLOSE.RATE_LIMITED) || (!everOpen && e.code === 1006 && delay >= 4000);
      if (final) {
        closed = true;
        return options.onStatus("closed", e.reason || "the class is not available");
      }
      options.onStatus(everOpen ? "reconnecting" : "connecting");
      const retry = () => {
        if (closed) return;
        timer = setTimeout(open, delay);
        delay = Math.min(delay * 2, 8000);
      };
      if (opened) return retry();
      // Refused before opening: the class may have ended, or been lost in a restart. Ask; only a
      // definite "gone" is final (a network still down just means trying again later).
      apiFetch("GET", statusUrl)
        .then(async (r) => {
          if (closed) return;
          if (r.status === 410 || r.status === 404) {
            const body = (await r.json().catch(() => null)) as { error?: unknown } | null;
            closed = true;
            return options.onStatus("closed", typeof body?.error === "string" ? body.error : "the class is not available");
          }
          retry();
        })
        .catch(retry);
    };
  };
  options.onStatus("connecting");
  open();
  return {
    send: (m) => {
      if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m));
    },
    close: () => {
      closed = true;
      if (timer) clearTimeout(timer);
      ws?.close(1000, "left");
      ws = null;
    },
  };
}
