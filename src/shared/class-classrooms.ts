import type { Classroom, ClassroomSettings, ClassState } from "./class-protocol";

/**
 * The one place that says what a classroom of a class sees: the class's settings with the
 * classroom's own on top. The server sends each student this view; the teacher's console shows
 * the same view of the classroom its commands go to.
 */

/** The first classroom of every class (also the only one of classes started before there were several). */
export const FIRST_CLASSROOM = "r1";

/** The classrooms of a class; a class started before there were several has one, with the class's code. */
export function classroomsOf(state: ClassState, code?: string): Classroom[] {
  return state.classrooms && state.classrooms.length > 0 ? state.classrooms : [{ id: FIRST_CLASSROOM, name: "", ...(code ? { code } : {}) }];
}

/**
 * What a student of `classroom` is shown: following, the lock, the highlight and gathering as
 * their classroom has them; no other classroom, and no code (a student does not hand out another
 * school's way in).
 */
export function classroomView(state: ClassState, classroom: string): ClassState {
  const own = state.settings?.[classroom] ?? {};
  const room = classroomsOf(state).find((c) => c.id === classroom);
  const { settings: _settings, classrooms: _classrooms, ...shared } = state;
  return {
    ...shared,
    mode: own.mode ?? state.mode,
    locked: own.locked ?? state.locked,
    highlight: own.highlight !== undefined ? own.highlight : state.highlight,
    // Additive, so it only ever grows for every student: a gathering of the class, or of theirs.
    gather: state.gather + (own.gather ?? 0),
    classrooms: room ? [{ id: room.id, name: room.name }] : [],
  };
}

/** A teacher's command that changes what students see, for the whole class or one classroom. */
export type ClassroomCommand = { mode: ClassState["mode"] } | { locked: boolean } | { highlight: string | null } | { gather: true };

/**
 * Applies a command to the whole class (`to` absent: every classroom's own value of that setting
 * is dropped, so "everyone" means everyone) or to one classroom (its own value, kept apart from
 * the class's). Returns null when `to` names no classroom of the class.
 */
export function applyClassroomCommand(state: ClassState, command: ClassroomCommand, to?: string): ClassState | null {
  if (to === undefined) {
    if ("gather" in command) return { ...state, gather: state.gather + 1 };
    const key = Object.keys(command)[0] as "mode" | "locked" | "highlight";
    const settings: Record<string, ClassroomSettings> = {};
    for (const [room, own] of Object.entries(state.settings ?? {})) {
      const { [key]: _dropped, ...rest } = own;
      if (Object.keys(rest).length > 0) settings[room] = rest;
    }
    return { ...state, ...command, settings };
  }
  if (!classroomsOf(state).some((c) => c.id === to)) return null;
  const own = { ...state.settings?.[to] };
  if ("gather" in command) own.gather = (own.gather ?? 0) + 1;
  else Object.assign(own, command);
  return { ...state, settings: { ...state.settings, [to]: own } };
}
