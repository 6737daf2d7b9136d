/**
 * Rest when still: the 3D view draws while something moves or has just changed, and stops
 * drawing a picture that would be the same as the last one.
 *
 * A still room drawn sixty times a second costs a phone its battery and warmth, and a machine
 * without a graphics chip (drawing in software) all of its cores: measured on a two-core machine
 * with Chromium's software renderer, one idle gallery page kept 1.9 cores busy, starving the page's
 * own scripts and everything else on the machine. So the canvas runs on demand: every input, every
 * change of the document, the room, the mode or a preference wakes it for {@link REST_AFTER_MS};
 * whatever animates (a walk, a camera glide, a performance playing, a class's teacher moving)
 * keeps it awake from its frame callback while it moves; and a heartbeat draws one frame every
 * {@link HEARTBEAT_MS} while resting, so that a change nobody announced (a texture that finished
 * decoding) shows within two seconds.
 *
 * Framework-free: `rest-when-still.tsx` connects it to React Three Fiber's frame loop.
 */

/** How long the view keeps drawing after the last thing that woke it (ms). */
export const REST_AFTER_MS = 2000;
/** While resting, one frame this often (ms). */
export const HEARTBEAT_MS = 2000;

/** The view's waking state; one per page (`frameRest`). */
export class FrameRest {
  private until = 0;
  private running = false;
  private lastFrame = -Infinity;
  private draw: (() => void) | null = null;
  /** Frames drawn one after another (awake, or in a headset), and the time between them (ms): the frame rate while drawing. */
  readonly drawing = { frames: 0, ms: 0 };
  /** Every frame drawn, awake or resting (heartbeats). */
  frames = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /**
   * Connects the renderer: `draw` asks for one frame, starting the frame loop again after a rest.
   * Returns the disconnect.
   */
  attach(draw: () => void): () => void {
    this.draw = draw;
    this.running = false;
    return () => {
      if (this.draw === draw) this.draw = null;
    };
  }

  /** Something changed, or starts to move: draw for the next `ms` at least. */
  wake(ms = REST_AFTER_MS): void {
    const until = this.now() + ms;
    if (until > this.until) this.until = until;
    if (!this.running && this.draw) {
      this.running = true;
      this.draw();
    }
  }

  /**
   * Called by what animates, from its frame callback, on every frame it moved something. The same
   * as {@link wake}: the loop's own callback may have run first this frame and found it time to rest.
   */
  keepAwake(): void {
    this.wake(REST_AFTER_MS);
  }

  /** Called once per drawn frame: whether the loop should draw another. */
  frameDrawn(): boolean {
    const now = this.now();
    this.frames++;
    // A frame within half a heartbeat of the last one continues a run of frames (awake, or a
    // headset session's); the gap before a heartbeat's frame, or after a rest, is no frame time.
    if (now - this.lastFrame < HEARTBEAT_MS / 2) {
      this.drawing.frames++;
      this.drawing.ms += now - this.lastFrame;
    }
    this.lastFrame = now;
    if (now < this.until) return true;
    this.running = false;
    return false;
  }

  /**
   * Called every {@link HEARTBEAT_MS}: draws one frame while resting, and restarts a loop that
   * stopped without passing through {@link frameDrawn}'s "rest" (the headset's session drove the
   * frames, and ended).
   */
  beat(): void {
    if (!this.draw) return;
    if (this.running && this.now() - this.lastFrame < HEARTBEAT_MS) return;
    this.running = this.now() < this.until;
    this.draw();
  }

  /** Whether the view is drawing continuously now (not resting). */
  get awake(): boolean {
    return this.running;
  }
}

/** The page's one waking state: the viewer's frame loop reads it, everything that moves wakes it. */
export const frameRest = new FrameRest();
