import { z } from "zod";
import type * as Y from "yjs";
import { recordId } from "../exhibition";
import { COMMENTS_MAP } from "./exhibition-ydoc";

/** Longest comment, in characters. */
export const MAX_COMMENT_LENGTH = 4000;

/** One comment in an item's thread. Its author may edit or delete it; the show's owner may delete it. */
export const comment = z.object({
  id: recordId,
  /** The item (record id) the thread is about. */
  item: recordId,
  /** Account id of the author; the server checks it is the sender's own. */
  author: z.string().min(1).max(64),
  authorName: z.string().max(120),
  text: z.string().trim().min(1, "cannot be empty").max(MAX_COMMENT_LENGTH),
  /** Milliseconds since 1970: when it was written (an edit keeps it). */
  at: z.number().int().nonnegative(),
  /** When its author last changed the text. */
  edited: z.number().int().nonnegative().optional(),
  /** Account ids of the members named with `@name` (they are told, when they asked to be). */
  mentions: z.array(z.string().min(1).max(64)).max(20).optional(),
});
export type Comment = z.infer<typeof comment>;

/**
 * Whether an item's thread is resolved, and by whom: one record per item under `thread-<item>`,
 * which anyone who may comment writes (signed, like a comment), so a curator can close a
 * question a teacher asked and anyone can reopen it.
 */
export const threadState = z.object({
  kind: z.literal("thread"),
  item: recordId,
  resolved: z.boolean(),
  by: z.string().min(1).max(64),
  byName: z.string().max(120),
  at: z.number().int().nonnegative(),
});
export type ThreadState = z.infer<typeof threadState>;

/** The key of an item's thread state in the comments map. */
export function threadKey(item: string): string {
  return `thread-${item}`;
}

/** Whether a key of the comments map holds a thread state (else a comment). */
export function isThreadKey(key: string): boolean {
  return key.startsWith("thread-");
}

function commentsMap(ydoc: Y.Doc): Y.Map<unknown> {
  return ydoc.getMap<unknown>(COMMENTS_MAP);
}

/** Adds a comment (validated) to its item's thread. */
export function addComment(ydoc: Y.Doc, input: Comment, origin?: unknown): Comment {
  const c = comment.parse(input);
  ydoc.transact(() => commentsMap(ydoc).set(c.id, c), origin);
  return c;
}

/** Changes the text (and mentions) of one's own comment; its time stays, `edited` says when. */
export function editComment(ydoc: Y.Doc, id: string, text: string, mentions: string[], at: number, origin?: unknown): Comment {
  const before = comment.safeParse(commentsMap(ydoc).get(id));
  if (!before.success) throw new Error(`comment "${id}" does not exist`);
  const c = comment.parse({ ...before.data, text, mentions: mentions.length > 0 ? mentions : undefined, edited: at });
  ydoc.transact(() => commentsMap(ydoc).set(id, c), origin);
  return c;
}

/** Removes a comment. */
export function deleteComment(ydoc: Y.Doc, id: string, origin?: unknown): void {
  ydoc.transact(() => commentsMap(ydoc).delete(id), origin);
}

/** Resolves or reopens an item's thread. */
export function setThreadResolved(ydoc: Y.Doc, input: Omit<ThreadState, "kind">, origin?: unknown): ThreadState {
  const s = threadState.parse({ kind: "thread", ...input });
  ydoc.transact(() => commentsMap(ydoc).set(threadKey(s.item), s), origin);
  return s;
}

/** One comment by id, or null (absent or malformed). */
export function commentById(ydoc: Y.Doc, id: string): Comment | null {
  if (isThreadKey(id)) return null;
  const r = comment.safeParse(commentsMap(ydoc).get(id));
  return r.success ? r.data : null;
}

/** The thread of one item, oldest first; malformed entries are skipped. */
export function commentsOn(ydoc: Y.Doc, item: string): Comment[] {
  return allComments(ydoc).filter((c) => c.item === item);
}

function allComments(ydoc: Y.Doc): Comment[] {
  const out: Comment[] = [];
  for (const [key, v] of commentsMap(ydoc).entries()) {
    if (isThreadKey(key)) continue;
    const r = comment.safeParse(v);
    if (r.success) out.push(r.data);
  }
  return out.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}

/** An item's thread: its comments and whether it is resolved. */
export interface Thread {
  item: string;
  comments: Comment[];
  state: ThreadState | null;
}

/** Every thread of the show with at least one comment, the latest activity first. */
export function threadsOf(ydoc: Y.Doc): Thread[] {
  const byItem = new Map<string, Thread>();
  for (const c of allComments(ydoc)) {
    let t = byItem.get(c.item);
    if (!t) byItem.set(c.item, (t = { item: c.item, comments: [], state: null }));
    t.comments.push(c);
  }
  for (const t of byItem.values()) {
    const s = threadState.safeParse(commentsMap(ydoc).get(threadKey(t.item)));
    if (s.success) t.state = s.data;
  }
  const last = (t: Thread) => t.comments[t.comments.length - 1]!.at;
  return [...byItem.values()].sort((a, b) => last(b) - last(a));
}

/** Is the thread resolved now? (A comment after the resolution reopens it.) */
export function isResolved(t: Thread): boolean {
  if (!t.state?.resolved) return false;
  return t.comments.every((c) => c.at <= t.state!.at);
}

/** The comments of `t` someone else wrote after `seenAt` (what `me` has not read). */
export function unreadIn(t: Thread, me: string, seenAt: number): Comment[] {
  return t.comments.filter((c) => c.author !== me && c.at > seenAt);
}

/**
 * Whether `c` is news for `me`: it names them, or answers a thread they wrote in. (The in-app
 * notice; never an e-mail.)
 */
export function concerns(c: Comment, thread: Thread, me: string): "mention" | "reply" | null {
  if (c.author === me) return null;
  if (c.mentions?.includes(me)) return "mention";
  return thread.comments.some((o) => o.author === me && o.at < c.at) ? "reply" : null;
}

/** A person who may be named in a comment. */
export interface Mentionable {
  id: string;
  name: string;
}

/**
 * The people a comment names with `@name` (longest names first, so "@Ana Lee" is not taken for
 * "@Ana"); at most 20, each once.
 */
export function mentionsIn(text: string, people: readonly Mentionable[]): string[] {
  const out: string[] = [];
  const sorted = [...people].filter((p) => p.name.trim()).sort((a, b) => b.name.length - a.name.length);
  const lower = text.toLocaleLowerCase();
  for (let at = lower.indexOf("@"); at >= 0 && out.length < 20; at = lower.indexOf("@", at + 1)) {
    const rest = lower.slice(at + 1);
    const who = sorted.find((p) => rest.startsWith(p.name.toLocaleLowerCase()));
    if (who && !out.includes(who.id)) out.push(who.id);
  }
  return out;
}

/** Calls `listener` when any comment changes; returns the cleanup. */
export function observeComments(ydoc: Y.Doc, listener: () => void): () => void {
  const map = commentsMap(ydoc);
  map.observe(listener);
  return () => map.unobserve(listener);
}
