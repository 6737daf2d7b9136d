/** Samples kept: 0.8 s at 10 Hz. */
const SIZE = 8;

/**
 * The teacher's pose as students see it: samples arrive at up to 10 Hz (unevenly, over a school's
 * shared link) and are shown `delayMs` late, interpolated between the two samples around that
 * moment, so the view glides instead of jumping ten times a second. Fixed storage: adding and
 * sampling allocate nothing (sampling runs every frame).
 */
export class PoseBuffer {
  /** Samples: time, x, y, z, qx, qy, qz, qw (ring of `SIZE`). */
  private readonly data = new Float64Array(SIZE * 8);
  private readonly rooms: string[] = new Array<string>(SIZE).fill("");
  private count = 0;
  private head = 0;
  /** Increases on every sample (a cheap "has anything arrived since" check). */
  version = 0;

  /** @param delayMs how far behind real time the pose is shown (about one sample interval and a half). */
  constructor(public delayMs = 150) {}

  /**
   * Adds a sample received at `time` (ms, the receiver's clock). Returns whether the pose differs
   * from the newest one held (a keep-alive of a teacher standing still does not).
   */
  push(time: number, room: string, p: readonly number[], q: readonly number[]): boolean {
    const i = this.head;
    const d = this.data;
    const o = i * 8;
    d[o] = time;
    d[o + 1] = p[0]!;
    d[o + 2] = p[1]!;
    d[o + 3] = p[2]!;
    // Keep consecutive quaternions in the same hemisphere so interpolation takes the short way.
    // The same pose again (same room and place, the same quaternion once in that hemisphere) is no
    // change. Compared number by number: the wire's quaternions are rounded, so not of length 1,
    // and their dot product says nothing exact about sameness.
    let sign = 1;
    let changed = true;
    if (this.count > 0) {
      const prev = ((i + SIZE - 1) % SIZE) * 8;
      if (d[prev + 4]! * q[0]! + d[prev + 5]! * q[1]! + d[prev + 6]! * q[2]! + d[prev + 7]! * q[3]! < 0) sign = -1;
      changed = this.room !== room;
      for (let k = 0; k < 3 && !changed; k++) changed = Math.abs(d[prev + 1 + k]! - p[k]!) > 1e-6;
      for (let k = 0; k < 4 && !changed; k++) changed = Math.abs(d[prev + 4 + k]! - sign * q[k]!) > 1e-9;
    }
    d[o + 4] = q[0]! * sign;
    d[o + 5] = q[1]! * sign;
    d[o + 6] = q[2]! * sign;
    d[o + 7] = q[3]! * sign;
    this.rooms[i] = room;
    this.head = (i + 1) % SIZE;
    this.count = Math.min(this.count + 1, SIZE);
    this.version++;
    return changed;
  }

  clear(): void {
    this.count = 0;
    this.version++;
  }

  get empty(): boolean {
    return this.count === 0;
  }

  /** Room of the newest sample ("" when empty). */
  get room(): string {
    return this.count === 0 ? "" : this.rooms[(this.head + SIZE - 1) % SIZE]!;
  }

  /**
   * Writes the pose to show at `now` into `out` (p: x,y,z; q: x,y,z,w). Before the oldest sample
   * it holds the oldest; after the newest it holds the newest (no guessing ahead: a teacher who
   * stopped should not appear to walk on). Returns false when there is no sample.
   */
  sample(now: number, out: { p: number[]; q: number[]; room: string }): boolean {
    if (this.count === 0) return false;
    const t = now - this.delayMs;
    const d = this.data;
    const n = this.count;
    const idx = (k: number) => ((this.head - n + k + SIZE) % SIZE) * 8; // k: 0 oldest .. n-1 newest
    let a = idx(n - 1);
    let b = a;
    let f = 0;
    if (t <= d[idx(0)]!) a = b = idx(0);
    else if (t < d[idx(n - 1)]!) {
      for (let k = n - 2; k >= 0; k--) {
        const o = idx(k);
        if (d[o]! <= t) {
          a = o;
          b = idx(k + 1);
          const span = d[b]! - d[a]!;
          f = span > 0 ? (t - d[a]!) / span : 1;
          break;
        }
      }
    }
    // A room change is a cut: never interpolate across rooms.
    const roomA = this.rooms[a / 8]!;
    const roomB = this.rooms[b / 8]!;
    if (roomA !== roomB) {
      a = b;
      f = 0;
    }
    out.room = roomB;
    for (let c = 0; c < 3; c++) out.p[c] = d[a + 1 + c]! + (d[b + 1 + c]! - d[a + 1 + c]!) * f;
    // Normalised linear interpolation: at 10 Hz the angles between samples are small.
    let len = 0;
    for (let c = 0; c < 4; c++) {
      const v = d[a + 4 + c]! + (d[b + 4 + c]! - d[a + 4 + c]!) * f;
      out.q[c] = v;
      len += v * v;
    }
    len = Math.sqrt(len) || 1;
    for (let c = 0; c < 4; c++) out.q[c] = out.q[c]! / len;
    return true;
  }
}
