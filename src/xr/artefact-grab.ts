import { Matrix4, Quaternion, Vector3, type Object3D } from "three";

/** Seconds an artefact takes to glide back onto its plinth after it is let go. */
export const RETURN_SECONDS = 0.5;

interface Hold {
  position: Vector3;
  quaternion: Quaternion;
  startPosition: Vector3;
  startQuaternion: Quaternion;
}

const smoothstep = (t: number) => t * t * (3 - 2 * t);

/**
 * Holding an artefact in VR: one hand (or controller) carries it and turns it as the hand turns;
 * with two hands it turns with the line between them and follows their midpoint. Let go, it glides
 * back to its place on the plinth. Framework-free: pointer events feed `down`/`move`/`up` with the
 * grabbing pointer's world pose; the frame loop calls `update`. Scratch objects are reused, so
 * holding allocates nothing per frame. The artefact's scale is never changed: it stays its real size.
 */
export class ArtefactGrab {
  /** Placement held (or returning), else null. */
  placement: string | null = null;
  private object: Object3D | null = null;
  private readonly holds = new Map<number, Hold>();
  private readonly home = { position: new Vector3(), quaternion: new Quaternion() };
  private readonly startWorld = new Matrix4();
  private returning = { active: false, t: 0, fromP: new Vector3(), fromQ: new Quaternion() };
  private readonly s = {
    m: new Matrix4(),
    m2: new Matrix4(),
    v: new Vector3(),
    v2: new Vector3(),
    q: new Quaternion(),
    scale: new Vector3(),
    one: new Vector3(1, 1, 1),
  };
  /** Called when holding starts (placement) and ends (null, once it is back on its plinth). */
  onChange: (placement: string | null) => void = () => {};

  /** Whether the artefact is held by at least one hand. */
  get holding(): boolean {
    return this.holds.size > 0;
  }

  /** A hand grabs `object` (the artefact's model frame) with its pointer at the given world pose. */
  down(placement: string, object: Object3D, pointerId: number, position: Vector3, quaternion: Quaternion): void {
    if (this.object && this.object !== object) this.finish(); // another artefact: put the last one back now
    if (!this.object) {
      this.object = object;
      this.placement = placement;
      this.home.position.copy(object.position);
      this.home.quaternion.copy(object.quaternion);
      this.onChange(placement);
    }
    this.returning.active = false;
    this.holds.set(pointerId, { position: position.clone(), quaternion: quaternion.clone(), startPosition: new Vector3(), startQuaternion: new Quaternion() });
    this.rebase();
  }

  /** The grabbing pointer moved. */
  move(pointerId: number, position: Vector3, quaternion: Quaternion): void {
    const h = this.holds.get(pointerId);
    if (!h || !this.object) return;
    h.position.copy(position);
    h.quaternion.copy(quaternion);
    this.pose();
  }

  /** A hand lets go; with none left, the artefact starts back to its plinth. */
  up(pointerId: number): void {
    if (!this.holds.delete(pointerId) || !this.object) return;
    if (this.holds.size > 0) {
      this.rebase();
      return;
    }
    const r = this.returning;
    r.active = true;
    r.t = 0;
    r.fromP.copy(this.object.position);
    r.fromQ.copy(this.object.quaternion);
  }

  /** Advances the glide home. */
  update(dt: number): void {
    const r = this.returning;
    if (!r.active || !this.object) return;
    r.t = Math.min(1, r.t + dt / RETURN_SECONDS);
    const k = smoothstep(r.t);
    this.object.position.lerpVectors(r.fromP, this.home.position, k);
    this.object.quaternion.slerpQuaternions(r.fromQ, this.home.quaternion, k);
    if (r.t >= 1) this.finish();
  }

  /** Puts the artefact back at once (e.g. the room changes or the session ends). */
  finish(): void {
    if (!this.object) return;
    this.object.position.copy(this.home.position);
    this.object.quaternion.copy(this.home.quaternion);
    this.object = null;
    this.placement = null;
    this.holds.clear();
    this.returning.active = false;
    this.onChange(null);
  }

  /** Starts a new relative move from the current hands and the artefact's current world pose. */
  private rebase(): void {
    if (!this.object) return;
    this.object.updateWorldMatrix(true, false);
    this.startWorld.copy(this.object.matrixWorld);
    for (const h of this.holds.values()) {
      h.startPosition.copy(h.position);
      h.startQuaternion.copy(h.quaternion);
    }
  }

  private pose(): void {
    const o = this.object!;
    const { m, m2, v, v2, q, scale } = this.s;
    // Up to two holds; read without building an array (this runs on every move of a hand).
    const it = this.holds.values();
    const first = it.next().value as Hold;
    const second = it.next().value as Hold | undefined;
    if (!second) {
      const h = first;
      // delta = [p, q] · [p0, q0]⁻¹: the hand's motion since the grab, applied to the artefact.
      m.compose(h.position, h.quaternion, this.s.one);
      m2.compose(h.startPosition, h.startQuaternion, this.s.one).invert();
      m.multiply(m2);
    } else {
      const a = first;
      const b = second;
      // Turn with the line between the hands, about their midpoint.
      v.subVectors(b.startPosition, a.startPosition).normalize();
      v2.subVectors(b.position, a.position).normalize();
      q.setFromUnitVectors(v, v2);
      const mid0 = v.addVectors(a.startPosition, b.startPosition).multiplyScalar(0.5);
      m2.makeTranslation(-mid0.x, -mid0.y, -mid0.z);
      m.makeRotationFromQuaternion(q).multiply(m2);
      const mid = v2.addVectors(a.position, b.position).multiplyScalar(0.5);
      m2.makeTranslation(mid.x, mid.y, mid.z);
      m.premultiply(m2);
    }
    m.multiply(this.startWorld);
    // World → the artefact's parent frame; keep its own scale (real size).
    o.parent!.updateWorldMatrix(true, false);
    m2.copy(o.parent!.matrixWorld).invert().multiply(m);
    m2.decompose(o.position, o.quaternion, scale);
  }
}
