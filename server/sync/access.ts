import type { IncomingMessage } from "node:http";

/** Roles on one exhibition, from most to least rights. */
export type Role = "owner" | "curator" | "commenter" | "viewer";

/** What a connection may do with a document, decided once at the WebSocket upgrade. */
export interface Access {
  /** null: no access at all. */
  role: Role | null;
  /** The signed-in user, or null for anonymous visitors. */
  user: string | null;
  /** May this user create the document if it does not exist yet? */
  canCreate?: boolean;
  /** Museums the user is a curator or admin of (for museum locks on items). */
  museums?: string[];
}

/**
 * Decides access from the upgrade request (cookies, headers, URL) and the document name. Injected:
 * the accounts layer provides the real one; tests may provide their own.
 */
export type Authorizer = (req: IncomingMessage, doc: string) => Access | Promise<Access>;

/** Owners and curators change documents; commenters and viewers only read them. */
export function canWrite(role: Role | null): boolean {
  return role === "owner" || role === "curator";
}

/** Roles whose updates the server looks at at all: editors, and commenters (comments only). */
export function maySend(role: Role | null): boolean {
  return canWrite(role) || role === "commenter";
}
