import { z } from "zod";
import { langMap, languageTag, recordId, requiredLangMap } from "../../src/exhibition";

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
  id: exhibitionId,
  title: requiredLangMap,
  intro: langMap.optional(),
  languages: z.array(languageTag).min(1).default(["zh-Hant", "en"]),
  /** Omit for a personal exhibition; a museum id for an institutional one. */
  museum: recordId.optional(),
});
export const roleEnum = z.enum(["owner", "curator", "commenter", "viewer"]);
export const memberBody = z.object({ email: z.email(), role: roleEnum });
export const inviteBody = z.object({ role: roleEnum.exclude(["owner"]) });
