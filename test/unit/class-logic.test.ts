import { Euler, Quaternion } from "three";
import { describe, expect, it } from "vitest";
import { GATHER_SPOTS, gatherSpot, slotFor, yawOf } from "../../src/session/class-moves";
import { joinCode, nickname, serverMessage, studentMessage, TEACHER_ONLY, teacherMessage } from "../../src/shared/class-protocol";
import { PoseBuffer } from "../../src/session/pose-buffer";
import { ClassGuide, FOLLOW_CHECK_MS, FOLLOW_DISTANCE } from "../../src/session/class-guide";
import { createGuideMove } from "../../src/viewer/guide";
import type { ClassState } from "../../src/shared/class-protocol";
import { walkArea } from "../../src/viewer/walk-physics";

const yawQ = (yaw: number) => new Quaternion().setFromEuler(new Euler(0, yaw, 0, "YXZ")).toArray();
const out = () => ({ p: [0, 0, 0], q: [0, 0, 0, 1], room: "" });

describe("the teacher's pose on a student's screen (interpolation)", () => {
  it("shows the pose delayMs late, interpolated between the samples around that moment", () => {
    const b = new PoseBuffer(150);
    b.push(1000, "a", [0, 1.6, 0], yawQ(0));
    b.push(1100, "a", [1, 1.6, 0], yawQ(0.2));
    const o = out();
    expect(b.sample(1200, o)).toBe(true); // shows t = 1050: halfway
    expect(o.p[0]).toBeCloseTo(0.5, 9);
    expect(yawOf(o.q)).toBeCloseTo(0.1, 3);
    b.sample(2000, o); // long after the last sample: holds it, never guesses ahead
    expect(o.p[0]).toBe(1);
    b.sample(900, o); // before the first: holds the first
    expect(o.p[0]).toBe(0);
  });

  it("says whether a sample moved the leader: a keep-alive of a teacher standing still does not (the student's view may rest)", () => {
    const b = new PoseBuffer(150);
    expect(b.push(1000, "a", [0, 1.6, 0], yawQ(0))).toBe(true); // the first
    expect(b.push(2000, "a", [0, 1.6, 0], yawQ(0))).toBe(false); // the same pose, a second later
    const flipped = yawQ(0).map((v) => -v); // the same orientation, written with the other sign
    expect(b.push(2100, "a", [0, 1.6, 0], flipped)).toBe(false);
    expect(b.push(3000, "a", [0.01, 1.6, 0], yawQ(0))).toBe(true); // a step
    expect(b.push(3100, "a", [0.01, 1.6, 0], yawQ(0.05))).toBe(true); // a turn
    expect(b.push(3150, "a", [0.01, 1.6, 0], yawQ(-0.05))).toBe(true); // a turn the other way: the same numbers, one sign apart
    expect(b.push(3160, "a", [0.01, 1.6, 0], yawQ(0.05))).toBe(true);
    expect(b.push(3200, "b", [0.01, 1.6, 0], yawQ(0.05))).toBe(true); // another room
    b.clear();
    expect(b.push(4000, "b", [0.01, 1.6, 0], yawQ(0.05))).toBe(true); // after a clear
    // As the wire carries them: rounded to 1e-4, so not quite of length 1 (here a little under). A keep-alive is still no change.
    const wire = yawQ(0.5).map((v) => Math.round(v * 1e4) / 1e4);
    expect(b.push(5000, "b", [0.01, 1.6, 0], wire)).toBe(true);
    expect(b.push(6000, "b", [0.01, 1.6, 0], wire)).toBe(false);
    expect(b.push(6100, "b", [0.01, 1.6, 0], wire.map((v) => -v))).toBe(false);
  });

  it("takes the short way between quaternions of opposite sign, and cuts across a room change", () => {
    const b = new PoseBuffer(0);
    const q = yawQ(0.3);
    b.push(0, "a", [0, 0, 0], q);
    b.push(100, "a", [0, 0, 0], q.map((v) => -v)); // the same orientation
    const o = out();
    b.sample(50, o);
    expect(yawOf(o.q)).toBeCloseTo(0.3, 6);
    b.push(200, "b", [5, 0, 5], q);
    b.sample(150, o); // between a pose in room a and one in room b: no sliding through walls
    expect(o.room).toBe("b");
    expect(o.p).toEqual([5, 0, 5]);
  });

  it("keeps only the last eight samples and allocates nothing per sample", () => {
    const b = new PoseBuffer(0);
    for (let i = 0; i < 20; i++) b.push(i * 100, "a", [i, 0, 0], [0, 0, 0, 1]);
    const o = out();
    b.sample(0, o); // older than anything kept: the oldest kept is sample 12
    expect(o.p[0]).toBe(12);
    expect(b.room).toBe("a");
    b.clear();
    expect(b.sample(0, o)).toBe(false);
  });
});

describe("gathering students beside the teacher", () => {
  const room = { size: { w: 9, d: 10, h: 3.8 }, doors: [], name: { en: "r" }, walls: { colour: "#fff", material: "plaster" }, lighting: "gallery", order: 0 } as unknown as Parameters<typeof walkArea>[0];
  const area = walkArea(room, []);

  it("puts spots behind and beside the teacher, never in front, facing the teacher's way", () => {
    for (const yaw of [0, Math.PI / 2, -2]) {
      const forward = [-Math.sin(yaw), -Math.cos(yaw)];
      for (let slot = 0; slot < GATHER_SPOTS.length; slot++) {
        const s = gatherSpot(area, { x: 0, z: 0, yaw }, slot, { x: 0, z: 0, yaw: 0 });
        expect(s.x * forward[0]! + s.z * forward[1]!).toBeLessThanOrEqual(1e-9); // not in front
        expect(Math.hypot(s.x, s.z)).toBeLessThan(1.45); // inside the 1.5 m a headset follower may stray
        expect(Math.hypot(s.x, s.z)).toBeGreaterThan(0.5);
        expect(s.yaw).toBe(yaw);
        // Looking the teacher's way, the student's line of sight passes the teacher's figure
        // (0.2 m in radius) with room to spare: the figure never hides what the teacher shows.
        const side = Math.abs(s.x * forward[1]! - s.z * forward[0]!);
        expect(side).toBeGreaterThanOrEqual(0.75 - 1e-9);
      }
    }
  });

  it("stops a spot at the wall, as walking would", () => {
    // The teacher stands with their back to the south wall (z = +5): spots behind are cut short.
    const s = gatherSpot(area, { x: 0, z: 4.5, yaw: 0 }, 6, { x: 0, z: 0, yaw: 0 });
    expect(s.z).toBeLessThanOrEqual(5 - 0.3 + 1e-9);
  });

  it("gives a seat the same spot every time", () => {
    expect(slotFor("s1a2b3")).toBe(slotFor("s1a2b3"));
    expect(new Set(Array.from({ length: 60 }, (_, i) => slotFor(`s${i.toString(16)}x`))).size).toBe(GATHER_SPOTS.length);
  });

  it("reads the yaw of a view quaternion in three's convention (0 looks down -z)", () => {
    for (const yaw of [0, 0.5, -1.2, 3]) expect(yawOf(yawQ(yaw))).toBeCloseTo(yaw, 9);
    // Looking down a little does not change the yaw.
    expect(yawOf(new Quaternion().setFromEuler(new Euler(-0.4, 1, 0, "YXZ")).toArray())).toBeCloseTo(1, 9);
  });
});

describe("class messages (validated at both ends)", () => {
  it("normalises codes and nicknames, and names what is wrong", () => {
    expect(joinCode.parse(" 7kq-2mx ")).toBe("7KQ2MX");
    expect(joinCode.safeParse("7KQ2M0").error?.issues[0]?.message).toMatch(/6 letters and digits/);
    expect(nickname.parse("  Mei   Lin ")).toBe("Mei Lin");
    expect(nickname.safeParse("x".repeat(25)).error?.issues[0]?.message).toBe("a nickname has at most 24 characters");
  });

  it("keeps teacher commands and student reports apart", () => {
    expect([...TEACHER_ONLY].sort()).toEqual(["access", "ask", "close-question", "end", "gather", "group-assign", "group-choice", "group-comment", "group-lock", "highlight", "lock", "lower-hand", "mode", "plan-step", "pose", "present", "remove", "tour", "watch"]);
    expect(studentMessage.safeParse({ t: "mode", mode: "follow" }).success).toBe(false);
    expect(teacherMessage.safeParse({ t: "pose", pose: { room: "a", p: [0, 1, Number.NaN], q: [0, 0, 0, 1] } }).success).toBe(false);
    expect(serverMessage.safeParse({ t: "state", state: { id: "c", exhibition: "e", teacher: "T", mode: "sideways", locked: false, highlight: null, tour: null, gather: 0, ended: false } }).success).toBe(false);
  });
});

describe("the class as the viewer's guide (one rule for the screen camera and the VR rig)", () => {
  const room = { size: { w: 9, d: 10, h: 3.8 }, doors: [], name: { en: "r" }, walls: { colour: "#fff", material: "plaster" }, lighting: "gallery", order: 0 } as unknown as Parameters<typeof walkArea>[0];
  const area = walkArea(room, []);
  const state = (change: Partial<ClassState> = {}): ClassState => ({ id: "c", exhibition: "e", teacher: "T", mode: "free", locked: false, highlight: null, tour: null, gather: 0, ended: false, ...change }) as ClassState;
  const student = () => {
    const g = new ClassGuide();
    g.student = true;
    g.teacher.delayMs = 0;
    g.teacher.push(0, "a", [1, 1.6, 2], yawQ(0.5));
    return g;
  };

  it("lets a visitor move unless a teacher locks moving or leads with follow me, and tells the HUD when that changes", () => {
    const g = student();
    let told = 0;
    g.subscribe(() => told++);
    expect(g.mayMove()).toBe(true);
    g.applyState(state({ locked: true }), true);
    expect(g.mayMove()).toBe(false);
    g.applyState(state({ mode: "follow" }), false);
    expect(g.mayMove()).toBe(false);
    g.applyState(state({ mode: "follow", ended: true }), false); // an ended class guides nobody
    expect(g.mayMove()).toBe(true);
    expect(told).toBe(3);
    const teacher = new ClassGuide(); // the teacher's own page is never held
    teacher.applyState(state({ locked: true, mode: "follow" }), true);
    expect(teacher.mayMove()).toBe(true);
    expect(teacher.leadsTour()).toBe(false);
    expect(g.leadsTour()).toBe(true);
  });

  it("on a screen: follow me copies the teacher's view; a gathering is acted on once, a late joiner's old one never", () => {
    const g = student();
    const out = createGuideMove();
    g.applyState(state({ gather: 3 }), true); // joined after three gatherings
    expect(g.move(10, "a", area, null, out).kind).toBe("none");
    g.applyState(state({ gather: 4 }), false);
    expect(g.move(10, "b", area, null, out).kind).toBe("none"); // the teacher is in another room
    const m = g.move(10, "a", area, null, out);
    expect(m.kind).toBe("stand");
    expect(Math.hypot(m.x - 1, m.z - 2)).toBeGreaterThan(0.5); // beside the teacher, not on them
    expect(m.yaw).toBeCloseTo(0.5, 6);
    expect(g.move(20, "a", area, null, out).kind).toBe("none"); // once
    g.applyState(state({ gather: 4, mode: "follow" }), false);
    const f = g.move(30, "a", area, null, out);
    expect(f.kind).toBe("view");
    expect(f.p).toEqual([1, 1.6, 2]);
  });

  it("in a headset: follow me moves the visitor only when 1.5 m behind, checked twice a second; never turns them", () => {
    const g = student();
    const out = createGuideMove();
    g.applyState(state({ mode: "follow" }), true);
    const far = g.move(1000, "a", area, { x: -3, z: -4 }, out);
    expect(far.kind).toBe("stand");
    expect(far.x).toBe(g.spot.x);
    expect(far.z).toBe(g.spot.z);
    expect(Math.hypot(-3 - far.x, -4 - far.z)).toBeGreaterThan(FOLLOW_DISTANCE);
    const spot = { x: far.x, z: far.z };
    expect(g.move(1100, "a", area, { x: -3, z: -4 }, out).kind).toBe("none"); // far, but checked 0.1 s ago
    expect(g.move(1000 + FOLLOW_CHECK_MS, "a", area, { x: spot.x + 1, z: spot.z }, out).kind).toBe("none"); // 1 m off: close enough
    expect(g.move(1000 + 2 * FOLLOW_CHECK_MS, "a", area, { x: spot.x + 2, z: spot.z }, out).kind).toBe("stand"); // 2 m off
  });

  it("forgets the teacher and every command when reset", () => {
    const g = student();
    g.applyState(state({ locked: true, gather: 2 }), false);
    g.reset();
    expect(g.mayMove()).toBe(true);
    expect(g.move(10, "a", area, null, createGuideMove()).kind).toBe("none");
    expect(g.teacher.sample(10, out())).toBe(false);
  });
});
