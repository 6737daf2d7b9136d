import type * as Y from "yjs";
import { z } from "zod";
import { COMMENTS_MAP, DOCUMENT_TYPES } from "../../src/shared/collab/exhibition-ydoc";
import { comment, isThreadKey, threadKey, threadState } from "../../src/shared/collab/comments";
import { annotation, item as itemSchema, LESSON_LIMITS, lessonPlan, meta as metaSchema, museum as museumSchema, placement, recordId, room, tourStep, type Item } from "../../src/shared/exhibition";
import { itemChangeRefusal, itemRefusal, refusalText, type Actor } from "../../src/shared/exhibition/permissions";
import { coTextFields, parseCoTextName, type CoTextAddress } from "../../src/shared/collab/co-texts";
import { MAX_TEXT_LENGTH } from "../../src/shared/exhibition/lang";
import { DeleteIndex, readUpdate, type Touched } from "./update-shape";

/** Who sends an update, as the policy needs to know them. */
export interface Writer extends Actor {
  /** The account's display name, which comments must carry (null: not known to the policy). */
  name?: string | null;
}

const LAYOUT_TYPES: ReadonlySet<string> = new Set([...DOCUMENT_TYPES, COMMENTS_MAP]);

/**
 * Top-level types an exhibition document may have (docs/ARCHITECTURE.md, "Document layout"):
 * the record maps, the comments, and one text per co-written field and language.
 */
export const DOCUMENT_LAYOUT = { has: (name: string): boolean => LAYOUT_TYPES.has(name) || parseCoTextName(name) !== null };

/** Header and meta keys only the server writes (publishing, ownership, identity go through the API). */
const SERVER_META_KEYS = new Set(["type", "version", "id", "owner", "published"]);
/** Meta keys a document cannot be without (the title is a text since version 3). */
const REQUIRED_META_KEYS = new Set(["languages", "museums"]);
const META_FIELDS = metaSchema.shape as Record<string, z.ZodType>;

/** Record schemas of the keyed maps, without their co-written fields (which are texts). */
const RECORDS: Record<string, z.ZodType> = {
  rooms: room.omit({ name: true }),
  items: itemSchema.omit({ title: true, description: true }),
  placements: placement,
  annotations: annotation.omit({ text: true }),
  lessonPlans: lessonPlan,
  tourSteps: tourStep.omit({ text: true }),
  [COMMENTS_MAP]: comment,
};

/** The verdict on one update: apply it, ignore it (it changes nothing), or refuse it with the reason. */
export type Verdict = { action: "apply" } | { action: "ignore" } | { action: "refuse"; reason: string; malformed?: boolean };

/**
 * Decides whether the sync server applies an update, from its structure alone (see
 * `readUpdate`): the layout of an exhibition document, every written value against its schema,
 * and the permission rules of `src/shared/exhibition/permissions.ts` (roles, museum locks, the rights of
 * an item's institution, commenters' own comments). Fields that only the server sets (owner,
 * publication, identity) are refused over sync. Costs what the update costs to read, never a
 * copy of the document, so a refusal is cheaper than the message that caused it.
 */
export function judgeUpdate(doc: Y.Doc, writer: Writer, update: Uint8Array, deletes: DeleteIndex = new DeleteIndex(doc)): Verdict {
  const shape = readUpdate(doc, update, DOCUMENT_LAYOUT, deletes);
  if (!shape.ok) return { action: "refuse", reason: shape.reason, malformed: true };
  if (!shape.newContent && !shape.newDeletions) return { action: "ignore" }; // an echo of what is here
  if (writer.role === "viewer") return { action: "refuse", reason: refusalText({ code: "read-only", role: "viewer" }) };
  const why = writer.role === "commenter" ? commenterRefusal(doc, writer, shape.touched) : editorRefusal(doc, writer, shape.touched);
  return why ? { action: "refuse", reason: why } : { action: "apply" };
}

/** `judgeUpdate` as a refusal reason or null (an update that changes nothing is not refused). */
export function refusalOf(doc: Y.Doc, writer: Writer, update: Uint8Array): string | null {
  const v = judgeUpdate(doc, writer, update);
  return v.action === "refuse" ? v.reason : null;
}

/** The first schema problem of `value`, named by field, or null. */
function schemaProblem(schema: z.ZodType, value: unknown, where: string): string | null {
  const r = schema.safeParse(value);
  if (r.success) return null;
  const issue = r.error.issues[0]!;
  return `${where}${issue.path.length ? "." + issue.path.join(".") : ""}: ${issue.message}`;
}

/** Commenters write their own comments and nothing else. */
function commenterRefusal(doc: Y.Doc, writer: Writer, touched: Touched): string | null {
  for (const name of touched.keys()) if (name !== COMMENTS_MAP) return `read-only: a commenter may only comment (this update changes "${name}")`;
  return commentsRefusal(doc, writer, touched.get(COMMENTS_MAP)!);
}

/**
 * Comments are signed by their author's account and name; only the author edits one (its item
 * and time stay), the author or the show's owner removes it. A thread's state (resolved or open,
 * `thread-<item>`) may be written by anyone who may comment, signed with their own account;
 * only an owner removes one.
 */
function commentsRefusal(doc: Y.Doc, writer: Writer, keys: Map<string | null, unknown[]>): string | null {
  const stored = doc.getMap(COMMENTS_MAP);
  for (const [key, values] of keys) {
    if (key === null || !recordId.safeParse(key).success) return "comments: malformed comment id";
    if (isThreadKey(key)) {
      if (values.length === 0 && writer.role !== "owner") return "a thread's state can only be removed by the show's owner";
      for (const value of values) {
        const problem = schemaProblem(threadState, value, `thread ${key}`);
        if (problem) return problem;
        const t = value as z.infer<typeof threadState>;
        if (threadKey(t.item) !== key) return `thread ${key}: its key must name its item`;
        if (t.by !== writer.user) return "a thread's state must be signed by whoever resolves or reopens it";
        if (writer.name != null && t.byName !== writer.name) return `a thread's state must carry its author's account name ("${writer.name}")`;
      }
      continue;
    }
    const before = stored.get(key) as z.infer<typeof comment> | undefined;
    if (before && before.author !== writer.user && writer.role !== "owner") return "a comment can only be changed by its author";
    if (before && values.length > 0 && before.author !== writer.user) return "a comment can only be edited by its author (the owner may remove it)";
    for (const value of values) {
      const problem = schemaProblem(comment, value, `comment ${key}`);
      if (problem) return problem;
      const c = value as z.infer<typeof comment>;
      if (c.id !== key) return `comment ${key}: its id must be its key`;
      if (c.author !== writer.user) return "a comment must be signed by its author";
      if (writer.name != null && c.authorName !== writer.name) return `a comment must carry its author's account name ("${writer.name}")`;
      if (before && (before.item !== c.item || before.at !== c.at)) return `comment ${key}: an edit keeps its item and time`;
    }
  }
  return null;
}

/** Owners and curators: layout, schema, protected meta fields, item rights and locks. */
function editorRefusal(doc: Y.Doc, writer: Writer, touched: Touched): string | null {
  for (const [name, keys] of touched) {
    const text = parseCoTextName(name);
    if (text) {
      const why = textRefusal(doc, writer, name, text, keys.get(null) ?? [], touched);
      if (why) return why;
      continue;
    }
    if (name === "meta") {
      const why = metaRefusal(doc, writer, keys);
      if (why) return why;
      continue;
    }
    if (name === COMMENTS_MAP) {
      const why = commentsRefusal(doc, writer, keys);
      if (why) return why;
      continue;
    }
    if (name === "tourOrder") {
      for (const [key, values] of keys) {
        if (key !== null) return "tourOrder: must be a list";
        for (const v of values) if (!recordId.safeParse(v).success) return "tourOrder: every entry must be a tour step id";
      }
      continue;
    }
    const schema = RECORDS[name];
    // Anything else (who wrote what included: the server keeps it beside the show) is not part of the layout.
    if (!schema) return `"${name.slice(0, 40)}" is not part of an exhibition document`;
    const stored = doc.getMap(name);
    for (const [key, values] of keys) {
      if (key === null || !recordId.safeParse(key).success) return `${name}: malformed record id`;
      if (name === "lessonPlans" && values.length > 0 && !stored.has(key) && stored.size >= LESSON_LIMITS.plans) return `lessonPlans: at most ${LESSON_LIMITS.plans} lesson plans`;
      for (const value of values) {
        const problem = schemaProblem(schema, value, `${name}.${key}`) ?? proseInRecord(name, key, value);
        if (problem) return problem;
        if (name === "tourSteps" && (value as { id: string }).id !== key) return `tourSteps.${key}: its id must be its key`;
      }
      const why = name === "items" ? itemsRefusal(key, stored.get(key) as Item | undefined, values as Item[], writer) : name === "annotations" ? annotationRefusal(doc, key, stored.get(key) as { item?: string } | undefined, values, writer) : null;
      if (why) return why;
    }
  }
  return null;
}

/** Each value written to an item key, and its removal (no value), against the lock and rights rules. */
function itemsRefusal(key: string, before: Item | undefined, values: Item[], writer: Writer): string | null {
  const afters: (Item | undefined)[] = values.length > 0 ? values : [undefined];
  for (const after of afters) {
    const r = itemChangeRefusal(key, before, after, writer);
    if (r) return refusalText(r);
  }
  return null;
}

/** Notes pinned to an item another museum locked are that museum's to change. */
function annotationRefusal(doc: Y.Doc, key: string, before: { item?: string } | undefined, values: unknown[], writer: Writer): string | null {
  const items = doc.getMap<Item>("items");
  const targets = [before?.item, ...values.map((v) => (v as { item?: string }).item)];
  for (const id of targets) {
    if (!id) continue;
    const r = itemRefusal(id, items.get(id), writer);
    if (r) return r.code === "item-locked" ? `the notes on item "${id}" are locked by ${r.museum}` : refusalText(r);
  }
  void key;
  return null;
}

/**
 * Meta keys: identity, owner and publication are the server's; the list of museums may grow from
 * a curator (placing a partner's item adds its museum) but only an owner may change or drop an
 * entry; every value must fit its schema, and required keys stay.
 */
function metaRefusal(doc: Y.Doc, writer: Writer, keys: Map<string | null, unknown[]>): string | null {
  const meta = doc.getMap("meta");
  for (const [key, values] of keys) {
    if (key === null) return "meta: malformed";
    if (SERVER_META_KEYS.has(key)) return `meta.${key}: set by the server only (publishing, ownership and identity go through the API)`;
    const field = META_FIELDS[key];
    if (!field) return `meta.${key}: not a field of an exhibition`;
    if (coTextFields("meta").includes(key)) return `meta.${key}: written as text (schema version 3); reload the page`;
    if (values.length === 0 && REQUIRED_META_KEYS.has(key)) return `meta.${key}: cannot be removed`;
    for (const value of values) {
      const problem = schemaProblem(field, value, `meta.${key}`);
      if (problem) return problem;
    }
    if (key === "museums" && writer.role !== "owner") {
      const current = (meta.get("museums") ?? []) as z.infer<typeof museumSchema>[];
      for (const value of values.length > 0 ? values : [[]]) {
        const next = value as z.infer<typeof museumSchema>[];
        const kept = current.every((m) => next.some((n) => JSON.stringify(n) === JSON.stringify(m)));
        if (!kept) return "meta.museums: a curator may add a museum to the show, but only its owner may change or remove one";
      }
    }
  }
  return null;
}

/** A record written with a co-written field inside it (a page of an older Atrium): refused, naming the field. */
function proseInRecord(map: string, key: string, value: unknown): string | null {
  if (typeof value !== "object" || value === null) return null;
  for (const field of coTextFields(map)) if (field in value) return `${map}.${key}.${field}: written as text (schema version 3); reload the page`;
  return null;
}

/**
 * A co-written text: its record must exist (or come in the same update), its length stays within
 * `MAX_TEXT_LENGTH`, and it follows its record's rules: an item's texts, and the notes on it, are
 * its locking museum's to change. Costs the update's own size: the stored length is the type's
 * counter, never the text.
 */
function textRefusal(doc: Y.Doc, writer: Writer, name: string, text: CoTextAddress, values: unknown[], touched: Touched): string | null {
  const where = `${text.map}.${text.id}.${text.field} (${text.lang})`;
  const stored = doc.share.get(name) as unknown as { _length: number } | undefined;
  if ((stored?._length ?? 0) + values.length > MAX_TEXT_LENGTH) return `${where}: must be at most ${MAX_TEXT_LENGTH} characters`;
  if (text.map === "meta") return null;
  const records = doc.getMap(text.map);
  const incoming = touched.get(text.map)?.get(text.id);
  const record = (incoming && incoming.length > 0 ? incoming[incoming.length - 1] : records.get(text.id)) as { item?: string } | undefined;
  // Emptying the text of a record removed (in this update or before) is how removal clears texts.
  if (!record) return values.length === 0 ? null : `${where}: no such record`;
  const itemId = text.map === "items" ? text.id : text.map === "annotations" ? record.item : undefined;
  if (itemId === undefined) return null;
  const r = itemRefusal(itemId, doc.getMap<Item>("items").get(itemId), writer);
  if (!r) return null;
  return `${where}: ${refusalText(r)}`;
}
