import { Accessor, Document, Logger, type Node } from "@gltf-transform/core";
import { dedup, meshopt, prune, resample } from "@gltf-transform/functions";
import { MeshoptEncoder } from "meshoptimizer";
import { Matrix4, Quaternion, Vector3, type AnimationClip, type Bone } from "three";
import { BVHLoader } from "three/examples/jsm/loaders/BVHLoader.js";
import { checkBvh, MocapError, type BvhSummary } from "./bvh-check";
import { gltfIO } from "../gltf/io";

/** How file units become metres: given, or judged from the rest pose's height. */
export interface MocapScale {
  metresPerUnit: number;
  source: string;
}

/**
 * Metres per file unit, from the height of the rest pose: a person is 1-2.3 m tall, so the
 * height in file units tells metres, centimetres, inches, or the CMU database's own unit
 * (cgspeed's conversion: 1 unit = 1/0.45 inch = 0.0564 m). An explicit value always wins.
 */
export function detectScale(restHeight: number, explicit?: number): MocapScale {
  if (explicit && explicit > 0) return { metresPerUnit: explicit, source: "given" };
  const candidates: [number, string][] = [
    [1, "metres"],
    [0.01, "centimetres"],
    [0.0254, "inches"],
    [0.0254 / 0.45, "CMU units (1/0.45 inch)"],
    [0.001, "millimetres"],
  ];
  for (const [k, name] of candidates) {
    const h = restHeight * k;
    if (h >= 1.2 && h <= 2.3) return { metresPerUnit: k, source: `${name}, judged from a ${h.toFixed(2)} m rest pose` };
  }
  throw new MocapError(`the rest pose is ${restHeight.toFixed(2)} units tall, which fits no known unit for a human performer: give the unit (metres per unit) explicitly`);
}

/**
 * Gives every joint of a parsed BVH a unique name and rewrites the clip's track names to match.
 * BVH allows repeated names (CMU's subject 131 has two "Chest" joints) and End Sites are all
 * "ENDSITE"; three binds tracks by name, so a repeated name would animate one joint twice and the
 * other not at all. Tracks are paired with joints by order (BVHLoader writes a position and a
 * rotation track per joint, End Sites excepted, in skeleton order).
 */
export function uniqueJointNames(skeleton: { bones: Bone[] }, clips: { tracks: { name: string }[] }[]): void {
  const animated = skeleton.bones.filter((b) => b.name !== "ENDSITE");
  const used = new Set<string>();
  for (const bone of skeleton.bones) {
    let n = bone.name === "ENDSITE" ? `${(bone.parent as Bone | null)?.name ?? "joint"}_end` : bone.name;
    while (used.has(n)) n += "_";
    used.add(n);
    bone.name = n;
  }
  for (const clip of clips) {
    if (clip.tracks.length !== animated.length * 2) throw new MocapError(`the recording has ${clip.tracks.length} tracks for ${animated.length} joints`);
    clip.tracks.forEach((t, i) => {
      t.name = `${animated[Math.floor(i / 2)]!.name}.${t.name.slice(t.name.lastIndexOf(".") + 1)}`;
    });
  }
}

/** What a conversion produced. */
/** What a recording holds, whatever its format (the BVH check's figures, or the same read from FBX). */
export type MotionSummary = BvhSummary & { format: "BVH" | "FBX" };

/**
 * One take of one performer, read from any format: the skeleton at rest (parents before
 * children, the first bone is the root; local translation and rotation in file units) and its
 * clip (tracks named "<bone>.position" and "<bone>.quaternion"; others are ignored).
 */
export interface MotionTake {
  name: string;
  bones: Bone[];
  clip: AnimationClip;
  summary: MotionSummary;
  sourceBytes: number;
}

export interface MocapReport {
  /** The take's name (the BVH file's given name, or the FBX animation stack's). */
  take: string;
  summary: MotionSummary;
  scale: MocapScale;
  duration: number;
  fps: number;
  /** Height of the figure at rest, in metres. */
  figureHeight: number;
  /** The floor area the performer's hips cover over all takes: its centre and size (metres). */
  floor: { centre: [number, number]; size: [number, number] };
  sourceBytes: number;
  glbBytes: number;
  ms: number;
}

const FIGURE_COLOUR = [0.78, 0.62, 0.46, 1] as const; // unglazed clay: a figure, not a person

/**
 * Converts a BVH recording to a GLB that three's GLTFLoader plays: a performer figure built from
 * the captured skeleton itself (a tapered segment per bone and a head, skinned rigidly to its
 * joint; no third-party avatar), and the motion as one glTF animation (rotation per joint, root
 * translation), resampled to drop redundant keys and meshopt-compressed (@gltf-transform).
 * Finger and hand joints are kept. The file is checked first (`checkBvh`); errors name the line.
 */
export async function bvhToGlb(text: string, options: { name?: string; metresPerUnit?: number } = {}): Promise<{ glb: Uint8Array; report: MocapReport }> {
  const { glb, reports } = await takesToGlb([{ name: options.name ?? "performance", text }], options);
  return { glb, report: reports[0]! };
}

/**
 * Several takes of one performer (BVH files with the same skeleton) as one GLB: one figure, one
 * glTF animation per take, named as given.
 */
export async function takesToGlb(takes: { name: string; text: string }[], options: { metresPerUnit?: number } = {}): Promise<{ glb: Uint8Array; reports: MocapReport[] }> {
  if (takes.length === 0) throw new MocapError("no take to convert");
  const t0 = performance.now();
  const motions = takes.map((t): MotionTake => {
    let summary: BvhSummary;
    try {
      summary = checkBvh(t.text);
    } catch (e) {
      if (e instanceof MocapError && takes.length > 1) throw new MocapError(`take "${t.name}": ${e.message}`);
      throw e;
    }
    const p = new BVHLoader().parse(t.text);
    uniqueJointNames(p.skeleton, [p.clip]);
    return { name: t.name, bones: p.skeleton.bones, clip: p.clip, summary: { ...summary, format: "BVH" }, sourceBytes: Buffer.byteLength(t.text) };
  });
  return motionsToGlb(motions, options, t0);
}

/**
 * The conversion itself, for takes read from any format (`takesToGlb` for BVH, `fbxToGlb` for
 * FBX): one figure from the first take's skeleton, one glTF animation per take.
 */
export async function motionsToGlb(takes: MotionTake[], options: { metresPerUnit?: number } = {}, t0 = performance.now()): Promise<{ glb: Uint8Array; reports: MocapReport[] }> {
  if (takes.length === 0) throw new MocapError("no take to convert");
  const summary = takes[0]!.summary;
  const scale = detectScale(summary.restHeight, options.metresPerUnit);
  const k = scale.metresPerUnit;
  const bones = takes[0]!.bones;
  const skeletonKey = (b: Bone[]) => b.map((x) => `${x.name}:${x.position.toArray().map((v) => v.toFixed(4)).join(",")}`).join(" ");
  for (const t of takes.slice(1)) {
    if (t.bones !== bones && skeletonKey(t.bones) !== skeletonKey(bones)) throw new MocapError(`take "${t.name}" has a different skeleton from take "${takes[0]!.name}": one performer's takes must share it`);
  }

  const doc = new Document().setLogger(new Logger(Logger.Verbosity.WARN));
  const buffer = doc.createBuffer();
  const scene = doc.createScene("performance");
  const nodes = new Map<Bone, Node>();
  // Rest pose in metres: each joint's world matrix and position. BVH rests with every rotation at
  // the identity; FBX skeletons usually do not, so rotations are carried through.
  const worldMatrix = new Map<Bone, Matrix4>();
  const worldRest = new Map<Bone, Vector3>();
  const unit = new Vector3(1, 1, 1);
  for (const bone of bones) {
    const t = bone.position.clone().multiplyScalar(k);
    const node = doc.createNode(bone.name).setTranslation(t.toArray());
    const r = bone.quaternion;
    if (Math.abs(r.w) < 1 - 1e-9) node.setRotation(r.toArray() as [number, number, number, number]);
    nodes.set(bone, node);
    const parent = bone.parent as Bone | null;
    const parentNode = parent ? nodes.get(parent) : undefined;
    if (parentNode) parentNode.addChild(node);
    const local = new Matrix4().compose(t, r, unit);
    const world = parent && worldMatrix.has(parent) ? worldMatrix.get(parent)!.clone().multiply(local) : local;
    worldMatrix.set(bone, world);
    worldRest.set(bone, new Vector3().setFromMatrixPosition(world));
  }
  const rootBone = bones[0]!;
  const figureRoot = doc.createNode("performer").addChild(nodes.get(rootBone)!);
  scene.addChild(figureRoot);

  // The figure: for each bone with a parent, a four-sided tapered prism from the parent's joint to
  // this one, in the parent's space, skinned entirely to the parent.
  const positions: number[] = [];
  const normals: number[] = [];
  const joints: number[] = [];
  const weights: number[] = [];
  const indices: number[] = [];
  const jointIndex = new Map(bones.map((b, i) => [b, i]));
  const up = new Vector3();
  const side = new Vector3();
  const fwd = new Vector3();
  const addSegment = (from: Vector3, to: Vector3, widthFrom: number, widthTo: number, joint: number) => {
    const dir = fwd.copy(to).sub(from);
    const len = dir.length();
    if (len < 1e-5) return;
    dir.divideScalar(len);
    up.set(0, 1, 0);
    if (Math.abs(dir.dot(up)) > 0.9) up.set(1, 0, 0);
    side.crossVectors(dir, up).normalize();
    up.crossVectors(side, dir).normalize();
    const ring = (centre: Vector3, w: number) =>
      [
        [1, 0],
        [0, 1],
        [-1, 0],
        [0, -1],
      ].map(([a, b]) => centre.clone().addScaledVector(side, a! * w).addScaledVector(up, b! * w));
    const r0 = ring(from, widthFrom);
    const r1 = ring(to, widthTo);
    for (let s = 0; s < 4; s++) {
      const a0 = r0[s]!;
      const a1 = r0[(s + 1) % 4]!;
      const b0 = r1[s]!;
      const b1 = r1[(s + 1) % 4]!;
      const n = new Vector3().subVectors(a1, a0).cross(new Vector3().subVectors(b0, a0)).normalize().negate();
      const base = positions.length / 3;
      for (const p of [a0, a1, b1, b0]) {
        positions.push(p.x, p.y, p.z);
        normals.push(n.x, n.y, n.z);
        joints.push(joint, 0, 0, 0);
        weights.push(1, 0, 0, 0);
      }
      indices.push(base, base + 1, base + 2, base, base + 2, base + 3);
    }
    // Caps, so a segment seen end-on is not hollow.
    for (const [r, flip] of [[r0, true], [r1, false]] as const) {
      const base = positions.length / 3;
      const n = dir.clone().multiplyScalar(flip ? -1 : 1);
      for (const p of r) {
        positions.push(p.x, p.y, p.z);
        normals.push(n.x, n.y, n.z);
        joints.push(joint, 0, 0, 0);
        weights.push(1, 0, 0, 0);
      }
      if (flip) indices.push(base, base + 2, base + 1, base, base + 3, base + 2);
      else indices.push(base, base + 1, base + 2, base, base + 2, base + 3);
    }
  };
  for (const bone of bones) {
    const parent = bone.parent as Bone | null;
    if (!parent || !worldRest.has(parent)) continue;
    const a = worldRest.get(parent)!;
    const b = worldRest.get(bone)!;
    const len = a.distanceTo(b);
    // Thick limbs, thin fingers: the width follows the bone's length, within human bounds.
    const w = Math.min(0.06, Math.max(0.006, len * 0.16));
    addSegment(a, b, w, w * 0.75, jointIndex.get(parent)!);
    if (/^head$/i.test(parent.name) && bone.name.endsWith("_end")) {
      // A head: a wider block around the head segment.
      const mid = a.clone().lerp(b, 0.5);
      addSegment(mid.clone().addScaledVector(b.clone().sub(a).normalize(), -0.1), mid.clone().addScaledVector(b.clone().sub(a).normalize(), 0.1), 0.07, 0.06, jointIndex.get(parent)!);
    }
  }
  const accessor = (type: "VEC3" | "VEC4" | "SCALAR", array: Float32Array | Uint16Array | Uint32Array) => doc.createAccessor().setType(type).setArray(array).setBuffer(buffer);
  const prim = doc
    .createPrimitive()
    .setAttribute("POSITION", accessor("VEC3", new Float32Array(positions)))
    .setAttribute("NORMAL", accessor("VEC3", new Float32Array(normals)))
    .setAttribute("JOINTS_0", accessor("VEC4", new Uint16Array(joints)))
    .setAttribute("WEIGHTS_0", accessor("VEC4", new Float32Array(weights)))
    .setIndices(accessor("SCALAR", new Uint32Array(indices)))
    .setMaterial(doc.createMaterial("performer").setBaseColorFactor([...FIGURE_COLOUR]).setRoughnessFactor(0.85).setMetallicFactor(0));
  const skin = doc.createSkin("performer").setSkeleton(nodes.get(rootBone)!);
  const ibm: number[] = [];
  const m = new Matrix4();
  for (const bone of bones) {
    skin.addJoint(nodes.get(bone)!);
    ibm.push(...m.copy(worldMatrix.get(bone)!).invert().elements);
  }
  skin.setInverseBindMatrices(doc.createAccessor().setType("MAT4").setArray(new Float32Array(ibm)).setBuffer(buffer));
  figureRoot.addChild(doc.createNode("figure").setMesh(doc.createMesh("performer").addPrimitive(prim)).setSkin(skin));

  // The motion: rotations of every animated joint; translations of the root and of any joint
  // whose translation really changes (BVH repeats every joint's fixed offset as a track). One
  // animation per take.
  const byName = new Map(bones.map((b) => [b.name, b]));
  const q = new Quaternion();
  const area = { minX: Infinity, maxX: -Infinity, minZ: Infinity, maxZ: -Infinity };
  for (const take of takes) {
  const animation = doc.createAnimation(take.name);
  for (const track of take.clip.tracks) {
    const dot = track.name.lastIndexOf(".");
    const boneName = track.name.slice(0, dot);
    const property = track.name.slice(dot + 1);
    const bone = byName.get(boneName);
    const node = bone && nodes.get(bone);
    if (!bone || !node || (property !== "position" && property !== "quaternion")) continue;
    if (property === "position" && bone !== rootBone && !moves(track.values, bone.position)) continue;
    const values = Float32Array.from(track.values);
    if (property === "position") {
      for (let v = 0; v < values.length; v++) values[v]! *= k;
      if (bone === rootBone)
      for (let v = 0; v < values.length; v += 3) {
        area.minX = Math.min(area.minX, values[v]!);
        area.maxX = Math.max(area.maxX, values[v]!);
        area.minZ = Math.min(area.minZ, values[v + 2]!);
        area.maxZ = Math.max(area.maxZ, values[v + 2]!);
      }
    }
    if (property === "quaternion")
      for (let v = 0; v < values.length; v += 4) {
        // Normalised, and kept in one hemisphere so interpolation takes the short way.
        q.fromArray(values, v).normalize();
        if (v > 0 && q.x * values[v - 4]! + q.y * values[v - 3]! + q.z * values[v - 2]! + q.w * values[v - 1]! < 0) q.set(-q.x, -q.y, -q.z, -q.w);
        q.toArray(values, v);
      }
    const sampler = doc
      .createAnimationSampler()
      .setInput(doc.createAccessor().setType("SCALAR").setArray(Float32Array.from(track.times)).setBuffer(buffer))
      .setOutput(doc.createAccessor().setType(property === "position" ? "VEC3" : "VEC4").setArray(values).setBuffer(buffer))
      .setInterpolation("LINEAR");
    animation.addSampler(sampler).addChannel(doc.createAnimationChannel().setTargetNode(node).setTargetPath(property === "position" ? "translation" : "rotation").setSampler(sampler));
  }
  }
  await MeshoptEncoder.ready;
  await doc.transform(resample({ tolerance: 1e-4 }), dedup(), prune());
  // Rotations as 16-bit normalised integers (glTF allows them for rotation outputs; one step is
  // 3e-5 of a unit quaternion, hundredths of a millimetre at the end of an arm) then losslessly
  // meshopt-compressed; translations stay floats, so the hips keep their path to the micrometre.
  for (const animation of doc.getRoot().listAnimations())
    for (const channel of animation.listChannels()) {
      const output = channel.getSampler()?.getOutput();
      if (channel.getTargetPath() !== "rotation" || !output || output.getComponentType() !== Accessor.ComponentType.FLOAT) continue;
      const floats = output.getArray() as Float32Array;
      const shorts = new Int16Array(floats.length);
      for (let i = 0; i < floats.length; i++) shorts[i] = Math.round(Math.max(-1, Math.min(1, floats[i]!)) * 32767);
      output.setArray(shorts).setNormalized(true);
    }
  await doc.transform(meshopt({ encoder: MeshoptEncoder, level: "medium" }));
  const glb = await (await gltfIO()).writeBinary(doc);
  let minY = Infinity;
  let maxY = -Infinity;
  for (const w of worldRest.values()) {
    minY = Math.min(minY, w.y);
    maxY = Math.max(maxY, w.y);
  }
  const ms = Math.round(performance.now() - t0);
  const r3 = (v: number) => Math.round(v * 1000) / 1000;
  const floor: MocapReport["floor"] = Number.isFinite(area.minX)
    ? { centre: [r3((area.minX + area.maxX) / 2), r3((area.minZ + area.maxZ) / 2)], size: [r3(area.maxX - area.minX), r3(area.maxZ - area.minZ)] }
    : { centre: [0, 0], size: [0, 0] };
  return {
    glb,
    reports: takes.map((t) => ({
      take: t.name,
      summary: t.summary,
      scale,
      duration: t.clip.duration,
      fps: Math.round(1 / t.summary.frameTime),
      figureHeight: Math.round((maxY - minY) * 1000) / 1000,
      floor,
      sourceBytes: t.sourceBytes,
      glbBytes: glb.byteLength,
      ms,
    })),
  };
}

/** Whether a position track strays from the joint's rest offset (more than 0.1 mm in file units of 1 m). */
function moves(values: ArrayLike<number>, rest: Vector3): boolean {
  for (let v = 0; v < values.length; v += 3) {
    if (Math.abs(values[v]! - rest.x) > 1e-4 || Math.abs(values[v + 1]! - rest.y) > 1e-4 || Math.abs(values[v + 2]! - rest.z) > 1e-4) return true;
  }
  return false;
}
