import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { coTextName, type CoTextMap } from "./co-texts";

/**
 * Who wrote what (docs/ARCHITECTURE.md, "Review mode"): the sync server, which knows the account
 * behind every connection, records which Yjs client ids each account wrote with and what each of
 * their updates deleted, in Yjs's own `PermanentUserData` layout (a map `users`: account →
 * { ids: client ids, ds: encoded delete sets }). It is kept in a document of its own beside the
 * exhibition (`attributionDocName`), written only by the server and never synced to pages: a
 * page could otherwise send the server's notes back after a lost write, and the server could not
 * tell them from a forgery. Pages read it over HTTP; a name in review mode is the account that
 * sent the change, never what a page claims.
 */
/** The top-level map of the attribution (Yjs's default for `PermanentUserData`). */
export const ATTRIBUTION_MAP = "users";

/** Where an exhibition's attribution is stored (`#` is never part of a show's id). */
export function attributionDocName(doc: string): string {
  return `${doc}#who`;
}

/** An account as the attribution names it. */
export interface Author {
  id: string;
  name: string;
}

/**
 * An account as a key of `users`, with the writing room's own id: each room (each process, each
 * load) writes its own keys, so two processes noting one account never overwrite each other's map.
 */
const describe = (a: Author, room: number) => JSON.stringify([a.id, a.name, room]);
function parseAuthor(description: string | null): Author | null {
  if (!description) return null;
  try {
    const [id, name] = JSON.parse(description) as [unknown, unknown];
    return typeof id === "string" && typeof name === "string" ? { id, name } : null;
  } catch {
    return null;
  }
}

/** An update with no structs and this delete set: what `ds` entries hold, without the leading struct count. */
const EMPTY_DELETE_SET = 1; // one byte: zero clients

/**
 * Server side: notes in the attribution document `doc` that `author` sent `update` (just applied
 * to the exhibition): its client ids, once each, and its delete set when it deleted anything.
 * Writes with `origin` in one transaction; does nothing when there is nothing new to note (most
 * keystrokes).
 */
export function recordAuthorship(doc: Y.Doc, author: Author, update: Uint8Array, origin: unknown): void {
  const key = describe(author, doc.clientID);
  let noted = notedClients.get(doc);
  if (!noted) notedClients.set(doc, (noted = new Map()));
  let mine = noted.get(key);
  if (!mine) noted.set(key, (mine = new Set(((doc.getMap(ATTRIBUTION_MAP).get(key) as Y.Map<Y.Array<number>> | undefined)?.get("ids")?.toArray() ?? []) as number[])));
  // The hot path (a keystroke): one known client, nothing deleted, read from the first bytes and
  // the last one without decoding the update. A V1 update ends with its delete set, whose last
  // byte is 0 only when it is empty (otherwise it is the top byte of a length, never 0).
  const only = soleClient(update);
  const deletes = update[update.length - 1] !== 0;
  if (only !== null && mine.has(only) && !deletes) return;
  const { to } = Y.parseUpdateMeta(update);
  const newClients = [...to.keys()].filter((c) => !mine.has(c));
  let deletions: Uint8Array | null = null;
  if (deletes) {
    // What the update deleted: the update less every struct it carries is its delete set alone
    // (diffed against where each of its clients ends: an incremental update does not start at 0).
    const ends = encoding.createEncoder();
    encoding.writeVarUint(ends, to.size);
    for (const [client, clock] of to) {
      encoding.writeVarUint(ends, client);
      encoding.writeVarUint(ends, clock);
    }
    deletions = Y.diffUpdate(update, encoding.toUint8Array(ends)).slice(1);
    if (deletions.byteLength <= EMPTY_DELETE_SET) deletions = null;
  }
  if (newClients.length === 0 && !deletions) return;
  // Yjs's layout: each account's map holds two arrays of different kinds.
  type UserEntry = Y.Map<Y.Array<number> | Y.Array<Uint8Array>>;
  const users = doc.getMap<UserEntry>(ATTRIBUTION_MAP);
  doc.transact(() => {
    let user = users.get(key);
    if (!user) {
      user = new Y.Map() as UserEntry;
      user.set("ids", new Y.Array<number>());
      user.set("ds", new Y.Array<Uint8Array>());
      users.set(key, user);
    }
    if (newClients.length > 0) (user.get("ids") as Y.Array<number>).push(newClients);
    if (deletions) (user.get("ds") as Y.Array<Uint8Array>).push([deletions]);
  }, origin);
  for (const c of newClients) mine.add(c);
}

/** The client ids already noted per account, per document (this process's cache of `users`). */
const notedClients = new WeakMap<Y.Doc, Map<string, Set<number>>>();

/** The one client an update's structs come from, read from its header; null when several, none, or unreadable. */
function soleClient(update: Uint8Array): number | null {
  try {
    const d = decoding.createDecoder(update);
    if (decoding.readVarUint(d) !== 1) return null;
    decoding.readVarUint(d); // how many structs
    return decoding.readVarUint(d);
  } catch {
    return null;
  }
}

/** Yjs internals the reader walks (stable across Yjs 13). */
interface RawItem {
  id: Y.ID;
  deleted: boolean;
  countable: boolean;
  length: number;
  right: RawItem | null;
}

/**
 * Page side: who wrote what in the exhibition `doc`, from its attribution document `notes` (as
 * the server sends it). Build one per reading of the notes.
 */
export class Attribution {
  private readonly data: Y.PermanentUserData;

  constructor(
    private readonly doc: Y.Doc,
    notes: Y.Doc,
  ) {
    this.data = new Y.PermanentUserData(notes, notes.getMap(ATTRIBUTION_MAP));
  }

  /** From the notes as the server sends them (one Yjs update). */
  static fromUpdate(doc: Y.Doc, update: Uint8Array): Attribution {
    const notes = new Y.Doc();
    Y.applyUpdate(notes, update);
    return new Attribution(doc, notes);
  }

  /** The account that wrote with `client`, or null (a change the server made, or one from before attribution). */
  byClient(client: number): Author | null {
    return parseAuthor(this.data.getUserByClientId(client) as string | null);
  }

  /**
   * Who last wrote a record (`map` key `id`): for a record that is gone, who removed it.
   */
  ofRecord(map: string, id: string): Author | null {
    const item = (this.doc.getMap(map) as unknown as { _map: Map<string, RawItem> })._map.get(id);
    if (!item) return null;
    return item.deleted ? parseAuthor(this.data.getUserByDeletedId(item.id)) : this.byClient(item.id.client);
  }

  /**
   * Who wrote or deleted the characters of a text between `from` and `to` (UTF-16 units of the
   * text as it is now; deletions found there count when `deletions` is set), each account once.
   */
  ofText(map: CoTextMap, id: string, field: string, lang: string, from: number, to: number, deletions: boolean): Author[] {
    const name = coTextName(map, id, field, lang);
    if (!this.doc.share.has(name)) return [];
    const text = this.doc.getText(name) as unknown as { _start: RawItem | null };
    const found = new Map<string, Author>();
    const add = (a: Author | null) => a && found.set(a.id, a);
    let at = 0;
    for (let item = text._start; item; item = item.right) {
      if (item.deleted) {
        if (deletions && at >= from && at <= to) add(parseAuthor(this.data.getUserByDeletedId(item.id)));
        continue;
      }
      const end = at + (item.countable ? item.length : 0);
      if (end > from && at < to) add(this.byClient(item.id.client));
      at = end;
      if (at > to) break;
    }
    return [...found.values()];
  }
}
