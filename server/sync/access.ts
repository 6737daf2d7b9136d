import type { IncomingMessage } from "node:http";
import { canEdit, type Role } from "../../src/shared/exhibition/permissions";

export type { Role };

/** What a connection may do with a document, decided once at the WebSocket upgrade. */
export interface Access {
  /** null: no access at all. */
  role: Role | null;
  /** The signed-in user, or null for anonymous visitors. */
  user: string | null;
  /** May this user create the document if it does not exist yet? */
  canCreate?: boolean;
  /** Collections the user acts for: museums they are a curator or admin of, and their own (locks, rights). */
  museums?: string[];
  /** The account's display name (comments and presence must carry it). */
  name?: string | null;
}

/**
 * Decides access from the upgrade request (cookies, headers, URL) and the document name. Injected:
 * the accounts layer provides the real one; tests may provide their own.
 */
export type Authorizer = (req: IncomingMessage, doc: string) => Access | Promise<Access>;

/** Owners and curators change documents; commenters and viewers only read them. */
export const canWrite = canEdit;
