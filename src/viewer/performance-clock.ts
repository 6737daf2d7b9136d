/**
 * One visitor's playback of a performance: play/pause, speed, position, an optional loop range
 * and the clip on show. Framework-free and allocation-free per frame: the scene advances it in
 * its frame loop and poses the figure from `time`; the timeline UI reads it a few times a second.
 * Local scope: each visitor controls their own playback (a class session may drive it later).
 */
export class PerformanceClock {
  playing: boolean;
  speed: number;
  time = 0;
  duration: number;
  clip: string;
  /** Seconds [from, to] to repeat, or null for the whole clip. */
  loop: [number, number] | null;
  /** Whether the hand's path is drawn. */
  trail = false;
  private readonly listeners = new Set<() => void>();

  constructor(options: { clip: string; duration: number; speed?: number; loop?: [number, number] | null; playing?: boolean }) {
    this.clip = options.clip;
    this.duration = options.duration;
    this.speed = options.speed ?? 1;
    this.loop = options.loop ? this.clampRange(options.loop) : null;
    this.playing = options.playing ?? true;
    if (this.loop) this.time = this.loop[0];
  }

  private clampRange([a, b]: [number, number]): [number, number] | null {
    const from = Math.max(0, Math.min(a, b));
    const to = Math.min(this.duration, Math.max(a, b));
    return to - from >= 0.05 ? [from, to] : null;
  }

  /** Moves time on by `dt` seconds of the visitor's clock, wrapping inside the loop (or the clip). */
  advance(dt: number): void {
    if (!this.playing || dt <= 0) return;
    const [from, to] = this.loop ?? [0, this.duration];
    const span = to - from;
    let t = this.time + dt * this.speed;
    if (t < from) t = from;
    if (t >= to) t = span > 0 ? from + ((t - from) % span) : from;
    this.time = t;
  }

  seek(t: number): void {
    this.time = Math.min(this.duration, Math.max(0, t));
    this.emit();
  }

  setPlaying(playing: boolean): void {
    this.playing = playing;
    this.emit();
  }

  setSpeed(speed: number): void {
    this.speed = Math.min(4, Math.max(0.1, speed));
    this.emit();
  }

  /** Repeats [from, to]; null (or a range under 50 ms) repeats the whole clip. */
  setLoop(range: [number, number] | null): void {
    this.loop = range ? this.clampRange(range) : null;
    if (this.loop && (this.time < this.loop[0] || this.time > this.loop[1])) this.time = this.loop[0];
    this.emit();
  }

  setClip(clip: string, duration: number): void {
    this.clip = clip;
    this.duration = duration;
    this.loop = null;
    this.time = 0;
    this.emit();
  }

  setTrail(on: boolean): void {
    this.trail = on;
    this.emit();
  }

  /** Called on discrete changes (not on time passing): returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}

/** Playback clocks of the performances in the room on show, by placement id. */
export const performanceClocks = new Map<string, PerformanceClock>();
