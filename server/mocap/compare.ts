import { AnimationMixer, Vector3, type AnimationClip, type Bone, type Object3D, type SkinnedMesh } from "three";
import { BVHLoader } from "three/examples/jsm/loaders/BVHLoader.js";
import { FBXLoader } from "three/examples/jsm/loaders/FBXLoader.js";
import { GLTFLoader } from "three/examples/jsm/loaders/GLTFLoader.js";
import { MeshoptDecoder } from "three/examples/jsm/libs/meshopt_decoder.module.js";
import { uniqueJointNames } from "./convert";

/** How far the converted figure's joints are from the recording's, in metres. */
export interface MotionError {
  /** Largest distance of any joint at any sampled time. */
  max: number;
  mean: number;
  /** Joint and time of the largest distance. */
  worst: { joint: string; time: number };
  samples: number;
}

/** Joint world positions of a posed skeleton, in bone order. */
function positions(bones: Bone[], root: Object3D, scale: number): Vector3[] {
  root.updateWorldMatrix(true, true);
  return bones.map((b) => b.getWorldPosition(new Vector3()).multiplyScalar(scale));
}

/**
 * Plays the BVH recording (three's BVHLoader) and the converted GLB (three's GLTFLoader, as the
 * viewer loads it) side by side and measures the distance between every joint at each of `times`:
 * the check that a conversion preserves the motion.
 */
export async function compareMotion(bvhText: string, glb: Uint8Array, metresPerUnit: number, times: number[], clipName?: string): Promise<MotionError> {
  const source = new BVHLoader().parse(bvhText);
  uniqueJointNames(source.skeleton, [source.clip]); // as the conversion does: three binds tracks by name
  return compareWithSource({ bones: source.skeleton.bones, root: source.skeleton.bones[0]!, clip: source.clip }, glb, metresPerUnit, times, clipName);
}

/** The same check for an FBX file: its skeleton played by three's FBXLoader against the GLB's. */
export async function compareFbxMotion(bytes: Uint8Array, glb: Uint8Array, metresPerUnit: number, times: number[], clipName?: string): Promise<MotionError> {
  const scene = new FBXLoader().parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, "");
  const clip = clipName ? scene.animations.find((a) => a.name === clipName) : scene.animations[0];
  if (!clip) throw new Error(`the FBX file has no animation "${clipName}"`);
  const bones: Bone[] = [];
  scene.traverse((o) => void ((o as Bone).isBone && bones.push(o as Bone)));
  return compareWithSource({ bones, root: scene, clip }, glb, metresPerUnit, times, clipName);
}

/**
 * The same check for any source three can play: its joints (matched to the figure's by name),
 * the object its clip animates, the clip.
 */
export async function compareWithSource(source: { bones: Bone[]; root: Object3D; clip: AnimationClip }, glb: Uint8Array, metresPerUnit: number, times: number[], clipName?: string): Promise<MotionError> {
  const sourceRoot = source.root;
  const sourceMixer = new AnimationMixer(sourceRoot);
  sourceMixer.clipAction(source.clip).play();

  const gltf = await new GLTFLoader().setMeshoptDecoder(MeshoptDecoder).parseAsync(glb.buffer.slice(glb.byteOffset, glb.byteOffset + glb.byteLength) as ArrayBuffer, "");
  let skinned: SkinnedMesh | null = null;
  gltf.scene.traverse((o) => {
    if ((o as SkinnedMesh).isSkinnedMesh) skinned = o as SkinnedMesh;
  });
  if (!skinned) throw new Error("the converted file has no skinned figure");
  const byName = new Map((skinned as SkinnedMesh).skeleton.bones.map((b) => [b.name, b]));
  const bones = source.bones.map((b) => {
    const twin = byName.get(b.name);
    if (!twin) throw new Error(`the figure has no joint "${b.name}"`);
    return twin;
  });
  if (byName.size !== source.bones.length) throw new Error(`the figure has ${byName.size} joints; the recording has ${source.bones.length}`);
  const mixer = new AnimationMixer(gltf.scene);
  const clip = clipName ? gltf.animations.find((a) => a.name === clipName) : gltf.animations[0];
  if (!clip) throw new Error(`the converted file has no clip "${clipName}"`);
  mixer.clipAction(clip).play();

  let max = 0;
  let sum = 0;
  let n = 0;
  let worst = { joint: "", time: 0 };
  for (const t of times) {
    sourceMixer.setTime(t);
    mixer.setTime(t);
    const a = positions(source.bones, sourceRoot, metresPerUnit);
    const b = positions(bones, gltf.scene, 1);
    for (let j = 0; j < a.length; j++) {
      const d = a[j]!.distanceTo(b[j]!);
      sum += d;
      n++;
      if (d > max) {
        max = d;
        worst = { joint: bones[j]!.name, time: t };
      }
    }
  }
  return { max, mean: sum / n, worst, samples: n };
}
