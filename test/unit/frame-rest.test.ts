import { describe, expect, it } from "vitest";
import { FrameRest, HEARTBEAT_MS, REST_AFTER_MS } from "../../src/viewer/frame-rest";

/** A FrameRest on a hand-driven clock, with the frames it asked for counted. */
function rig() {
  let now = 0;
  const rest = new FrameRest(() => now);
  const asked = { n: 0 };
  rest.attach(() => asked.n++);
  return {
    rest,
    asked,
    at: (t: number) => void (now = t),
    /** Draws frames every `step` ms from now for as long as the loop asks for the next. */
    drawWhileAwake(step = 16, limit = 10_000) {
      let frames = 0;
      while (frames < limit) {
        frames++;
        const again = rest.frameDrawn();
        if (!again) break;
        now += step;
      }
      return frames;
    },
  };
}

describe("rest when still (frame-rest)", () => {
  it("draws for REST_AFTER_MS after a wake, then rests", () => {
    const r = rig();
    r.rest.wake();
    expect(r.asked.n).toBe(1); // the loop was started
    expect(r.rest.awake).toBe(true);
    const frames = r.drawWhileAwake(16);
    expect(frames).toBe(Math.ceil(REST_AFTER_MS / 16) + 1);
    expect(r.rest.awake).toBe(false);
  });

  it("does not start the loop twice while it runs, and a wake while awake extends the time", () => {
    const r = rig();
    r.rest.wake();
    r.at(1500);
    r.rest.wake();
    expect(r.asked.n).toBe(1);
    r.at(REST_AFTER_MS + 100); // past the first wake's end, before the second's
    expect(r.rest.frameDrawn()).toBe(true);
    r.at(1500 + REST_AFTER_MS);
    expect(r.rest.frameDrawn()).toBe(false);
  });

  it("keeps drawing while something animates, from inside the frame, even after the loop's own check said rest", () => {
    const r = rig();
    r.rest.wake();
    r.at(REST_AFTER_MS + 1);
    expect(r.rest.frameDrawn()).toBe(false); // the loop's callback ran first this frame
    r.rest.keepAwake(); // a walk moved the camera in the same frame
    expect(r.asked.n).toBe(2); // so the loop is asked again
    expect(r.rest.frameDrawn()).toBe(true);
  });

  it("beats one frame while resting, and none while drawing", () => {
    const r = rig();
    r.rest.wake();
    r.drawWhileAwake();
    const asked = r.asked.n;
    r.rest.beat();
    expect(r.asked.n).toBe(asked + 1);
    expect(r.rest.frameDrawn()).toBe(false); // the beat's frame does not wake the view
    r.rest.wake();
    const before = r.asked.n;
    r.rest.frameDrawn();
    r.rest.beat();
    expect(r.asked.n).toBe(before);
  });

  it("restarts a loop that stopped without resting (a headset session drove the frames, and ended)", () => {
    const r = rig();
    r.rest.wake(60_000);
    r.rest.frameDrawn();
    const asked = r.asked.n;
    r.at(HEARTBEAT_MS + 10); // no frame since: the loop is gone
    r.rest.wake(); // still "running", so a wake alone would not ask
    expect(r.asked.n).toBe(asked);
    r.rest.beat();
    expect(r.asked.n).toBe(asked + 1);
    expect(r.rest.frameDrawn()).toBe(true);
  });

  it("measures the frame rate over frames drawn while awake only", () => {
    const r = rig();
    r.rest.wake();
    r.drawWhileAwake(50); // 20 fps for two seconds
    const { frames, ms } = r.rest.drawing;
    expect(frames).toBeGreaterThan(30);
    expect((frames * 1000) / ms).toBeCloseTo(20, 5);
    r.at(60_000);
    r.rest.beat(); // a heartbeat a minute later is not a 1/60 fps frame
    r.rest.frameDrawn();
    expect(r.rest.drawing.frames).toBe(frames);
    expect(r.rest.drawing.ms).toBe(ms);
    // A headset session draws every frame itself, awake or not: its frames count.
    for (let i = 1; i <= 10; i++) {
      r.at(60_000 + i * 100);
      r.rest.frameDrawn();
    }
    expect(r.rest.drawing.frames).toBe(frames + 10);
    expect(r.rest.drawing.ms).toBe(ms + 1000);
  });

  it("asks nothing before a renderer is attached, or after it is detached", () => {
    let now = 0;
    const rest = new FrameRest(() => now);
    rest.wake();
    rest.beat();
    let asked = 0;
    const detach = rest.attach(() => asked++);
    rest.wake();
    expect(asked).toBe(1);
    detach();
    now = 10_000;
    rest.beat();
    expect(asked).toBe(1);
  });
});
