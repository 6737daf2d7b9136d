import { EXHIBITION_TYPE, EXHIBITION_VERSION } from "./schema";

/**
 * Pure, ordered migrations from each old schema version to the next. Each takes the raw JSON of
 * version N (already known to carry `version: N`) and returns the raw JSON of version N + 1; the
 * result is validated against the current schema afterwards, so a migration never has to.
 * Never edit a migration once released: add a new one and freeze a fixture for it in
 * `test/fixtures/exhibitions/`.
 */
export const MIGRATIONS: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {
  /**
   * v1 -> v2: a single `licence` became three (`metadata`, `thumbnail`, `object`), since museums
   * license them separately; a single `model` URL became an asset with quality tiers; placements'
   * `rotationY` became a full Euler `rotation`.
   */
  1: (doc) => {
    const items = mapRecords(doc.items, (item) => {
      const { licence, model, ...rest } = item;
      const out: Record<string, unknown> = { ...rest };
      if (licence !== undefined) out.licences = { metadata: licence, thumbnail: licence, object: licence };
      if (model !== undefined) out.asset = { kind: "model", tiers: { high: model } };
      return out;
    });
    const placements = mapRecords(doc.placements, (p) => {
      const { rotationY, ...rest } = p;
      return typeof rotationY === "number" ? { ...rest, rotation: [0, rotationY, 0] } : rest;
    });
    return { ...doc, version: 2, items, placements };
  },
  /**
   * v2 -> v3: the same JSON. What changed is how a live document holds its prose: each text is a
   * Y.Text per language, so co-writers merge character by character
   * (`src/shared/collab/exhibition-ydoc.ts`, `layoutMigration` moves a stored Y.Doc's texts).
   * A file says version 3 so an older Atrium, which would write texts the version-2 way into a
   * live document, refuses it instead.
   */
  2: (doc) => ({ ...doc, version: 3 }),
};

function mapRecords(
  value: unknown,
  fn: (record: Record<string, unknown>) => Record<string, unknown>,
): unknown {
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [id, rec] of Object.entries(value)) out[id] = isObject(rec) ? fn(rec) : rec;
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Outcome of reading a document header and migrating it to the current version. */
export type MigrationResult =
  | { ok: true; doc: Record<string, unknown>; fromVersion: number }
  | { ok: false; path: (string | number)[]; message: string };

/** Checks the `{ type, version }` header and runs every migration from the document's version up. */
export function migrateToCurrent(raw: unknown): MigrationResult {
  if (!isObject(raw)) return { ok: false, path: [], message: "an exhibition document must be a JSON object" };
  if (raw.type !== EXHIBITION_TYPE)
    return { ok: false, path: ["type"], message: `must be "${EXHIBITION_TYPE}" (found ${JSON.stringify(raw.type)})` };
  const version = raw.version;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1)
    return { ok: false, path: ["version"], message: `must be a whole number from 1 to ${EXHIBITION_VERSION} (found ${JSON.stringify(version)})` };
  if (version > EXHIBITION_VERSION)
    return { ok: false, path: ["version"], message: `is ${version}, made by a newer Atrium; this build reads up to version ${EXHIBITION_VERSION}` };
  let doc = raw;
  for (let v = version; v < EXHIBITION_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) return { ok: false, path: ["version"], message: `no migration from version ${v}` };
    doc = step(doc);
  }
  return { ok: true, doc, fromVersion: version };
}
