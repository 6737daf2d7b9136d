import { z } from "zod";
import { langMap, languageTag, licenceId, recordId, requiredLangMap } from "../exhibition";

/**
 * Collection folders (`/api/folders`, issue 23): a signed-in user's named folders of saved
 * artefacts and shows, ordered by hand, shared read-only by a link (`/f/<code>`), and the start
 * of a new exhibition. Shared by the server (validation, OpenAPI) and the app (types).
 */

/** How much one user may keep: the server refuses more, naming the limit. */
export const FOLDER_LIMITS = {
  foldersPerUser: 50,
  entriesPerFolder: 200,
  /** Artefacts a show started from a folder may hold (a saved show counts with all its artefacts). */
  artefactsPerNewShow: 60,
} as const;

export const folderName = z.string().trim().min(1, "needs a name").max(80, "must be at most 80 characters");
export const folderBody = z.object({ name: folderName }).strict();

/** What to save: a show, or one of its artefacts (a placement id). */
export const folderEntryBody = z
  .object({
    exhibition: z.string().min(1).max(64),
    placement: recordId.optional(),
  })
  .strict();

/** The folder's entries in their new order: every entry id once. */
export const folderOrderBody = z.object({ entries: z.array(z.string().max(40)).max(FOLDER_LIMITS.entriesPerFolder) }).strict();

/** A new exhibition from a folder: its title (the folder's name when absent) and first language. */
export const folderShowBody = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    language: languageTag.optional(),
  })
  .strict();

/** One saved thing as a folder shows it; `available: false` once its show is gone or private to the reader (then only what was saved is left). */
export const folderEntry = z.object({
  id: z.string(),
  exhibition: z.string(),
  placement: z.string().nullable(),
  available: z.boolean(),
  /** The artefact's or show's title (as it is now; as it was saved when no longer available). */
  title: langMap,
  /** The show's languages (the order its texts fall back in). */
  languages: z.array(languageTag),
  maker: langMap.optional(),
  /** The artefact's museum, or the show's museums. */
  museums: z.array(requiredLangMap),
  picture: z.string().nullable(),
  /** The artefact's object licence, or each licence of the show's items once. */
  licences: z.array(licenceId),
  /** Where it is seen: the show, or the artefact's close-up in it. */
  href: z.string(),
  added: z.number(),
});
export type FolderEntry = z.infer<typeof folderEntry>;

export const folderSummary = z.object({
  id: z.string(),
  name: z.string(),
  entries: z.number().int(),
  /** The read-only link, when the folder is shared. */
  shared: z.string().nullable(),
  updated: z.number(),
  /** Whether it holds the thing asked about (`?exhibition=&placement=`), for the save menu. */
  holds: z.boolean().optional(),
});
export type FolderSummary = z.infer<typeof folderSummary>;

export const foldersAnswer = z.object({ folders: z.array(folderSummary) });
export const folderAnswer = folderSummary.extend({ items: z.array(folderEntry) });
export type FolderAnswer = z.infer<typeof folderAnswer>;

/** A shared folder as anyone with its link sees it: only what they may see, and the name its owner goes by. */
export const sharedFolderAnswer = z.object({ name: z.string(), owner: z.string(), updated: z.number(), items: z.array(folderEntry) });
export type SharedFolderAnswer = z.infer<typeof sharedFolderAnswer>;

export const folderShowAnswer = z.object({
  exhibition: z.object({ id: z.string() }),
  /** Artefacts placed in the new show. */
  placed: z.number().int(),
  /** Saved things left out: no longer there, or no longer visible to the user. */
  skipped: z.number().int(),
});
