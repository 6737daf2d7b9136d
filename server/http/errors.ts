/**
 * Domain errors carry a code, never an HTTP status (docs/ARCHITECTURE.md, "Errors"): the one error
 * hook of the HTTP app (`server/api/app.ts`) maps codes to statuses. Modules below the HTTP layer
 * (the class registry, the upload pipeline, the sandbox, accounts) throw these or return codes.
 */
export type ErrorCode =
  | "invalid"
  | "not-signed-in"
  | "forbidden"
  | "not-found"
  | "conflict"
  | "gone"
  | "full"
  | "too-large"
  | "unsupported-type"
  | "unprocessable"
  | "throttled"
  | "busy"
  | "unavailable"
  | "failed";

/** The HTTP status of each code: the only place where one is chosen. */
export const STATUS_OF: Record<ErrorCode, number> = {
  invalid: 400,
  "not-signed-in": 401,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  full: 409,
  gone: 410,
  "too-large": 413,
  "unsupported-type": 415,
  unprocessable: 422,
  throttled: 429,
  failed: 500,
  busy: 503,
  unavailable: 503,
};

/** What an error answer may say besides its message. */
export interface ErrorDetails {
  /** The field (or parameter) that is wrong, when one is. */
  field?: string;
  /** The glTF validator's findings, for refused models. */
  findings?: { code: string; message: string; pointer?: string }[];
  /** Field-named problems of a document, or items that block publishing. */
  problems?: unknown[];
  /** For "throttled": seconds until the next try may succeed. */
  retryAfterSeconds?: number;
  /** Anything else the answer carries (e.g. a broken file's name). */
  extra?: Record<string, unknown>;
}

/** A refusal or failure with a code, a message in plain words and its details. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
  }

  /** The answer's body: the message, and the field, findings or problems when there are some. */
  body(): Record<string, unknown> {
    const { field, findings, problems, extra } = this.details;
    return { error: this.message, ...(field ? { field } : {}), ...(findings ? { findings } : {}), ...(problems ? { problems } : {}), ...extra };
  }
}

/** Shorthand: a `DomainError` naming its field ("email: must be..."). */
export function fieldError(code: ErrorCode, field: string, message: string): DomainError {
  return new DomainError(code, `${field}: ${message}`, { field });
}
