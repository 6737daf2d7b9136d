import { z } from "zod";
import { langMap, languageTag, licenceId, normalizeTheme, recordId, requiredLangMap } from "../exhibition";

/**
 * The public gallery's API (`GET /api/explore`): the query a visitor's search sends, and the cards
 * it gets back. Shared by the server (validation, OpenAPI) and the explore page (types).
 */

/** Who made a show, and for what: a person (a teacher, a visitor), one museum, a museum with items of others, or a lesson made for a class. */
export const exploreKind = z.enum(["personal", "museum", "joint", "class"]);
export type ExploreKind = z.infer<typeof exploreKind>;

/** How the cards are ordered: the most recently published first, the most visited in the last 30 days first, or by title. */
export const exploreSort = z.enum(["newest", "visited", "title"]);

/** A search of the public gallery; an empty query lists every published show. */
export const exploreQuery = z.object({
  /** Words found anywhere in the show (titles, texts, artefacts, makers, museums), in any of its languages. */
  q: z.string().trim().max(100, "at most 100 characters").optional(),
  museum: recordId.optional(),
  /** Shows written in this language. */
  lang: languageTag.optional(),
  kind: exploreKind.optional(),
  /** Shows with this theme tag (folded as stored: "Tea" finds "tea"). */
  theme: z.string().max(40, "at most 40 characters").transform(normalizeTheme).optional(),
  sort: exploreSort.default("newest"),
  limit: z.coerce.number().int().min(1).max(60).default(24),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
});
export type ExploreQuery = z.infer<typeof exploreQuery>;

/** One published show as a card of the gallery. */
export const exploreCard = z.object({
  id: z.string(),
  title: requiredLangMap,
  intro: langMap,
  languages: z.array(languageTag),
  museums: z.array(z.object({ id: recordId, name: requiredLangMap })),
  kind: exploreKind,
  /** Its theme tags (`src/shared/exhibition/themes.ts`). */
  themes: z.array(z.string()),
  /** The object licences of its items, each once. */
  licences: z.array(licenceId),
  rooms: z.number().int(),
  artefacts: z.number().int(),
  /** Its picture: a cover or an artefact's poster, or a room panorama (a 6:1 strip; show its first sixth). */
  picture: z.object({ url: z.string(), panorama: z.boolean() }).nullable(),
  /** When it was published (ms since 1970). */
  published: z.number(),
});
export type ExploreCard = z.infer<typeof exploreCard>;

/** A page of results, with the museums and languages to filter by. */
export const exploreAnswer = z.object({
  total: z.number().int(),
  cards: z.array(exploreCard),
  facets: z.object({
    museums: z.array(z.object({ id: recordId, name: requiredLangMap })),
    languages: z.array(languageTag),
    /** The themes of the published shows, the most used first, with how many shows carry each. */
    themes: z.array(z.object({ theme: z.string(), shows: z.number().int() })),
  }),
});
export type ExploreAnswer = z.infer<typeof exploreAnswer>;
