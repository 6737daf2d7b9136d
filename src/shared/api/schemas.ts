import { z } from "zod";
import { catalogueEntry, langMap, languageTag, licenceId, licences, recordId, requiredLangMap, TEMPLATE_IDS } from "../exhibition";

/** Request bodies of the REST API: validated here and published in /api/openapi.json. */
export const registerBody = z.object({
  email: z.email(),
  name: z.string().trim().min(1).max(120),
  password: z.string().min(10, "must be at least 10 characters").max(200),
});
export const loginBody = z.object({ email: z.email(), password: z.string().min(1).max(200) });
export const museumBody = z.object({ id: recordId, name: requiredLangMap });
export const museumMemberBody = z.object({ email: z.email(), role: z.enum(["admin", "curator"]) });
export const exhibitionId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "must be lower-case letters, digits and '-'");
export const createExhibitionBody = z.object({
  /** The address (`/visit/<id>`); omitted, the server makes one from the title. */
  id: exhibitionId.optional(),
  title: requiredLangMap,
  intro: langMap.optional(),
  languages: z.array(languageTag).min(1).default(["zh-Hant", "en"]),
  /** Omit for a personal exhibition; a museum id for an institutional one. */
  museum: recordId.optional(),
  /** empty: one room; micro: one room with three plinth spots and a wall for images; two-museum: two connected rooms. */
  template: z.enum(TEMPLATE_IDS).default("empty"),
});
export const versionBody = z.object({ name: z.string().trim().min(1, "give the version a name").max(120) });
export const roleEnum = z.enum(["owner", "curator", "commenter", "viewer"]);
export const memberBody = z.object({ email: z.email(), role: roleEnum });
export const inviteBody = z.object({ role: roleEnum.exclude(["owner"]) });
/** Import of an exhibition document (JSON export of this or another Atrium). */
export const importBody = z.object({
  document: z.unknown(),
  /** A new id; defaults to the document's own. */
  id: exhibitionId.optional(),
  /** Omit for a personal exhibition; a museum id for an institutional one. */
  museum: recordId.optional(),
});
/** Import of a IIIF Presentation 3 image manifest as wall-hung images. */
export const iiifImportBody = z.object({
  manifest: z.unknown(),
  /** A museum the caller belongs to; omit for their own collection. */
  museum: recordId.optional(),
  /** Used when the manifest states no licence Atrium recognises. */
  licence: licenceId.default("All-Rights-Reserved"),
});
/** A registrar's change to a catalogue record's rights. */
export const entryRightsBody = z.object({
  licences: licences.optional(),
  rightsHolder: z.string().max(300).optional(),
  rightsNote: z.string().max(2000).optional(),
});

// --- answers (documented in /api/openapi.json) -------------------------------------------------
/** Every refusal or failure: the message (naming the field when one is wrong) and its details. */
export const errorAnswer = z
  .object({
    error: z.string(),
    field: z.string().optional(),
    findings: z.array(z.object({ code: z.string(), message: z.string(), pointer: z.string().optional(), file: z.string().optional().describe("The file in a zip the finding is about") })).optional(),
    problems: z.array(z.unknown()).optional(),
  })
  .catchall(z.unknown())
  .describe("An error: what is wrong, in plain words");
/** The signed-in user, as they see themselves. */
const publicUserAnswer = z.object({ id: z.string(), email: z.string(), name: z.string(), isAdmin: z.boolean() });
/** POST /api/accounts and /api/sessions. */
export const userAnswer = z.object({ user: publicUserAnswer });
/** GET /api/me. */
export const meAnswer = z.object({ user: publicUserAnswer, museums: z.array(z.object({ id: z.string(), role: z.enum(["admin", "curator"]), name: z.record(z.string(), z.string()) })) });
/** GET /api/session: as /api/me, with a null user (and no museums) for an anonymous visitor. */
export const sessionAnswer = meAnswer.extend({ user: publicUserAnswer.nullable() });
const importWarning = z.object({ row: z.number().int(), id: z.string(), field: z.string(), message: z.string() });
/** POST /api/catalogue/imports/preview. */
export const importPreviewAnswer = z.object({
  fields: z.array(z.string()),
  columns: z.array(z.string()),
  mapping: z.record(z.string(), z.string()),
  records: z.number().int(),
  sample: z.array(catalogueEntry),
  warnings: z.array(importWarning),
  warningCount: z.number().int(),
  warningsByField: z.record(z.string(), z.number().int()),
});
/** POST /api/catalogue/imports. */
export const importAnswer = z.object({
  imported: z.number().int(),
  ids: z.array(z.string()),
  placeable: z.number().int(),
  warnings: z.array(importWarning),
  warningCount: z.number().int(),
  warningsByField: z.record(z.string(), z.number().int()),
});
/** POST /api/catalogue/iiif. */
export const iiifImportAnswer = z.object({ imported: z.number().int(), entries: z.array(catalogueEntry), warnings: z.array(z.string()) });
/** POST /api/assets. */
export const uploadAnswer = z.object({
  url: z.string(),
  kind: z.enum(["model", "image", "audio", "motion"]),
  bytes: z.number().int(),
  entry: catalogueEntry.optional(),
  conversion: z.record(z.string(), z.unknown()).optional().describe("BVH and FBX uploads: joints, frames, frame rate, scale and how it was judged, sizes and time of the conversion"),
  job: z.string().optional().describe("Status URL of the processing job (models: quality tiers and poster)"),
});
const tierStats = z.object({
  bytes: z.number().int(),
  triangles: z.number().int(),
  textures: z.number().int(),
  maxTexture: z.number().int(),
  fallback: z.string().optional().describe("When the first try broke the tier's limits: what was done to keep them"),
});
/** GET /api/assets/jobs/{id}. */
export const jobAnswer = z.union([
  z.object({ status: z.enum(["queued", "processing"]) }),
  z.object({ status: z.literal("done"), result: z.object({ ms: z.number(), tiers: z.object({ thumb: tierStats, low: tierStats, high: tierStats }), poster: z.string() }) }),
  z.object({ status: z.literal("failed"), error: z.string() }),
]);
