import { describe, expect, it } from "vitest";
import type { Placement, Room } from "../../src/shared/exhibition";
import { arrivalPose, wallBoxes, yawFacing, DOOR_HEIGHT } from "../../src/viewer/room-layout";
import { BODY_RADIUS, WALK_SPEED, walkArea, walkFrame, walkStep, type WalkerInput, type WalkerState } from "../../src/viewer/walk-physics";

const room: Room = {
  name: { en: "R" },
  order: 0,
  size: { w: 8, d: 10, h: 3.5 },
  walls: { colour: "#ffffff", material: "paint" },
  floor: { colour: "#888888", material: "wood" },
  lighting: "gallery",
  doors: [{ wall: "east", offset: -2, width: 1.6, to: "next" }],
};
const plinth: Placement = {
  room: "r",
  item: "i",
  position: [0, 0, 0],
  rotation: [0, 0, 0],
  scale: 1,
  mount: "plinth",
  plinth: { height: 1, width: 0.6, depth: 0.6, colour: "#ffffff", vitrine: false },
};
const area = walkArea(room, [plinth]);

describe("walking", () => {
  it("moves freely in open floor", () => {
    expect(walkStep(area, 2, 3, 0.1, -0.2)).toMatchObject({ x: 2.1, z: 2.8, through: null });
  });

  it("stops at a wall, keeping the body's distance, and slides along it", () => {
    const r = walkStep(area, 3.6, 3, 1, 0.5);
    expect(r.x).toBeCloseTo(4 - BODY_RADIUS);
    expect(r.z).toBeCloseTo(3.5);
    expect(r.through).toBeNull();
    expect(walkStep(area, 0, -4.5, 0, -2).z).toBeCloseTo(-5 + BODY_RADIUS);
  });

  it("does not walk into a plinth", () => {
    const r = walkStep(area, 0, 1, 0, -0.5);
    expect(r.z).toBeCloseTo(0.3 + BODY_RADIUS);
    const side = walkStep(area, -1, 0, 0.5, 0);
    expect(side.x).toBeCloseTo(-0.3 - BODY_RADIUS);
  });

  it("passes through a doorway and reports it", () => {
    const r = walkStep(area, 3.6, -2, 0.6, 0);
    expect(r.through?.door.to).toBe("next");
  });

  it("does not pass through the wall beside a doorway", () => {
    const r = walkStep(area, 3.6, 0.5, 0.6, 0);
    expect(r.through).toBeNull();
    expect(r.x).toBeCloseTo(4 - BODY_RADIUS);
  });

  it("reuses the result object (no allocation per frame)", () => {
    const out = { x: 0, z: 0, through: null };
    expect(walkStep(area, 1, 1, 0.1, 0, out)).toBe(out);
  });
});

describe("walking speed is per second, not per frame", () => {
  /** Holds W for `seconds` at `fps` from the room's south-west corner, looking north; metres walked. */
  const walked = (fps: number, seconds: number, open = walkArea({ ...room, doors: [] }, [])) => {
    const rig: WalkerState = { x: -3, z: 4, yaw: 0, walkTo: null };
    const input: WalkerInput = { forward: 1, strafe: 0, turn: 0, fast: false, push: 0, dragging: false };
    const scratch = { x: 0, z: 0, through: null };
    const frames = Math.round(seconds * fps);
    for (let i = 0; i < frames; i++) walkFrame(open, rig, input, 1 / fps, scratch);
    return 4 - rig.z;
  };

  it("covers the same floor at 60, 10 and 3 frames a second", () => {
    const at60 = walked(60, 3);
    expect(at60).toBeCloseTo(WALK_SPEED * 3, 6); // 4.2 m in 3 s
    expect(walked(10, 3)).toBeCloseTo(at60, 6);
    expect(walked(3, 3)).toBeCloseTo(at60, 6); // SwiftShader's pace: 0.33 s frames, walked in 0.1 s steps
  });

  it("still stops at a plinth when one slow frame would have jumped it", () => {
    // A 0.5 s frame at 1.4 m/s is 0.7 m: more than the plinth is deep. Steps of 0.1 s meet it.
    const rig: WalkerState = { x: 0, z: 1.2, yaw: 0, walkTo: null };
    const input: WalkerInput = { forward: 1, strafe: 0, turn: 0, fast: false, push: 0, dragging: false };
    walkFrame(area, rig, input, 0.5, { x: 0, z: 0, through: null });
    expect(rig.z).toBeGreaterThanOrEqual(0.3 + BODY_RADIUS - 1e-9); // in front of the plinth, not behind it
  });

  it("does not walk through a long pause (a tab in the background)", () => {
    expect(walked(1, 3)).toBeCloseTo(WALK_SPEED * 3, 6); // one frame a second still walks in full
    expect(walked(0.5, 4)).toBeCloseTo(WALK_SPEED * 1 * 2, 6); // two 2 s frames walk 1 s each
  });
});

describe("room layout", () => {
  it("cuts a doorway with a lintel into its wall", () => {
    const boxes = wallBoxes(room);
    // 3 solid walls + east wall split in two + a lintel
    expect(boxes.length).toBe(6);
    const lintel = boxes.find((b) => b.center[1] > DOOR_HEIGHT);
    expect(lintel?.size[2]).toBeCloseTo(1.6);
    expect(lintel?.center[2]).toBeCloseTo(-2);
  });

  it("seats a visitor arriving through a door just inside it, facing the room", () => {
    const pose = arrivalPose(room, "next");
    expect(pose.x).toBeCloseTo(2.8);
    expect(pose.z).toBeCloseTo(-2);
    expect(pose.yaw).toBeCloseTo(yawFacing(-1, 0));
    expect(arrivalPose(room, null)).toEqual({ x: 0, z: 3.5, yaw: 0 });
  });
});
