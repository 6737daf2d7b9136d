import type { z } from "zod";
import { migrateToCurrent } from "./migrate";
import { exhibition, type Exhibition } from "./schema";

/** One problem found in a document, with the dotted path of the field it concerns. */
export interface FieldProblem {
  /** Dotted path such as `items.bowl-1.licences.object` or `tour.2.camera`. Empty for the whole document. */
  field: string;
  message: string;
}

/** Why a document could not be read: where it came from and what is wrong, field by field. */
export class ExhibitionError extends Error {
  constructor(
    /** The file name, URL or description of where the document came from. */
    readonly source: string,
    readonly problems: FieldProblem[],
  ) {
    super(formatProblems(source, problems));
    this.name = "ExhibitionError";
  }
}

/** `source: field: message` lines, at most `limit` of them, then a count of the rest. */
export function formatProblems(source: string, problems: FieldProblem[], limit = 8): string {
  const lines = problems.slice(0, limit).map((p) => `${source}: ${p.field || "(document)"}: ${p.message}`);
  if (problems.length > limit) lines.push(`${source}: ... and ${problems.length - limit} more problem(s)`);
  return lines.join("\n");
}

export type ParseResult =
  | { ok: true; doc: Exhibition; migratedFrom?: number }
  | { ok: false; error: ExhibitionError };

/**
 * Reads an exhibition from untrusted JSON (a file, a network response, an upload): checks the
 * header, migrates old versions, validates every field and cross-reference. Never throws.
 */
export function parseExhibition(raw: unknown, source: string): ParseResult {
  const migrated = migrateToCurrent(raw);
  if (!migrated.ok) return { ok: false, error: new ExhibitionError(source, [{ field: migrated.path.join("."), message: migrated.message }]) };
  const result = exhibition.safeParse(migrated.doc);
  if (!result.success) {
    const suffix = migrated.fromVersion < 2 ? ` (after migrating from version ${migrated.fromVersion})` : "";
    return { ok: false, error: new ExhibitionError(source, zodProblems(result.error, suffix)) };
  }
  return migrated.fromVersion === result.data.version
    ? { ok: true, doc: result.data }
    : { ok: true, doc: result.data, migratedFrom: migrated.fromVersion };
}

/** Parses JSON text first, so a syntax error is reported the same way as a schema error. */
export function parseExhibitionText(text: string, source: string): ParseResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: new ExhibitionError(source, [{ field: "", message: `is not valid JSON: ${(e as Error).message}` }]) };
  }
  return parseExhibition(raw, source);
}

function zodProblems(error: z.ZodError, suffix: string): FieldProblem[] {
  return error.issues.map((issue) => {
    // A bad record key (e.g. a language tag) carries the reason in its nested issues.
    const inner = issue.code === "invalid_key" ? issue.issues[0]?.message : undefined;
    const message = inner ? `is not a valid key: ${inner}` : issue.message;
    return { field: issue.path.map(String).join("."), message: message + suffix };
  });
}
