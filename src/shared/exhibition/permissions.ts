import type { Item } from "./schema";

/**
 * Who may change what in an exhibition: the rules as data and small pure functions, shared by the
 * studio (which explains a refusal before anyone tries) and the sync server (which enforces it on
 * every update, whatever client sent it). Each rule is written here once (docs/ARCHITECTURE.md,
 * "Permissions").
 */

/** Roles on one exhibition, from most to least rights. */
export type Role = "owner" | "curator" | "commenter" | "viewer";

/** How roles compare: a higher rank may do everything a lower one may. */
export const ROLE_RANK: Record<Role, number> = { viewer: 0, commenter: 1, curator: 2, owner: 3 };

/** Someone acting on an exhibition, as the rules need to know them. */
export interface Actor {
  role: Role;
  /** Account id, or null for an anonymous visitor or a class seat. */
  user: string | null;
  /** Collections the actor acts for: the museums they work for, and their own collection. */
  museums: readonly string[];
}

/** Owners and curators change the exhibition; commenters and viewers only read it. */
export function canEdit(role: Role | null): boolean {
  return role === "owner" || role === "curator";
}

/** The collection a person's own uploads are credited to when they act for no museum. */
export function ownCollectionId(userId: string): string {
  return `own-${userId.replace(/[^A-Za-z0-9]/g, "").slice(0, 40)}`;
}

/**
 * The fields that say whose an item is and on what terms it may be shown: they belong to the
 * item's institution. Only the people who act for that institution may change them (the show's
 * owner included: a joint show does not re-license a partner's objects).
 */
export const RIGHTS_FIELDS = ["institution", "creditLine", "licences", "rightsHolder", "rightsNote", "sourceId", "sourceUrl", "lockedBy"] as const;

/** Why an actor may not do something, as a code the interface translates, with what it needs. */
export type Refusal =
  | { code: "read-only"; role: Role }
  | { code: "item-locked"; item: string; museum: string }
  | { code: "rights-of-institution"; item: string; museum: string }
  | { code: "institution-fixed"; item: string }
  | { code: "lock-by-institution"; item: string; museum: string };

/**
 * May `actor` change or remove `item` at all? Refused for readers, and for curators of other
 * museums when its institution has locked it (they may still place and move it). Owners may.
 */
export function itemRefusal(id: string, item: Pick<Item, "lockedBy"> | undefined, actor: Actor): Refusal | null {
  if (!canEdit(actor.role)) return { code: "read-only", role: actor.role };
  if (item?.lockedBy && actor.role !== "owner" && !actor.museums.includes(item.lockedBy)) return { code: "item-locked", item: id, museum: item.lockedBy };
  return null;
}

/** May `actor` change the rights fields of `item` (credit line, licences, lock...)? Only its institution's people. */
export function rightsRefusal(id: string, item: Pick<Item, "institution">, actor: Actor): Refusal | null {
  if (!canEdit(actor.role)) return { code: "read-only", role: actor.role };
  if (!actor.museums.includes(item.institution)) return { code: "rights-of-institution", item: id, museum: item.institution };
  return null;
}

/**
 * The refusal for changing `before` into `after` (either may be absent: a new or removed item),
 * or null. Combines the lock and the rights rules; what it compares are plain records.
 */
export function itemChangeRefusal(id: string, before: Item | undefined, after: Item | undefined, actor: Actor): Refusal | null {
  if (before) {
    const lock = itemRefusal(id, before, actor);
    if (lock) return lock;
    if (!after) return null; // removal: the lock rule is the whole rule
    if (after.institution !== before.institution) return { code: "institution-fixed", item: id };
    if (RIGHTS_FIELDS.some((f) => !sameValue(before[f], after[f]))) {
      const rights = rightsRefusal(id, before, actor);
      if (rights) return rights;
    }
  } else if (!canEdit(actor.role)) return { code: "read-only", role: actor.role };
  // A lock names the item's own institution and is set by its people only.
  if (after?.lockedBy && (after.lockedBy !== after.institution || (!before?.lockedBy && !actor.museums.includes(after.institution))))
    return { code: "lock-by-institution", item: id, museum: after.institution };
  return null;
}

/** The English sentence for a refusal (logs, API answers); the studio translates the code itself. */
export function refusalText(r: Refusal): string {
  switch (r.code) {
    case "read-only":
      return `read-only: a ${r.role} cannot change this document`;
    case "item-locked":
      return `item "${r.item}" is locked by ${r.museum}: only its curators may change or remove it`;
    case "rights-of-institution":
      return `the credit line, licences and lock of item "${r.item}" belong to ${r.museum}: only its people may change them`;
    case "institution-fixed":
      return `item "${r.item}" keeps its institution: place the other museum's record as a new item instead`;
    case "lock-by-institution":
      return `item "${r.item}" can only be locked by its own institution (${r.museum})`;
  }
}

/** Deep equality of plain JSON values (records are small). */
function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
