import type { Role } from "../shared/exhibition/permissions";
import { parseExhibition, type Exhibition, type FieldProblem } from "../shared/exhibition";
import { api } from "../api/client";

/** Why an exhibition page cannot show its exhibition. */
export type LoadFailure =
  | { kind: "not-found"; message: string }
  | { kind: "invalid"; file: string; message: string; problems: FieldProblem[] }
  | { kind: "network"; message: string };

/** The caller's role on the exhibition, as the server says it (`x-atrium-role`). */
/** The viewer's role on the exhibition (the permission rules' `Role`). */
export type ViewerRole = Role;
export type LoadResult = { ok: true; doc: Exhibition; role: ViewerRole } | { ok: false; failure: LoadFailure };

/**
 * Fetches an exhibition from the server and validates it again here: the network is a boundary,
 * and a document from an older or newer server must fail with a message naming the field.
 */
export async function loadExhibition(id: string, signal?: AbortSignal, seat?: string | null): Promise<LoadResult> {
  const url = `/api/exhibitions/${encodeURIComponent(id)}`;
  let res: Response;
  try {
    // A class student reads the class's exhibition with their seat token (no account).
    res = await api.exhibition(id, { ...(signal ? { signal } : {}), seat: seat ?? null });
  } catch (e) {
    return { ok: false, failure: { kind: "network", message: `Could not reach the server (${(e as Error).message}).` } };
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    return { ok: false, failure: { kind: "network", message: `The server answered ${url} with something that is not JSON (HTTP ${res.status}).` } };
  }
  if (res.status === 404) return { ok: false, failure: { kind: "not-found", message: (body as { error?: string }).error ?? "not found" } };
  if (res.status === 422) {
    const b = body as { error: string; file: string; problems: FieldProblem[] };
    return { ok: false, failure: { kind: "invalid", file: b.file, message: b.error, problems: b.problems ?? [] } };
  }
  if (!res.ok) return { ok: false, failure: { kind: "network", message: `The server answered HTTP ${res.status}.` } };
  const parsed = parseExhibition(body, url);
  if (!parsed.ok) return { ok: false, failure: { kind: "invalid", file: url, message: parsed.error.message, problems: parsed.error.problems } };
  const role = res.headers.get("x-atrium-role");
  return { ok: true, doc: parsed.doc, role: role === "owner" || role === "curator" || role === "commenter" ? role : "viewer" };
}
