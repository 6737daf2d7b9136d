import { z } from "zod";

/** Short links and citations (`/api/exhibitions/{id}/links`, `/cite`): shared by the server (validation, OpenAPI) and the app. */

export const shortLink = z.object({ code: z.string(), url: z.string(), qr: z.string().describe("The link as a QR code (PNG), for a printed card") });
export const linksAnswer = z.object({
  show: shortLink,
  artefacts: z.array(shortLink.extend({ placement: z.string() })),
});
export type LinksAnswer = z.infer<typeof linksAnswer>;

export const citeQuery = z.object({
  lang: z.string().max(35).default("en"),
  /** An artefact (a placement id) of the show; the show itself when absent. */
  placement: z.string().max(200).optional(),
});
export const citationAnswer = z.object({
  text: z.string(),
  lang: z.string(),
  csl: z.record(z.string(), z.unknown()).describe("One CSL-JSON item"),
  bibtex: z.string(),
  url: z.string(),
});
export type CitationAnswer = z.infer<typeof citationAnswer>;
