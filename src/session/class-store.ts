import { create } from "zustand";
import type { ClassInfo, ClassState, RosterEntry } from "../shared/class-protocol";
import type { LinkStatus } from "./class-connection";
import { PoseBuffer } from "./pose-buffer";

/** How this tab takes part in a class. */
export type ClassRole = "teacher" | "student";

/**
 * The class as this tab knows it (presence scope: from the class channel, never persisted).
 * Changes a few times a minute; the teacher's pose, which changes ten times a second, is in
 * `classGuide.teacher`, outside React.
 */
export interface ClassStoreState {
  role: ClassRole | null;
  session: string | null;
  me: { id: string; nickname: string } | null;
  state: ClassState | null;
  /** The teacher's view of the class (empty for students). */
  roster: RosterEntry[];
  /** The teacher's code, link and expiry (teacher only). */
  info: ClassInfo | null;
  /** The teacher's roster map is open (students then report where they are). */
  watch: boolean;
  handRaised: boolean;
  link: LinkStatus;
  /** Why the class stopped for this tab: ended, removed, refused... */
  closedReason: string | null;
  /** The last refusal from the server. */
  refused: string | null;
}

export const useClassStore = create<ClassStoreState>()(() => ({
  role: null,
  session: null,
  me: null,
  state: null,
  roster: [],
  info: null,
  watch: false,
  handRaised: false,
  link: "connecting",
  closedReason: null,
  refused: null,
}));

/**
 * What the scene needs from the class every frame, without React: read by the walking camera and
 * the VR rig. Written by the class link when messages arrive.
 */
export const classGuide = {
  /** A student in a running class. */
  student: false,
  /** Follow the teacher's view. */
  follow: false,
  /** Navigation locked by the teacher. */
  locked: false,
  /** "Gather" count to act on; `gatherDone` is the last one acted on. */
  gather: 0,
  gatherDone: 0,
  /** Where this student stands in a gathering (0..GATHER_SLOTS-1), from their seat id. */
  slot: 0,
  /** The teacher's pose, interpolated. */
  teacher: new PoseBuffer(),
  /** In VR: the gathering spot last worked out from the teacher's pose (NaN before the first). */
  spot: { x: NaN, z: NaN },
};

/** Resets the guide when a class ends or the page leaves it. */
export function resetClassGuide(): void {
  classGuide.student = false;
  classGuide.follow = false;
  classGuide.locked = false;
  classGuide.gather = classGuide.gatherDone = 0;
  classGuide.teacher.clear();
  classGuide.spot.x = classGuide.spot.z = NaN;
}

/** Where a student's seat token is kept: this tab only (sessionStorage), never a cookie. */
export const seatKey = (session: string) => `atrium.class.${session}`;

/** The seat this tab holds in `session`, if any. */
export function storedSeat(session: string): { token: string; nickname: string; teacher: string } | null {
  try {
    const raw = sessionStorage.getItem(seatKey(session));
    const v = raw ? (JSON.parse(raw) as { token?: unknown; nickname?: unknown; teacher?: unknown }) : null;
    return v && typeof v.token === "string" ? { token: v.token, nickname: String(v.nickname ?? ""), teacher: String(v.teacher ?? "") } : null;
  } catch {
    return null;
  }
}
