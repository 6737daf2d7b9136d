import type { TextTarget } from "../exhibition";
/**
 * Co-written texts (docs/ARCHITECTURE.md, "Document layout", schema version 3): every prose
 * field of the exhibition is one Y.Text per language, so two people typing in the same label at
 * once both keep their words. Each is a top-level type named after what it belongs to, never a
 * type nested in a record: the records stay plain JSON (and the sync server reads updates by
 * their structure, as before), while a text merges character by character.
 *
 * Name: `text:<map>:<record id>:<field>:<language>`; the header's record id is `show`.
 */

/** The prose fields of each record map (and of the header), written as Y.Text per language. */
export const CO_TEXT_FIELDS = {
  meta: ["title", "intro"],
  rooms: ["name"],
  items: ["title", "description"],
  annotations: ["text"],
  tourSteps: ["text"],
} as const satisfies Record<string, readonly string[]>;

/** A map that has co-written fields. */
export type CoTextMap = keyof typeof CO_TEXT_FIELDS;

/** The record id the header's texts are filed under. */
export const META_RECORD = "show";

/** What one co-written text belongs to. */
export interface CoTextAddress {
  map: CoTextMap;
  id: string;
  field: string;
  lang: string;
}

const PREFIX = "text:";
const NAME = /^text:(meta|rooms|items|annotations|tourSteps):([A-Za-z0-9][A-Za-z0-9_-]{0,63}):([a-z]+[A-Za-z]*):([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)$/;

/** The top-level type name of one text. */
export function coTextName(map: CoTextMap, id: string, field: string, lang: string): string {
  return `${PREFIX}${map}:${id}:${field}:${lang}`;
}

/** Reads a text's name back; null for any other name, or a field that is not co-written. */
export function parseCoTextName(name: string): CoTextAddress | null {
  if (!name.startsWith(PREFIX)) return null;
  const m = NAME.exec(name);
  if (!m) return null;
  const map = m[1] as CoTextMap;
  if (!(CO_TEXT_FIELDS[map] as readonly string[]).includes(m[3]!)) return null;
  if (map === "meta" && m[2] !== META_RECORD) return null;
  return { map, id: m[2]!, field: m[3]!, lang: m[4]! };
}

/** Whether `name` is a text's name at all (cheap: the prefix), for the layout check. */
export function isCoTextName(name: string): boolean {
  return name.startsWith(PREFIX);
}

/** The co-written fields of a map (none for maps without prose). */
export function coTextFields(map: string): readonly string[] {
  return (CO_TEXT_FIELDS as Record<string, readonly string[]>)[map] ?? [];
}

/** One edit of a text: at `index` (UTF-16 units), remove `remove` units and insert `insert`. */
export interface TextSplice {
  index: number;
  remove: number;
  insert: string;
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * The smallest single splice that turns `before` into `after` (common prefix and suffix kept).
 * Never splits a surrogate pair, so an emoji or a rare CJK character is inserted whole. Typing
 * one character gives a one-character insert at the caret, which is what merges with a
 * co-writer's keystrokes elsewhere in the same text.
 */
export function textSplice(before: string, after: string): TextSplice | null {
  if (before === after) return null;
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  if (start > 0 && start < before.length + 1 && isHigh(before.charCodeAt(start - 1)) && (isLow(before.charCodeAt(start)) || isLow(after.charCodeAt(start)))) start--;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  if (end > 0 && isLow(before.charCodeAt(before.length - end)) && (isHigh(before.charCodeAt(before.length - end - 1)) || isHigh(after.charCodeAt(after.length - end - 1)))) end--;
  return { index: start, remove: before.length - start - end, insert: after.slice(start, after.length - end) };
}

/** A position in `before` carried over a splice (a caret stays by the text it was next to). */
export function mapThroughSplice(pos: number, s: TextSplice): number {
  if (pos <= s.index) return pos;
  if (pos >= s.index + s.remove) return pos - s.remove + s.insert.length;
  return s.index + s.insert.length;
}

/** The text an editor's target writes (`setText`'s target and language). */
export function textTargetName(target: TextTarget, lang: string): string {
  switch (target.kind) {
    case "meta":
      return coTextName("meta", META_RECORD, target.field, lang);
    case "room":
      return coTextName("rooms", target.id, "name", lang);
    case "item":
      return coTextName("items", target.id, target.field, lang);
    case "annotation":
      return coTextName("annotations", target.id, "text", lang);
    case "tour":
      return coTextName("tourSteps", target.id, "text", lang);
  }
}
