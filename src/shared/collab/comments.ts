import { z } from "zod";
import type * as Y from "yjs";
import { recordId } from "../exhibition";
import { COMMENTS_MAP } from "./exhibition-ydoc";

/** One comment in an item's thread. */
export const comment = z.object({
  id: recordId,
  /** The item (record id) the thread is about. */
  item: recordId,
  /** Account id of the author; the server checks it is the sender's own. */
  author: z.string().min(1).max(64),
  authorName: z.string().max(120),
  text: z.string().trim().min(1, "cannot be empty").max(4000),
  /** Milliseconds since 1970. */
  at: z.number().int().nonnegative(),
});
export type Comment = z.infer<typeof comment>;

function commentsMap(ydoc: Y.Doc): Y.Map<Comment> {
  return ydoc.getMap<Comment>(COMMENTS_MAP);
}

/** Adds a comment (validated) to its item's thread. */
export function addComment(ydoc: Y.Doc, input: Comment, origin?: unknown): Comment {
  const c = comment.parse(input);
  ydoc.transact(() => commentsMap(ydoc).set(c.id, c), origin);
  return c;
}

/** The thread of one item, oldest first; malformed entries are skipped. */
export function commentsOn(ydoc: Y.Doc, item: string): Comment[] {
  const out: Comment[] = [];
  for (const v of commentsMap(ydoc).values()) {
    const r = comment.safeParse(v);
    if (r.success && r.data.item === item) out.push(r.data);
  }
  return out.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}

/** Calls `listener` when any comment changes; returns the cleanup. */
export function observeComments(ydoc: Y.Doc, listener: () => void): () => void {
  const map = commentsMap(ydoc);
  map.observe(listener);
  return () => map.unobserve(listener);
}
