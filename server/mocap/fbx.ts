import { Matrix4, Quaternion, Vector3, type AnimationClip, type Bone, type Object3D } from "three";
import { FBXLoader } from "three/examples/jsm/loaders/FBXLoader.js";
import { hasHandJoints, MocapError } from "./bvh-check";
import { motionsToGlb, type MocapReport, type MotionTake } from "./convert";

/** The longest take accepted (a whole performance, not a day of recording). */
const MAX_SECONDS = 6 * 3600;

/** Whether bytes look like an FBX file (binary "Kaydara FBX Binary" or an ASCII "; FBX" header). */
export function looksLikeFbx(bytes: Uint8Array): boolean {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 256));
  return head.startsWith("Kaydara FBX Binary") || /^\s*; FBX \d/.test(head) || /FBXHeaderExtension:/.test(head);
}

/**
 * Reads the motion of an FBX file (binary or ASCII, FBX 7.x) with three's FBXLoader, animation
 * only: its LimbNode skeleton at rest and one take per animation stack. Meshes, materials and
 * textures in the file are ignored: the performer figure is built from the skeleton, as for BVH.
 * Whatever sits above the skeleton's root (an "Armature" node scaled to centimetres, a rotated
 * null) is folded into the root, so the figure stands as the file shows it.
 */
export function readFbxMotion(bytes: Uint8Array, fileName = "motion.fbx"): MotionTake[] {
  let scene: Object3D;
  try {
    scene = new FBXLoader().parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, "");
  } catch (e) {
    const why = (e as Error).message.replace(/^THREE\.FBXLoader: /, "");
    if (/version not supported/i.test(why)) throw new MocapError(`${fileName}: ${why} (FBX 7.0 or later is needed: export again as FBX 2011 or newer)`);
    // FBXLoader trusts the file's structure: a cut-short or damaged file ends in a TypeError.
    if (e instanceof TypeError) throw new MocapError(`${fileName} is damaged or cut short: its objects and connections do not fit together (reader: ${why})`);
    throw new MocapError(`${fileName} is not a readable FBX file (${why})`);
  }
  scene.updateMatrixWorld(true);

  // The skeleton: the largest tree of joints (a file may hold props or a second rig).
  const all: Bone[] = [];
  scene.traverse((o) => {
    if ((o as Bone).isBone) all.push(o as Bone);
  });
  if (all.length === 0) throw new MocapError(`${fileName} has no skeleton (no LimbNode joints): a motion recording needs one`);
  const roots = all.filter((b) => !(b.parent as Bone | null)?.isBone);
  const size = (b: Bone) => {
    let n = 0;
    b.traverse((o) => void ((o as Bone).isBone && n++));
    return n;
  };
  const root = roots.reduce((a, b) => (size(b) > size(a) ? b : a));
  const bones: Bone[] = [];
  root.traverse((o) => {
    if ((o as Bone).isBone) bones.push(o as Bone);
  });
  const seen = new Set<string>();
  for (const b of bones) {
    if (!b.name) throw new MocapError(`${fileName}: a joint has no name`);
    if (seen.has(b.name)) throw new MocapError(`${fileName}: two joints are both named "${b.name}"; joints must have distinct names`);
    seen.add(b.name);
  }

  // Whatever is above the root (A = translation, rotation, uniform scale s) is folded in:
  // A x T(p) R(q) x (children) = T(A p) R(R_A q) x (children with offsets times s), exactly, for
  // joint positions. So the root's rest and tracks go through A, other offsets are scaled by s.
  const above = root.parent ? root.parent.matrixWorld.clone() : new Matrix4();
  const at = new Vector3();
  const turn = new Quaternion();
  const scale = new Vector3();
  above.decompose(at, turn, scale);
  if (Math.abs(scale.x - scale.y) > 1e-6 * Math.abs(scale.x) || Math.abs(scale.x - scale.z) > 1e-6 * Math.abs(scale.x)) throw new MocapError(`${fileName}: the skeleton is scaled unevenly (${scale.toArray().map((v) => v.toFixed(3)).join(" x ")}); export it without scaling`);
  const s = scale.x;
  const restHeight = restHeightOf(bones); // as the file shows it, before anything is changed

  const clips = (scene as Object3D & { animations: AnimationClip[] }).animations ?? [];
  if (clips.length === 0) throw new MocapError(`${fileName} has a skeleton but no animation: a performance needs the recorded motion`);
  const names = new Set(bones.map((b) => `${b.name}.`));
  const jointNames = bones.map((b) => b.name);
  const takes: MotionTake[] = [];
  const q = new Quaternion();
  for (const clip of clips) {
    const tracks = clip.tracks.filter((t) => names.has(t.name.slice(0, t.name.lastIndexOf(".") + 1)) && /\.(position|quaternion)$/.test(t.name));
    if (tracks.length === 0) continue;
    for (const t of tracks)
      for (let i = 0; i < t.values.length; i++) if (!Number.isFinite(t.values[i]!)) throw new MocapError(`take "${clip.name}": the track ${t.name} has a value that is not a number`);
    // The frame time: the usual gap between keys of the longest track (FBXLoader adds keys
    // between frames where an Euler angle wraps around, so counting keys would overcount).
    const longest = tracks.reduce((a, b) => (b.times.length > a.times.length ? b : a));
    const gaps = Array.from({ length: longest.times.length - 1 }, (_, i) => longest.times[i + 1]! - longest.times[i]!).sort((a, b) => a - b);
    const frameTime = gaps[gaps.length >> 1] ?? 0;
    const frames = frameTime > 0 ? Math.round(clip.duration / frameTime) + 1 : longest.times.length;
    if (frames < 2 || !(clip.duration > 0)) throw new MocapError(`take "${clip.name}" has ${frames} frame${frames === 1 ? "" : "s"}: nothing to play`);
    if (clip.duration > MAX_SECONDS) throw new MocapError(`take "${clip.name}" lasts ${Math.round(clip.duration / 3600)} hours, which is not a performance: check the file's frame rate`);
    for (const t of tracks) {
      const v = t.values;
      const isRoot = t.name.startsWith(`${root.name}.`) && t.name.lastIndexOf(".") === root.name.length;
      if (t.name.endsWith(".position")) {
        if (isRoot) for (let i = 0; i < v.length; i += 3) at.fromArray(v, i).applyMatrix4(above).toArray(v, i);
        else for (let i = 0; i < v.length; i++) v[i]! *= s;
      } else if (isRoot) for (let i = 0; i < v.length; i += 4) q.fromArray(v, i).premultiply(turn).toArray(v, i);
    }
    clip.tracks = tracks;
    takes.push({
      name: clip.name || `take ${takes.length + 1}`,
      bones,
      clip,
      summary: { format: "FBX", joints: bones.length, jointNames, channels: tracks.reduce((n, t) => n + t.getValueSize(), 0), frames, frameTime, hands: hasHandJoints(jointNames), restHeight },
      sourceBytes: bytes.byteLength,
    });
  }
  if (takes.length === 0) throw new MocapError(`${fileName} has animation, but none of it moves the skeleton's joints`);
  root.position.applyMatrix4(above);
  root.quaternion.premultiply(turn);
  for (const b of bones) if (b !== root) b.position.multiplyScalar(s);
  return takes;
}

/** Height of the skeleton as the file shows it (highest minus lowest joint, world units). */
function restHeightOf(bones: Bone[]): number {
  let min = Infinity;
  let max = -Infinity;
  const p = new Vector3();
  for (const b of bones) {
    b.getWorldPosition(p);
    min = Math.min(min, p.y);
    max = Math.max(max, p.y);
  }
  return max - min;
}

/**
 * Converts an FBX motion file to the same GLB as a BVH conversion: a figure from its skeleton and
 * one glTF animation per animation stack (named as the stacks are).
 */
export async function fbxToGlb(bytes: Uint8Array, options: { fileName?: string; metresPerUnit?: number } = {}): Promise<{ glb: Uint8Array; reports: MocapReport[] }> {
  const t0 = performance.now();
  return motionsToGlb(readFbxMotion(bytes, options.fileName), options, t0);
}
