import { create } from "zustand";

/** The signed-in user as the server reports it (`GET /api/me`). */
export interface Me {
  user: { id: string; email: string; name: string; isAdmin: boolean };
  museums: { id: string; role: "admin" | "curator"; name: Record<string, string> }[];
}

interface SessionState {
  me: Me | null;
  /** True once `/api/me` has answered. */
  known: boolean;
  refresh(): Promise<Me | null>;
  signOut(): Promise<void>;
}

/** Local scope: who is signed in, for this tab. The session itself is an HttpOnly cookie. */
export const useSession = create<SessionState>()((set) => ({
  me: null,
  known: false,
  refresh: async () => {
    const res = await fetch("/api/me");
    const me = res.ok ? ((await res.json()) as Me) : null;
    set({ me, known: true });
    return me;
  },
  signOut: async () => {
    await fetch("/api/sessions", { method: "DELETE" });
    set({ me: null, known: true });
  },
}));

/** POSTs JSON; resolves to the parsed body, or throws the server's message (which names the field). */
export async function postJson<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method: "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) throw new Error(data.error ?? `HTTP ${res.status}`);
  return data as T;
}
