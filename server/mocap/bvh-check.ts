/** A BVH file that cannot be used, with the line (from 1) where the problem is. */
export class MocapError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line ? `line ${line}: ${message}` : message);
  }
}

/** What a valid BVH file holds. */
export interface BvhSummary {
  joints: number;
  /** Joint names in file order (End Sites excluded). */
  jointNames: string[];
  channels: number;
  frames: number;
  /** Seconds per frame. */
  frameTime: number;
  /** Whether finger or hand joints below the wrist are present. */
  hands: boolean;
  /** Height of the rest pose (highest minus lowest joint, End Sites included), in file units. */
  restHeight: number;
}

/** Whether joint names include finger or hand joints below the wrist (any capture format). */
export function hasHandJoints(jointNames: readonly string[]): boolean {
  return jointNames.some((n) => /finger|thumb|index|middle|ring|pinky|little|hand.+\d/i.test(n));
}

const CHANNEL_NAMES = new Set(["Xposition", "Yposition", "Zposition", "Xrotation", "Yrotation", "Zrotation"]);
const LIMITS = { joints: 1024, depth: 128, frames: 2_000_000 };

/**
 * Checks a BVH file's structure strictly, in one pass over its lines, before any loader sees it
 * (three's BVHLoader logs and carries on, which would turn a damaged file into a broken figure):
 * the hierarchy's grammar, channel declarations, the MOTION header (a frame count above zero, a
 * plausible frame time), and every frame line's value count and numbers. Errors name the line.
 */
export function checkBvh(text: string): BvhSummary {
  const lines = text.split(/\r?\n/);
  let i = 0;
  /** The next non-empty line, split into tokens, with its number. */
  const next = (): { tokens: string[]; line: number } | null => {
    while (i < lines.length) {
      const raw = lines[i++]!.trim();
      if (raw) return { tokens: raw.split(/\s+/), line: i };
    }
    return null;
  };
  const expect = (what: string) => {
    const n = next();
    if (!n) throw new MocapError(`the file ends where ${what} was expected`, lines.length);
    return n;
  };
  const first = expect("HIERARCHY");
  if (first.tokens[0] !== "HIERARCHY") throw new MocapError(`expected "HIERARCHY" to start a BVH file, found "${first.tokens.join(" ").slice(0, 40)}"`, first.line);

  const jointNames: string[] = [];
  let channels = 0;
  let minY = Infinity;
  let maxY = -Infinity;
  const readOffset = (baseY: number): number => {
    const o = expect("OFFSET");
    if (o.tokens[0] !== "OFFSET") throw new MocapError(`expected "OFFSET", found "${o.tokens[0]}"`, o.line);
    if (o.tokens.length !== 4) throw new MocapError(`OFFSET needs 3 numbers, found ${o.tokens.length - 1}`, o.line);
    const v = o.tokens.slice(1).map(Number);
    if (!v.every(Number.isFinite)) throw new MocapError(`OFFSET has a value that is not a number: ${o.tokens.slice(1).join(" ")}`, o.line);
    const y = baseY + v[1]!;
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
    return y;
  };
  const readJoint = (kind: string, name: string, line: number, depth: number, baseY: number): void => {
    if (depth > LIMITS.depth) throw new MocapError(`joints are nested more than ${LIMITS.depth} deep`, line);
    if (!name) throw new MocapError(`${kind} has no name`, line);
    if (jointNames.length >= LIMITS.joints) throw new MocapError(`more than ${LIMITS.joints} joints`, line);
    jointNames.push(name);
    const open = expect("{");
    if (open.tokens[0] !== "{") throw new MocapError(`expected "{" after ${kind} ${name}`, open.line);
    const y = readOffset(baseY);
    const ch = expect("CHANNELS");
    if (ch.tokens[0] !== "CHANNELS") throw new MocapError(`expected "CHANNELS" in joint ${name}, found "${ch.tokens[0]}"`, ch.line);
    const count = Number(ch.tokens[1]);
    const names = ch.tokens.slice(2);
    if (!Number.isInteger(count) || count < 0 || count > 6) throw new MocapError(`joint ${name} declares ${ch.tokens[1]} channels; a joint has at most 6`, ch.line);
    if (names.length !== count) throw new MocapError(`joint ${name} declares ${count} channels but lists ${names.length} (${names.join(" ")})`, ch.line);
    const bad = names.find((c) => !CHANNEL_NAMES.has(c));
    if (bad) throw new MocapError(`joint ${name} has an unknown channel "${bad}"`, ch.line);
    channels += count;
    for (;;) {
      const n = expect(`"}" closing joint ${name}`);
      const [head, ...rest] = n.tokens;
      if (head === "}") return;
      if (head === "JOINT") readJoint("JOINT", rest.join(" "), n.line, depth + 1, y);
      else if (head === "End" && rest[0] === "Site") {
        const o = expect("{");
        if (o.tokens[0] !== "{") throw new MocapError(`expected "{" after End Site`, o.line);
        readOffset(y);
        const c = expect("}");
        if (c.tokens[0] !== "}") throw new MocapError(`expected "}" closing an End Site`, c.line);
      } else throw new MocapError(`expected JOINT, End Site or "}" in joint ${name}, found "${n.tokens.join(" ").slice(0, 40)}"`, n.line);
    }
  };
  const root = expect("ROOT");
  if (root.tokens[0] !== "ROOT") throw new MocapError(`expected "ROOT", found "${root.tokens[0]}"`, root.line);
  readJoint("ROOT", root.tokens.slice(1).join(" "), root.line, 0, 0);
  if (channels === 0) throw new MocapError("the hierarchy declares no channels: there is nothing to animate");

  const motion = expect("MOTION");
  if (motion.tokens[0] !== "MOTION") throw new MocapError(`expected "MOTION" after the hierarchy, found "${motion.tokens.join(" ").slice(0, 40)}"`, motion.line);
  const fr = expect("Frames:");
  if (fr.tokens[0] !== "Frames:" || fr.tokens.length !== 2) throw new MocapError(`expected "Frames: <count>"`, fr.line);
  const frames = Number(fr.tokens[1]);
  if (!Number.isInteger(frames) || frames < 0) throw new MocapError(`"Frames: ${fr.tokens[1]}" is not a frame count`, fr.line);
  if (frames === 0) throw new MocapError("Frames: 0 — the file holds no motion", fr.line);
  if (frames > LIMITS.frames) throw new MocapError(`${frames} frames is more than the ${LIMITS.frames} accepted`, fr.line);
  const ft = expect("Frame Time:");
  if (ft.tokens[0] !== "Frame" || ft.tokens[1] !== "Time:" || ft.tokens.length !== 3) throw new MocapError(`expected "Frame Time: <seconds>"`, ft.line);
  const frameTime = Number(ft.tokens[2]);
  if (!Number.isFinite(frameTime) || frameTime < 0.0005 || frameTime > 1)
    throw new MocapError(`Frame Time ${ft.tokens[2]} s is not plausible (capture runs at 1 to 2000 frames a second)`, ft.line);
  for (let f = 0; f < frames; f++) {
    const n = next();
    if (!n) throw new MocapError(`the MOTION block ends after ${f} of ${frames} frames: the file is truncated`, lines.length);
    if (n.tokens.length !== channels) throw new MocapError(`frame ${f + 1} has ${n.tokens.length} values; the hierarchy declares ${channels} channels`, n.line);
    for (const t of n.tokens) if (!Number.isFinite(Number(t))) throw new MocapError(`frame ${f + 1} has a value that is not a number: "${t.slice(0, 20)}"`, n.line);
  }
  const extra = next();
  if (extra) throw new MocapError(`more frame lines than "Frames: ${frames}" declares`, extra.line);
  const hands = hasHandJoints(jointNames);
  return { joints: jointNames.length, jointNames, channels, frames, frameTime, hands, restHeight: maxY - minY };
}
