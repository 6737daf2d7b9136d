import type { WalkArea } from "../viewer/walk-physics";
import { checkTeleport, snapTurn, teleportOrigin, type OriginPose, type TeleportCheck } from "./xr-logic";

/** Seconds to fade out (and again in) around a teleport or tour move. */
export const FADE_SECONDS = 0.15;

/** Where the head is in the play space (the origin's frame), read from the XR camera each frame. */
export interface HeadPose {
  x: number;
  y: number;
  z: number;
  /** Turn of the head about the vertical axis, in the origin's frame (three's yaw convention). */
  yaw: number;
}

/**
 * Moves a VR visitor's play-space origin: teleports (checked against the room like walking is),
 * snap turns about the head, moves asked for by a tour step, each with an optional fade to dark
 * so the world never slides past the eyes. Framework-free and allocation-free per frame: the scene
 * calls `update` in its frame loop and copies `pose` onto the origin object and `fade` onto a
 * dark shell around the head. Nothing moves the visitor except these requests.
 */
export class VRLocomotion {
  readonly pose: OriginPose = { x: 0, y: 0, z: 0, yaw: 0 };
  /** 0 clear … 1 dark. */
  fade = 0;
  /** Whether moves fade (the visitor's comfort setting). */
  comfortFade = true;
  area: WalkArea | null = null;
  /** The head pose as of the last update. */
  readonly head: HeadPose = { x: 0, y: 1.6, z: 0, yaw: 0 };
  /** Frames seen (tests wait on it rather than on wall time). */
  frames = 0;
  /** Count of moves applied (teleports, tour moves, arrivals), for tests and the probe. */
  moves = 0;
  /** The last teleport asked for and whether it was accepted (for the probe). */
  readonly lastTeleport = { x: 0, y: 0, z: 0, ok: false, refusal: null as string | null };
  private pending = { active: false, x: 0, z: 0, yaw: 0, turn: false };
  private phase: "idle" | "out" | "in" = "idle";
  private readonly check: TeleportCheck = { ok: false, refusal: null };

  /** Asks to stand at floor point (x, y, z); refused (and reported) where walking could not go. */
  teleport(x: number, y: number, z: number): TeleportCheck {
    if (!this.area) return { ok: false, refusal: "outside-room" };
    const c = checkTeleport(this.area, x, y, z, this.check);
    const t = this.lastTeleport;
    t.x = x;
    t.y = y;
    t.z = z;
    t.ok = c.ok;
    t.refusal = c.refusal;
    if (c.ok) this.request(x, z, null);
    return { ok: c.ok, refusal: c.refusal };
  }

  /**
   * Asks to put the head over (x, z), and when `yaw` is given to face that way: used on entering
   * a room and by tour steps the visitor allowed to move them. `alwaysFade`: fade even when the
   * visitor turned fading off (moves someone else asked for: a teacher's "follow me" or "gather").
   */
  moveHeadTo(x: number, z: number, yaw: number | null, alwaysFade = false): void {
    this.request(x, z, yaw, alwaysFade);
  }

  /** Puts the head over (x, z) facing `yaw` now, without a fade (entering a session or a room). */
  place(x: number, z: number, yaw: number): void {
    this.pose.yaw = yaw - this.head.yaw;
    teleportOrigin(this.pose, this.head.x, this.head.z, x, z, this.pose);
    this.pending.active = false;
    this.phase = "idle";
    this.fade = 0;
    this.moves++;
  }

  /** A snap turn about the head (instant: a cut is what keeps snap turning comfortable). */
  turn(angle: number): void {
    snapTurn(this.pose, this.head.x, this.head.z, angle, this.pose);
  }

  /** Raises the origin by `lift` metres (seated mode). */
  setLift(lift: number): void {
    this.pose.y = lift;
  }

  /** Where the head is in the world (x, z) and which way it faces, into `out`. */
  headInWorld(out: { x: number; z: number; yaw: number }): { x: number; z: number; yaw: number } {
    const c = Math.cos(this.pose.yaw);
    const s = Math.sin(this.pose.yaw);
    out.x = this.pose.x + c * this.head.x + s * this.head.z;
    out.z = this.pose.z - s * this.head.x + c * this.head.z;
    out.yaw = this.pose.yaw + this.head.yaw;
    return out;
  }

  /** Whether a move is waiting or fading. */
  get moving(): boolean {
    return this.phase !== "idle" || this.pending.active;
  }

  private request(x: number, z: number, yaw: number | null, alwaysFade = false): void {
    const p = this.pending;
    p.active = true;
    p.x = x;
    p.z = z;
    p.turn = yaw !== null;
    p.yaw = yaw ?? 0;
    if (!this.comfortFade && !alwaysFade) this.apply();
    else if (this.phase === "idle") this.phase = "out";
  }

  private apply(): void {
    const p = this.pending;
    if (!p.active) return;
    if (p.turn) this.pose.yaw = p.yaw - this.head.yaw;
    teleportOrigin(this.pose, this.head.x, this.head.z, p.x, p.z, this.pose);
    p.active = false;
    this.moves++;
  }

  /** Advances fades by `dt` seconds with the head as tracked now (origin frame). */
  update(dt: number, head: HeadPose): void {
    this.frames++;
    this.head.x = head.x;
    this.head.y = head.y;
    this.head.z = head.z;
    this.head.yaw = head.yaw;
    if (this.phase === "out") {
      this.fade = Math.min(1, this.fade + dt / FADE_SECONDS);
      if (this.fade >= 1) {
        this.apply();
        this.phase = "in";
      }
    } else if (this.phase === "in") {
      this.fade = Math.max(0, this.fade - dt / FADE_SECONDS);
      if (this.fade <= 0) this.phase = this.pending.active ? "out" : "idle";
    }
  }
}
