import { Group, Object3D, Quaternion, Vector3 } from "three";
import { describe, expect, it } from "vitest";
import type { Placement, Room } from "../../src/shared/exhibition";
import { walkArea } from "../../src/viewer/walk-physics";
import { ArtefactGrab, RETURN_SECONDS } from "../../src/xr/artefact-grab";
import { FADE_SECONDS, VRLocomotion } from "../../src/xr/vr-locomotion";
import { checkTeleport, chooseFrameRate, realScale, seatedLift, snapFromStick, snapTurn, teleportOrigin, wrapAngle, type OriginPose } from "../../src/xr/xr-logic";

const room: Room = {
  name: { en: "Room" },
  order: 0,
  size: { w: 8, d: 6, h: 3.2 },
  walls: { colour: "#eeeeee", material: "plaster" },
  floor: { colour: "#777777", material: "stone" },
  doors: [],
  lighting: "gallery",
} as unknown as Room;
const plinthAt = (x: number, z: number): Placement =>
  ({ room: "r", item: "i", position: [x, 0, z], rotation: [0, 0, 0], scale: 1, mount: "plinth", plinth: { height: 1, width: 0.6, depth: 0.6, colour: "#ffffff", vitrine: false } }) as Placement;

/** The head's world (x, z) for an origin pose and a head seen at (hx, hz) in the play space. */
function headWorld(o: OriginPose, hx: number, hz: number): [number, number] {
  const v = new Vector3(hx, 0, hz).applyAxisAngle(new Vector3(0, 1, 0), o.yaw);
  return [o.x + v.x, o.z + v.z];
}

describe("teleport targets", () => {
  const area = walkArea(room, [plinthAt(1, -1)]);
  it("accepts open floor and refuses walls, plinths, and anything not on the floor", () => {
    expect(checkTeleport(area, 0, 0, 0)).toEqual({ ok: true, refusal: null });
    expect(checkTeleport(area, 0, 0, 3.5).refusal).toBe("outside-room");
    expect(checkTeleport(area, 3.85, 0, 0).refusal).toBe("too-close-to-wall"); // within a body's width of the wall
    expect(checkTeleport(area, 1, 0, -1).refusal).toBe("inside-plinth");
    expect(checkTeleport(area, 1.35, 0, -1).refusal).toBe("inside-plinth"); // the footprint is widened by the body
    expect(checkTeleport(area, 0, 0.9, 0).refusal).toBe("not-floor"); // a plinth top
  });
});

describe("moving the play-space origin", () => {
  it("puts the head, wherever it is in the play space, over the teleport point without turning", () => {
    const origin: OriginPose = { x: 2, y: 0, z: 1, yaw: 0.7 };
    const out = teleportOrigin(origin, 0.4, -0.3, -1, 2, { x: 0, y: 0, z: 0, yaw: 0 });
    const [x, z] = headWorld(out, 0.4, -0.3);
    expect(x).toBeCloseTo(-1, 9);
    expect(z).toBeCloseTo(2, 9);
    expect(out.yaw).toBe(0.7);
  });

  it("snap-turns about the head: the head stays put and only the facing changes", () => {
    const origin: OriginPose = { x: 1, y: 0.2, z: -2, yaw: 0.3 };
    const before = headWorld(origin, 0.8, 0.5);
    const out = snapTurn(origin, 0.8, 0.5, -Math.PI / 6, { x: 0, y: 0, z: 0, yaw: 0 });
    const after = headWorld(out, 0.8, 0.5);
    expect(after[0]).toBeCloseTo(before[0], 9);
    expect(after[1]).toBeCloseTo(before[1], 9);
    expect(out.yaw).toBeCloseTo(0.3 - Math.PI / 6, 9);
    expect(out.y).toBe(0.2);
    // Turning about the origin instead (what a naive rig does) would have moved the head.
    const naive = headWorld({ ...origin, yaw: out.yaw }, 0.8, 0.5);
    expect(Math.hypot(naive[0] - before[0], naive[1] - before[1])).toBeGreaterThan(0.2);
  });

  it("fires one snap turn per push of the stick, right turning right", () => {
    let armed = true;
    const turns: number[] = [];
    for (const x of [0, 0.5, 0.9, 1, 1, 0.7, 0.4, 0.1, -0.8, -1, 0]) {
      const r = snapFromStick(x, armed, 30);
      armed = r.armed;
      if (r.turn) turns.push(r.turn);
    }
    expect(turns.map((t) => Math.round((t * 180) / Math.PI))).toEqual([-30, 30]);
  });

  it("wraps angles into (-π, π]", () => {
    expect(wrapAngle(Math.PI * 3)).toBeCloseTo(Math.PI, 9);
    expect(wrapAngle(-Math.PI / 2 - Math.PI * 2)).toBeCloseTo(-Math.PI / 2, 9);
  });

  it("lifts a seated visitor to standing eye height, never lowers and never lifts absurdly", () => {
    expect(seatedLift(1.15, true)).toBeCloseTo(0.45, 9);
    expect(seatedLift(1.15, false)).toBe(0);
    expect(seatedLift(1.8, true)).toBe(0);
    expect(seatedLift(0, true)).toBe(1);
  });
});

describe("real scale for AR", () => {
  it("scales a model to the height its record gives, then width, depth, diameter", () => {
    expect(realScale([0.2, 0.1, 0.15], { height: 7.9, width: 17.1 })).toBeCloseTo(0.79, 9);
    expect(realScale([0.2, 0.1, 0.15], { width: 10 })).toBeCloseTo(0.5, 9);
    expect(realScale([0.2, 0.1, 0.3], { diameter: 15 })).toBeCloseTo(0.5, 9);
    expect(realScale([0.2, 0.1, 0.15], {})).toBeNull();
    expect(realScale([0.2, 0.1, 0.15], undefined)).toBeNull();
    expect(realScale([0.2, 0, 0.15], { height: 10 })).toBeNull(); // a flat model cannot be sized by height
  });
});

describe("frame rate", () => {
  it("asks for 90 Hz, else 72, else the highest at or under 90", () => {
    expect(chooseFrameRate([72, 80, 90, 120])).toBe(90);
    expect(chooseFrameRate([60, 72])).toBe(72);
    expect(chooseFrameRate([60, 75])).toBe(75);
    expect(chooseFrameRate([120, 144])).toBe(120);
    expect(chooseFrameRate([])).toBe(false);
  });
});

describe("VR locomotion", () => {
  const area = walkArea(room, [plinthAt(1, -1)]);
  const head = { x: 0.3, y: 1.6, z: 0.1, yaw: 0.2 };
  it("fades out, moves at the darkest point, fades back in", () => {
    const loco = new VRLocomotion();
    loco.area = area;
    loco.update(0, head);
    expect(loco.teleport(-2, 0, 1).ok).toBe(true);
    const seen: number[] = [];
    for (let i = 0; i < 20; i++) {
      const before = loco.moves;
      loco.update(FADE_SECONDS / 5, head);
      seen.push(loco.fade);
      if (loco.moves > before) expect(loco.fade).toBe(1); // never moved while the world is visible
    }
    expect(Math.max(...seen)).toBe(1);
    expect(loco.fade).toBe(0);
    expect(loco.moving).toBe(false);
    const w = loco.headInWorld({ x: 0, z: 0, yaw: 0 });
    expect(w.x).toBeCloseTo(-2, 9);
    expect(w.z).toBeCloseTo(1, 9);
  });

  it("moves at once without the fade, and refuses a plinth without moving", () => {
    const loco = new VRLocomotion();
    loco.area = area;
    loco.comfortFade = false;
    loco.update(0, head);
    expect(loco.teleport(1, 0, -1)).toEqual({ ok: false, refusal: "inside-plinth" });
    expect(loco.moves).toBe(0);
    loco.moveHeadTo(0.5, 0.5, Math.PI / 2);
    const w = loco.headInWorld({ x: 0, z: 0, yaw: 0 });
    expect([w.x, w.z, w.yaw].map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0.5, 0.5, Math.round((Math.PI / 2) * 1e6) / 1e6]);
  });
});

describe("holding an artefact", () => {
  function scene() {
    const parent = new Group();
    parent.position.set(1, 0.9, -2);
    const object = new Object3D();
    object.position.set(0, 0.05, 0);
    parent.add(object);
    parent.updateWorldMatrix(true, true);
    return { parent, object };
  }
  const world = (o: Object3D) => o.getWorldPosition(new Vector3());

  it("follows one hand, then glides back to its place when let go", () => {
    const { object } = scene();
    const grab = new ArtefactGrab();
    const changes: (string | null)[] = [];
    grab.onChange = (p) => changes.push(p);
    const hand = new Vector3(1, 1, -1.8);
    grab.down("p1", object, 7, hand, new Quaternion());
    const turn = new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), Math.PI / 2);
    grab.move(7, new Vector3(1, 1.3, -1.8), turn);
    object.updateWorldMatrix(true, false);
    // The object turned a quarter about the hand and rose 30 cm with it.
    const p = world(object);
    expect(p.y).toBeCloseTo(0.95 + 0.3, 9);
    const rel = new Vector3(1, 0.95, -2).sub(hand).applyQuaternion(turn).add(new Vector3(1, 1.3, -1.8));
    expect(p.distanceTo(rel)).toBeLessThan(1e-9);
    grab.up(7);
    expect(grab.holding).toBe(false);
    for (let t = 0; t < RETURN_SECONDS + 0.1; t += 0.05) grab.update(0.05);
    expect(object.position.toArray()).toEqual([0, 0.05, 0]);
    expect(object.quaternion.angleTo(new Quaternion())).toBeLessThan(1e-9);
    expect(changes).toEqual(["p1", null]);
  });

  it("turns with the line between two hands, about their midpoint", () => {
    const { object } = scene();
    const grab = new ArtefactGrab();
    const q0 = new Quaternion();
    grab.down("p1", object, 1, new Vector3(0.8, 1, -2), q0);
    grab.down("p1", object, 2, new Vector3(1.2, 1, -2), q0);
    // Hands swing a quarter turn about the vertical through their midpoint (1, 1, -2).
    grab.move(1, new Vector3(1, 1, -1.8), q0);
    grab.move(2, new Vector3(1, 1, -2.2), q0);
    object.updateWorldMatrix(true, false);
    const q = object.getWorldQuaternion(new Quaternion());
    expect(q.angleTo(new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), Math.PI / 2))).toBeLessThan(1e-6);
    // The object (on the vertical through the midpoint) stays on it.
    const p = world(object);
    expect(p.x).toBeCloseTo(1, 9);
    expect(p.z).toBeCloseTo(-2, 9);
    // One hand lets go: the other carries on from here, no jump.
    grab.up(1);
    grab.move(2, new Vector3(1, 1, -2.2), q0);
    object.updateWorldMatrix(true, false);
    expect(world(object).distanceTo(p)).toBeLessThan(1e-9);
  });
});
