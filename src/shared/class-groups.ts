import type { ClassGroup, ClassState } from "./class-protocol";
import type { Role } from "./exhibition/permissions";
import type { Exhibition } from "./exhibition/schema";

/**
 * Groups of a class that curate their own shows (docs/ARCHITECTURE.md, "Group co-curation"): the
 * one place that says what a class seat may do with an exhibition, and how the teacher's and the
 * students' group commands change the class state. Pure: the server enforces these rules (on the
 * sync socket, the document API and the class channel); the teacher's and the students' panels
 * show the same answers.
 */

/**
 * What a class seat may do with `exhibition`: read the class's own show; edit its group's show
 * while the class runs and the group is not locked (read it once locked); read the show a group
 * presents to the class; nothing else, and nothing once the class ended. The seat's role is scoped to one show and expires with the class.
 */
export function seatRoleOn(state: ClassState, seat: string, exhibition: string): Extract<Role, "viewer" | "curator"> | null {
  if (state.ended) return null;
  if (exhibition === state.exhibition) return "viewer";
  const group = state.groups?.find((g) => g.show === exhibition);
  if (!group) return null;
  if (!group.members.includes(seat)) return presentedShow(state) === exhibition ? "viewer" : null;
  return group.locked ? "viewer" : "curator";
}

/** The show a group presents to the class now (every seat reads it), or null. */
export function presentedShow(state: ClassState): string | null {
  const p = state.presenting;
  return (p && !state.ended && state.groups?.find((g) => g.id === p.group)?.show) || null;
}

/** The show the class's pages are in now: the presented group's, else the class's own. */
export const classShowNow = (state: ClassState): string => presentedShow(state) ?? state.exhibition;

/** Does `seat` lead the class now (the member chosen to present their group's show)? */
export function leadsClass(state: ClassState, seat: string): boolean {
  return !state.ended && !!state.presenting && state.presenting.seat === seat;
}

/**
 * The teacher's "present": `group` shows its show to the class, led by `seat` (one of its members)
 * or by the teacher (null); `group: null` brings the class back to its own show. Or why not.
 */
export function presentGroup(state: ClassState, group: string | null, seat: string | null): ClassState | string {
  if (group === null) return { ...state, presenting: null };
  const target = state.groups?.find((g) => g.id === group);
  if (!target) return `group: the class has no group "${group}"`;
  if (seat !== null && !target.members.includes(seat)) return `seat: that student is not in the group "${target.name}"`;
  return { ...state, presenting: { group, seat } };
}

/** The group a seat belongs to, if any. */
export function groupOf(state: ClassState, seat: string): ClassGroup | undefined {
  return state.groups?.find((g) => g.members.includes(seat));
}

/** `state` with `seat` in `group` (and in no other; null: in none), or why not. */
export function assignToGroup(state: ClassState, seat: string, group: string | null): ClassState | string {
  const groups = state.groups ?? [];
  if (group !== null && !groups.some((g) => g.id === group)) return `group: the class has no group "${group}"`;
  const moved = { ...state, groups: groups.map((g) => ({ ...g, members: g.id === group ? [...g.members.filter((m) => m !== seat), seat] : g.members.filter((m) => m !== seat) })) };
  // A presenter moved out of the presenting group no longer leads: the teacher does.
  const p = state.presenting;
  return p && p.seat === seat && p.group !== group ? { ...moved, presenting: { ...p, seat: null } } : moved;
}

/** A student's own choice of group: only while the teacher lets students choose, and not into a locked group. */
export function chooseGroup(state: ClassState, seat: string, group: string): ClassState | string {
  if (!state.groupChoice) return "the teacher chooses the groups now";
  const target = state.groups?.find((g) => g.id === group);
  if (!target) return `group: the class has no group "${group}"`;
  if (target.locked) return "that group's show is locked by the teacher";
  return assignToGroup(state, seat, group);
}

/** Locks (or unlocks) one group's editing, or every group's (`group` absent), or says why not. */
export function lockGroups(state: ClassState, locked: boolean, group?: string): ClassState | string {
  const groups = state.groups ?? [];
  if (group !== undefined && !groups.some((g) => g.id === group)) return `group: the class has no group "${group}"`;
  return { ...state, groups: groups.map((g) => (group === undefined || g.id === group ? { ...g, locked } : g)) };
}

/** The teacher's note to one group (empty clears it), or why not. */
export function commentOnGroup(state: ClassState, group: string, text: string): ClassState | string {
  const groups = state.groups ?? [];
  if (!groups.some((g) => g.id === group)) return `group: the class has no group "${group}"`;
  return { ...state, groups: groups.map((g) => (g.id === group ? { ...g, comment: text === "" ? null : text } : g)) };
}

/**
 * Random groups: the seats shuffled (Fisher-Yates with `random`) and dealt out in turn, so group
 * sizes differ by one at most.
 */
export function dealIntoGroups(seats: readonly string[], groups: number, random: (n: number) => number): string[][] {
  const order = [...seats];
  for (let i = order.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const out: string[][] = Array.from({ length: groups }, () => []);
  order.forEach((s, i) => out[i % groups]!.push(s));
  return out;
}

/** Did anything that decides a seat's access to a show change (members, shows, locks, the presented group, the end)? */
export function groupAccessChanged(before: ClassState, after: ClassState): boolean {
  const key = (s: ClassState) => JSON.stringify([s.ended, (s.groups ?? []).map((g) => [g.show, g.locked, g.members]), s.presenting?.group ?? null]);
  return key(before) !== key(after);
}

/** How far a group's show has come, for the teacher's grid: counts and a floor plan of its first room. */
export interface GroupProgress {
  /** Objects and images placed in the show. */
  placed: number;
  /** Placed items whose label text the group wrote (in at least one language; a kit's items come without one). */
  labelled: number;
  /** Notes pinned on objects. */
  annotations: number;
  tourSteps: number;
  /** The first room from above: its size (m) and where each placement stands (x, z; `wall`: hung on a wall). */
  plan: { room: string; w: number; d: number; spots: { x: number; z: number; wall: boolean; labelled: boolean }[] } | null;
}

const written = (text: Record<string, string> | undefined) => !!text && Object.values(text).some((t) => t.trim() !== "" && t.trim() !== "…");

/** Counts a group show's progress (pure, from the document as it is now). */
export function groupProgress(doc: Exhibition): GroupProgress {
  const placements = Object.values(doc.placements);
  const labelledItem = (itemId: string) => {
    const item = doc.items[itemId];
    return !!item && written(item.description);
  };
  const first = Object.entries(doc.rooms).sort(([, a], [, b]) => a.order - b.order)[0];
  return {
    placed: placements.length,
    labelled: placements.filter((p) => labelledItem(p.item)).length,
    annotations: Object.keys(doc.annotations).length,
    tourSteps: doc.tour.length,
    plan: first
      ? {
          room: first[0],
          w: first[1].size.w,
          d: first[1].size.d,
          spots: placements.filter((p) => p.room === first[0]).map((p) => ({ x: p.position[0], z: p.position[2], wall: p.mount === "wall", labelled: labelledItem(p.item) })),
        }
      : null,
  };
}

/** The user id a seat edits its group's show as (presence and comments carry it): not an account. */
export const seatUserId = (seat: string): string => `seat-${seat}`;
