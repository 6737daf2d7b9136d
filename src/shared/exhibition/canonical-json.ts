/**
 * JSON with every object's keys in a fixed (sorted) order: two records that hold the same values
 * compare equal whichever order their keys were written in (a record read back from the live
 * document keeps the order it was written in; one that went through the schema, the schema's).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v)) ?? "";
}

/** The same values (identical, or equal as {@link canonicalJson}). */
export function sameJson(a: unknown, b: unknown): boolean {
  return a === b || canonicalJson(a) === canonicalJson(b);
}
