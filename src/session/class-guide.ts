import { createContext, useContext } from "react";
import type { ClassState } from "../shared/class-protocol";
import { leadsClass } from "../shared/class-groups";
import type { Guide, GuideMove } from "../viewer/guide";
import type { MoveResult, WalkArea } from "../viewer/walk-physics";
import { gatherSpot, yawOf } from "./class-moves";
import { PoseBuffer } from "./pose-buffer";

/** In "follow me", a student in a headset is moved when this far (m) from their spot by the teacher. */
export const FOLLOW_DISTANCE = 1.5;
/** How often (ms) a headset's distance from its follow spot is checked: not with every step of the teacher's. */
export const FOLLOW_CHECK_MS = 500;

/**
 * A class as the viewer's guide (one per class page, provided by the class extension): the
 * teacher's commands as the class link receives them, the teacher's pose ten times a second, and
 * the one rule for each of lock, follow and gather, asked by the screen camera and the VR rig
 * alike. Mutated by the class link outside React; `subscribe` tells the HUD when moving is
 * allowed again.
 */
export class ClassGuide implements Guide {
  /** A student in a running class (the teacher is never guided). */
  student = false;
  /** "Follow me": the teacher leads the view. */
  follow = false;
  /** Moving locked by the teacher. */
  locked = false;
  /** The teacher's "gather" count; `gatherDone` is the last one acted on. */
  gather = 0;
  gatherDone = 0;
  /** Where this student stands in a gathering, from their seat id. */
  slot = 0;
  /** This student's seat id (from the welcome), to know when they lead the class. */
  seat = "";
  /** This student presents their group's show: they lead, nothing guides them. */
  leading = false;
  /** The teacher's pose, interpolated. */
  readonly teacher = new PoseBuffer();
  /** The gathering (or headset follow) spot last worked out (NaN before the first), for the probe. */
  readonly spot = { x: NaN, z: NaN };
  private followCheckedAt = -Infinity;
  private readonly listeners = new Set<() => void>();
  private readonly sample = { p: [0, 0, 0], q: [0, 0, 0, 1], room: "" };
  private readonly standAt = { x: 0, z: 0, yaw: 0 };
  private readonly leader = { x: 0, z: 0, yaw: 0 };
  private readonly walked: MoveResult = { x: 0, z: 0, through: null };

  mayMove = (): boolean => !(this.student && (this.locked || this.follow));
  leadsTour = (): boolean => this.student;
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** A gathering called that this student has not acted on yet. */
  get gatherPending(): boolean {
    return this.gather !== this.gatherDone;
  }

  /** Takes a student's view of the class state (`first`: just joined, so an old "gather" is not acted on). */
  applyState(state: ClassState, first: boolean): void {
    this.leading = leadsClass(state, this.seat);
    this.follow = state.mode === "follow" && !state.ended && !this.leading;
    this.locked = state.locked && !state.ended && !this.leading;
    if (first) this.gatherDone = state.gather;
    this.gather = state.gather;
    this.changed();
  }

  /** Back to no guidance (the class ended, this student was removed, or the page left the class). */
  reset(): void {
    this.student = this.follow = this.locked = this.leading = false;
    this.gather = this.gatherDone = 0;
    this.teacher.clear();
    this.spot.x = this.spot.z = NaN;
    this.followCheckedAt = -Infinity;
    this.changed();
  }

  /** Tells subscribers that what `mayMove` / `leadsTour` answer may have changed. */
  changed(): void {
    for (const l of this.listeners) l();
  }

  move(now: number, room: string, area: WalkArea, headset: { x: number; z: number } | null, out: GuideMove): GuideMove {
    out.kind = "none";
    const t = this.sample;
    if (!this.student || !this.teacher.sample(now, t) || t.room !== room) return out;
    const gather = this.gatherPending;
    if (headset) {
      // A headset is never turned or moved step by step (its head is the student's): it is faded
      // to its spot when gathered, or when "follow me" has left it well behind.
      if (!gather && !(this.follow && now - this.followCheckedAt >= FOLLOW_CHECK_MS)) return out;
      this.followCheckedAt = now;
    } else if (this.follow) {
      out.kind = "view";
      out.p[0] = t.p[0]!;
      out.p[1] = t.p[1]!;
      out.p[2] = t.p[2]!;
      out.q[0] = t.q[0]!;
      out.q[1] = t.q[1]!;
      out.q[2] = t.q[2]!;
      out.q[3] = t.q[3]!;
      return out;
    } else if (!gather) return out;
    this.leader.x = t.p[0]!;
    this.leader.z = t.p[2]!;
    this.leader.yaw = yawOf(t.q);
    const spot = gatherSpot(area, this.leader, this.slot, this.standAt, this.walked);
    this.spot.x = spot.x;
    this.spot.z = spot.z;
    if (headset && !gather && Math.hypot(headset.x - spot.x, headset.z - spot.z) <= FOLLOW_DISTANCE) return out;
    this.gatherDone = this.gather;
    out.kind = "stand";
    out.x = spot.x;
    out.z = spot.z;
    out.yaw = spot.yaw;
    return out;
  }
}

/** The class page's guide, for the class link and scene (the viewer sees it only as a `Guide`). */
export const ClassGuideContext = createContext<ClassGuide | null>(null);

/** The class page's guide; only inside the class extension. */
export function useClassGuide(): ClassGuide {
  const guide = useContext(ClassGuideContext);
  if (!guide) throw new Error("useClassGuide outside the class extension");
  return guide;
}
