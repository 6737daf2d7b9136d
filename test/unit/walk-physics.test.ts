import { describe, expect, it } from "vitest";
import type { Placement, Room } from "../../src/shared/exhibition";
import { arrivalPose, wallBoxes, yawFacing, DOOR_HEIGHT } from "../../src/viewer/room-layout";
import { BODY_RADIUS, walkArea, walkStep } from "../../src/viewer/walk-physics";

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
