import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { create } from "zustand";
import { concerns, isResolved, observeComments, threadsOf, unreadIn, useExhibition, type Comment, type Mentionable, type Thread } from "../collab";
import { pickText } from "../shared/exhibition";
import { useLocalStore } from "../state/local-store";
import { api } from "../api/client";
import { attempt, usePeers } from "./studio-hooks";
import type { Studio } from "./studio-context";
import { useStudioStore } from "./studio-store";
import { useStudioT } from "./studio-strings";

/**
 * Comment threads (issue 25): each item's thread with edit and delete for one's own comments,
 * resolve and reopen, `@name` mentions, what this user has not read (kept in this browser, per
 * show and account: local scope), the show's open threads, and an in-app notice when someone
 * replies or mentions you (each person chooses; never an e-mail).
 */

/**
 * One list of threads per document (keyed by its store), shared by every component that shows
 * them, read again only when a comment changes. It observes the comments for as long as the
 * document lives (the observer goes with it), so subscribing never makes a new list.
 */
const threadCaches = new WeakMap<object, { stale: boolean; value: Thread[]; listeners: Set<() => void>; subscribe: (l: () => void) => () => void; read: () => Thread[] }>();

function threadCache(store: { ydoc: Parameters<typeof threadsOf>[0] }) {
  let cache = threadCaches.get(store);
  if (cache) return cache;
  const ydoc = store.ydoc;
  const c = {
    stale: true,
    value: [] as Thread[],
    listeners: new Set<() => void>(),
    subscribe: (l: () => void) => {
      c.listeners.add(l);
      return () => void c.listeners.delete(l);
    },
    read: () => {
      if (c.stale) {
        c.value = threadsOf(ydoc);
        c.stale = false;
      }
      return c.value;
    },
  };
  observeComments(ydoc, () => {
    c.stale = true;
    for (const f of c.listeners) f();
  });
  threadCaches.set(store, (cache = c));
  return cache;
}

/** Every thread of the show, live. */
export function useThreads(studio: Studio): Thread[] {
  const cache = threadCache(studio.live.store);
  return useSyncExternalStore(cache.subscribe, cache.read);
}

interface SeenState {
  key: string;
  /** Item -> time of the latest comment this user has seen in its thread. */
  seen: Record<string, number>;
  notify: boolean;
  load(key: string): void;
  markSeen(item: string, at: number): void;
  setNotify(on: boolean): void;
}

const storageGet = (k: string): string | null => {
  try {
    return localStorage.getItem(k);
  } catch {
    return null;
  }
};
const storageSet = (k: string, v: string) => {
  try {
    localStorage.setItem(k, v);
  } catch {
    /* private mode: kept for this page only */
  }
};

/** What this user has read, per show (this browser only). */
export const useCommentsSeen = create<SeenState>()((set, get) => ({
  key: "",
  seen: {},
  notify: true,
  load: (key) => {
    if (get().key === key) return;
    let seen: Record<string, number> = {};
    try {
      seen = JSON.parse(storageGet(`atrium:comments-seen:${key}`) ?? "{}") as Record<string, number>;
    } catch {
      /* a damaged entry: start again */
    }
    set({ key, seen, notify: storageGet("atrium:comment-notices") !== "off" });
  },
  markSeen: (item, at) => {
    const { key, seen } = get();
    if ((seen[item] ?? 0) >= at) return;
    const next = { ...seen, [item]: at };
    storageSet(`atrium:comments-seen:${key}`, JSON.stringify(next));
    set({ seen: next });
  },
  setNotify: (notify) => {
    storageSet("atrium:comment-notices", notify ? "on" : "off");
    set({ notify });
  },
}));

/** Unread comments in open threads (the toolbar's count). */
export function useUnreadCount(studio: Studio): number {
  const threads = useThreads(studio);
  const seen = useCommentsSeen((s) => s.seen);
  const me = studio.editor.user.id;
  useEffect(() => useCommentsSeen.getState().load(`${studio.id}:${me}`), [studio.id, me]);
  return threads.reduce((n, t) => n + (isResolved(t) ? 0 : unreadIn(t, me, seen[t.item] ?? 0).length), 0);
}

/** People a comment may name: the show's members (for its curators), whoever is here and whoever has commented. */
export function useMentionable(studio: Studio): Mentionable[] {
  const peers = usePeers(studio.presence);
  const threads = useThreads(studio);
  const [members, setMembers] = useState<Mentionable[]>([]);
  const role = studio.editor.user.role;
  useEffect(() => {
    if (role !== "owner" && role !== "curator") return;
    let live = true;
    api
      .members(studio.id)
      .then((r) => live && setMembers(r.members.map((m) => ({ id: m.user.id, name: m.user.name }))))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [studio.id, role]);
  return useMemo(() => {
    const out = new Map<string, Mentionable>();
    for (const m of members) out.set(m.id, m);
    for (const p of peers) out.set(p.user.id, { id: p.user.id, name: p.user.name });
    for (const t of threads) for (const c of t.comments) out.set(c.author, { id: c.author, name: c.authorName });
    return [...out.values()];
  }, [members, peers, threads]);
}

/** Words of a comment with its `@mentions` set apart. */
function CommentText({ text, people }: { text: string; people: Mentionable[] }) {
  const names = people.map((p) => p.name).filter((n) => n.trim()).sort((a, b) => b.length - a.length);
  const parts: (string | { mention: string })[] = [];
  let rest = text;
  for (let at = rest.indexOf("@"); at >= 0; at = rest.indexOf("@")) {
    const name = names.find((n) => rest.slice(at + 1).toLocaleLowerCase().startsWith(n.toLocaleLowerCase()));
    if (!name) {
      parts.push(rest.slice(0, at + 1));
      rest = rest.slice(at + 1);
      continue;
    }
    parts.push(rest.slice(0, at), { mention: rest.slice(at, at + 1 + name.length) });
    rest = rest.slice(at + 1 + name.length);
  }
  parts.push(rest);
  return <p>{parts.map((p, i) => (typeof p === "string" ? p : <span key={i} className="mention">{p.mention}</span>))}</p>;
}

/** An item's thread in the inspector: its comments (own ones editable), resolve / reopen, and the form. */
export function CommentThread({ studio, item }: { studio: Studio; item: string }) {
  const t = useStudioT();
  const threads = useThreads(studio);
  const thread = threads.find((x) => x.item === item);
  const comments = thread?.comments ?? [];
  const people = useMentionable(studio);
  const [text, setText] = useState("");
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null);
  const me = studio.editor.user;
  const mayComment = me.role !== "viewer";
  const resolved = thread ? isResolved(thread) : false;
  const last = comments[comments.length - 1]?.at ?? 0;
  useEffect(() => {
    if (last) useCommentsSeen.getState().markSeen(item, last);
  }, [item, last]);
  return (
    <section className={`comments${resolved ? " resolved" : ""}`} aria-label={t("comments")} data-resolved={String(resolved)}>
      <h3>
        {t("comments")} ({comments.length})
        {mayComment && comments.length > 0 && (
          <button className="small" name={resolved ? "reopen-thread" : "resolve-thread"} onClick={() => attempt(() => studio.editor.resolveThread(item, !resolved))}>
            {resolved ? t("reopen") : `✓ ${t("resolve")}`}
          </button>
        )}
      </h3>
      {resolved && thread?.state && (
        <p className="muted resolved-note">
          {t("resolvedBy")} {thread.state.byName} · <time>{new Date(thread.state.at).toLocaleString()}</time>
        </p>
      )}
      <ol>
        {comments.map((c: Comment) => (
          <li key={c.id} data-comment={c.id} className={c.mentions?.includes(me.id) ? "mentions-me" : undefined}>
            <strong>{c.authorName}</strong> <time className="muted">{new Date(c.at).toLocaleString()}</time>
            {c.edited && <span className="muted"> · {t("edited")}</span>}
            {editing?.id === c.id ? (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  attempt(() => {
                    studio.editor.editComment(c.id, editing.text, people);
                    setEditing(null);
                  });
                }}
              >
                <textarea name="edit-comment" aria-label={t("edit")} value={editing.text} onChange={(e) => setEditing({ id: c.id, text: e.target.value })} rows={2} />
                <button name="save-comment" disabled={!editing.text.trim()}>
                  {t("save")}
                </button>
                <button type="button" onClick={() => setEditing(null)}>
                  {t("cancel")}
                </button>
              </form>
            ) : (
              <CommentText text={c.text} people={people} />
            )}
            {editing?.id !== c.id && (c.author === me.id || me.role === "owner") && (
              <span className="comment-actions">
                {c.author === me.id && (
                  <button className="small" name="edit-comment" onClick={() => setEditing({ id: c.id, text: c.text })}>
                    {t("edit")}
                  </button>
                )}
                <button className="small" name="delete-comment" onClick={() => attempt(() => studio.editor.deleteComment(c.id))}>
                  {t("deleteComment")}
                </button>
              </span>
            )}
          </li>
        ))}
      </ol>
      {mayComment && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            attempt(() => {
              studio.editor.comment(item, text, people);
              setText("");
            });
          }}
        >
          <textarea name="comment" placeholder={t("addComment")} aria-describedby={`mention-hint-${item}`} value={text} onChange={(e) => setText(e.target.value)} rows={2} />
          <span id={`mention-hint-${item}`} className="muted small-print">
            {t("mentionHint")}
          </span>
          <button disabled={!text.trim()}>{t("send")}</button>
        </form>
      )}
    </section>
  );
}

/** The show's threads: open ones with what is unread, then resolved ones; a click opens the item. */
export function CommentsPanel({ studio }: { studio: Studio }) {
  const t = useStudioT();
  const threads = useThreads(studio);
  const seen = useCommentsSeen((s) => s.seen);
  const notify = useCommentsSeen((s) => s.notify);
  const items = useExhibition((d) => d.items);
  const placements = useExhibition((d) => d.placements);
  const language = useLocalStore((s) => s.language);
  const me = studio.editor.user.id;
  const open = threads.filter((x) => !isResolved(x));
  const done = threads.filter(isResolved);
  const go = (item: string) => {
    const entry = Object.entries(placements).find(([, p]) => p.item === item);
    if (!entry) return;
    useLocalStore.getState().enterRoom(entry[1].room);
    useStudioStore.setState({ panel: null, picked: entry[0], selected: [entry[0]] });
  };
  const row = (x: Thread) => {
    const unread = unreadIn(x, me, seen[x.item] ?? 0).length;
    const lastC = x.comments[x.comments.length - 1]!;
    return (
      <li key={x.item} data-thread={x.item}>
        <button className="thread-link" onClick={() => go(x.item)}>
          <strong>{pickText(items[x.item]?.title, language) || x.item}</strong>
          {unread > 0 && (
            <span className="badge" data-unread={unread}>
              {unread} {t("unread")}
            </span>
          )}
          <span className="muted">
            {lastC.authorName}: {lastC.text.slice(0, 80)}
          </span>
        </button>
      </li>
    );
  };
  return (
    <aside className="studio-drawer panel comments-panel" aria-label={t("comments")}>
      <h2>{t("comments")}</h2>
      <label className="inline">
        <input type="checkbox" name="comment-notices" checked={notify} onChange={(e) => useCommentsSeen.getState().setNotify(e.target.checked)} /> {t("notifyMe")}
      </label>
      {threads.length === 0 && <p className="muted">{t("noThreads")}</p>}
      {open.length > 0 && (
        <>
          <h3>{t("openThreads")}</h3>
          <ul className="threads">{open.map(row)}</ul>
        </>
      )}
      {done.length > 0 && (
        <>
          <h3>{t("resolvedThreads")}</h3>
          <ul className="threads resolved">{done.map(row)}</ul>
        </>
      )}
    </aside>
  );
}

/**
 * The in-app notice: a comment that mentions this user, or answers a thread they wrote in,
 * arriving while the studio is open (not on load), when they chose to be told.
 */
export function CommentNotices({ studio }: { studio: Studio }) {
  const t = useStudioT();
  const threads = useThreads(studio);
  const notify = useCommentsSeen((s) => s.notify);
  const items = useExhibition((d) => d.items);
  const language = useLocalStore((s) => s.language);
  const known = useRef<Set<string> | null>(null);
  const [notices, setNotices] = useState<{ id: string; text: string; item: string }[]>([]);
  const me = studio.editor.user.id;
  useEffect(() => {
    const all = threads.flatMap((x) => x.comments.map((c) => [c, x] as const));
    if (known.current === null) {
      known.current = new Set(all.map(([c]) => c.id));
      return;
    }
    const fresh: { id: string; text: string; item: string }[] = [];
    for (const [c, x] of all) {
      if (known.current.has(c.id)) continue;
      known.current.add(c.id);
      const why = concerns(c, x, me);
      if (!why || !notify) continue;
      fresh.push({ id: c.id, item: c.item, text: `${c.authorName} ${t(why === "mention" ? "mentionedYou" : "repliedOn")} ${pickText(items[c.item]?.title, language) || c.item}` });
    }
    if (fresh.length > 0) setNotices((n) => [...n, ...fresh].slice(-3));
  }, [threads, me, notify, items, language, t]);
  if (notices.length === 0) return null;
  return (
    <div className="comment-notices" role="status">
      {notices.map((n) => (
        <p key={n.id} className="comment-notice" data-notice={n.id}>
          {n.text}
          <button className="icon" aria-label="×" onClick={() => setNotices((all) => all.filter((x) => x.id !== n.id))}>
            ×
          </button>
        </p>
      ))}
    </div>
  );
}
