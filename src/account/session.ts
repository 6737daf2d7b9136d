import { useEffect } from "react";
import { create } from "zustand";
import { api, ApiError } from "../api/client";

/** The signed-in user as the server reports it (`GET /api/session`). */
export interface Me {
  user: { id: string; email: string; name: string; isAdmin: boolean };
  museums: { id: string; role: "admin" | "curator"; name: Record<string, string> }[];
}

interface SessionState {
  me: Me | null;
  /** True once `/api/session` has answered. */
  known: boolean;
  refresh(): Promise<Me | null>;
  signOut(): Promise<void>;
}

/** Local scope: who is signed in, for this tab. The session itself is an HttpOnly cookie. */
export const useSession = create<SessionState>()((set) => ({
  me: null,
  known: false,
  refresh: async () => {
    // Nobody signed in is an answer (a null user), not a failure.
    const answer = await api.session().catch((e: unknown) => (e instanceof ApiError ? null : Promise.reject(e)));
    const me = answer?.user ? { user: answer.user, museums: answer.museums } : null;
    set({ me, known: true });
    return me;
  },
  signOut: async () => {
    await api.signOut().catch((e: unknown) => (e instanceof ApiError ? null : Promise.reject(e)));
    set({ me: null, known: true });
  },
}));

/** Who is signed in (null: nobody, or not known yet), asking the server once if this tab has not yet. */
export function useSignedIn(): { me: Me | null; known: boolean } {
  const me = useSession((s) => s.me);
  const known = useSession((s) => s.known);
  useEffect(() => {
    if (!known) void useSession.getState().refresh();
  }, [known]);
  return { me, known };
}
