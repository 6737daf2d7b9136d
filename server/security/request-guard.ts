import type { IncomingMessage } from "node:http";
import type { OriginPolicy } from "./origin";

/** Body types a page on another site can send without the browser asking first (CORS "simple" requests). */
const FORM_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"];

/**
 * Why a state-changing API request is refused before any handler runs, or null: a foreign
 * `Origin` (see `OriginPolicy`), or a body a form could have posted. JSON routes take
 * `application/json` only, and body-less ones (publish, accept...) take no form body either, so
 * a cross-site form can never reach them even from a browser that sends no Origin. Upload routes
 * take raw bytes of any type and rely on the origin check. Reads headers only.
 */
export function stateChangeRefusal(req: IncomingMessage, origins: OriginPolicy, rawBody: boolean): { status: number; message: string } | null {
  const foreign = origins.refusal(req);
  if (foreign) return { status: 403, message: foreign };
  if (rawBody || req.method === "GET" || req.method === "HEAD") return null;
  const type = String(req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (FORM_TYPES.includes(type)) return { status: 415, message: "the body must be JSON (content-type: application/json)" };
  return null;
}
