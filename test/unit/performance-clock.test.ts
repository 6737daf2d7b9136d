import { describe, expect, it } from "vitest";
import { PerformanceClock } from "../../src/viewer/performance-clock";

describe("performance playback clock", () => {
  it("plays at a speed, slows to a quarter, and wraps at the end of the clip", () => {
    const c = new PerformanceClock({ clip: "take 1", duration: 10 });
    c.advance(2);
    expect(c.time).toBeCloseTo(2);
    c.setSpeed(0.25);
    c.advance(4);
    expect(c.time).toBeCloseTo(3);
    c.setSpeed(1);
    c.advance(8.5);
    expect(c.time).toBeCloseTo(1.5); // 11.5 wraps to 1.5
  });

  it("loops a section, pauses, and scrubs", () => {
    const c = new PerformanceClock({ clip: "take 1", duration: 10, loop: [4, 6] });
    expect(c.time).toBe(4);
    c.advance(2.5);
    expect(c.time).toBeCloseTo(4.5);
    c.setPlaying(false);
    c.advance(1);
    expect(c.time).toBeCloseTo(4.5);
    c.seek(12);
    expect(c.time).toBe(10);
    c.setLoop([7, 2]); // given backwards: normalised
    expect(c.loop).toEqual([2, 7]);
    expect(c.time).toBe(2);
    c.setLoop([3, 3.01]); // too short to be a loop: the whole clip again
    expect(c.loop).toBeNull();
  });

  it("tells the timeline about discrete changes only", () => {
    const c = new PerformanceClock({ clip: "a", duration: 5 });
    let calls = 0;
    const stop = c.subscribe(() => calls++);
    c.advance(1);
    c.setPlaying(false);
    c.setClip("b", 3);
    stop();
    c.setSpeed(2);
    expect(calls).toBe(2);
    expect([c.clip, c.duration, c.time]).toEqual(["b", 3, 0]);
  });
});
