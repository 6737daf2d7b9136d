import { z } from "zod";
import { langMap } from "./lang";
import { item, museum } from "./schema";

/**
 * One entry of the catalogue the studio searches: a ready-to-place item record (the snapshot an
 * exhibition keeps), the museum it belongs to, and the facets it is filtered by. Built by the
 * server from museum open data, sample shows and uploads; validated again when it arrives.
 */
export const catalogueEntry = z.object({
  id: z.string().min(1).max(120),
  museum,
  item,
  facets: z.object({
    institution: z.string(),
    material: z.string().optional(),
    period: z.string().optional(),
    licence: z.string(),
    kind: z.enum(["model", "image", "motion"]),
  }),
  /** False when there is nothing to show (no model or licensed image); `note` says why. */
  placeable: z.boolean(),
  note: z.string().optional(),
  /** Account id of the uploader, for a user's own uploads. */
  uploadedBy: z.string().optional(),
  /** In search answers only: whether the caller may change this record's rights. */
  editable: z.boolean().optional(),
});
export type CatalogueEntry = z.infer<typeof catalogueEntry>;

/** A search answer: matching entries and the facet counts over all matches. */
export const catalogueResult = z.object({
  total: z.number().int(),
  entries: z.array(catalogueEntry),
  facets: z.record(z.string(), z.record(z.string(), z.number().int())),
  /** Names of facet values, per facet, where the value is an id: `institution` -> museum names per language. */
  labels: z.record(z.string(), z.record(z.string(), langMap)).default({}),
});
export type CatalogueResult = z.infer<typeof catalogueResult>;
