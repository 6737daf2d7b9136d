import { Euler, MathUtils, Quaternion, type Bone } from "three";
import { BVHLoader } from "three/examples/jsm/loaders/BVHLoader.js";
import { uniqueJointNames } from "../../server/mocap/convert";

/** FBX time: ticks per second. */
const KTIME = 46_186_158_000;

/**
 * Writes a BVH recording as an ASCII FBX 7.4 file: a LimbNode skeleton and one animation stack,
 * the way DCC tools export motion capture. No FBX files are among the shared fixtures and none
 * can be fetched here, so the FBX import is tested on CMU clips written out by this function.
 *
 * To exercise what real FBX skeletons have and BVH does not, every joint gets a PreRotation (a
 * rest pose that is not the identity) and its animated rotation is written relative to it, so the
 * joint's total rotation still equals the BVH's at every frame. With `armature`, the skeleton
 * hangs below a scaled and turned "Armature" null (as Blender exports it), its lengths divided by
 * the scale so that the figure keeps its size.
 */
export function bvhToFbxAscii(bvhText: string, take = "Take 001", options: { preRotation?: boolean; armature?: { scale: number; turnDegrees: number }; motion?: boolean } = {}): string {
  const { skeleton, clip } = new BVHLoader().parse(bvhText);
  uniqueJointNames(skeleton, [clip]);
  const bones = skeleton.bones;
  const id = (i: number, kind: number) => 1_000_000 + kind * 100_000 + i;
  const f = (v: number) => (Math.abs(v) < 1e-9 ? "0" : v.toFixed(6).replace(/\.?0+$/, ""));
  const pre = bones.map((_, i) => (options.preRotation === false ? new Euler(0, 0, 0, "ZYX") : new Euler(0.15 + 0.05 * (i % 3), -0.1 * ((i % 4) - 1.5), 0.2 - 0.07 * (i % 5), "ZYX")));
  const preQ = pre.map((e) => new Quaternion().setFromEuler(e));

  const objects: string[] = [];
  const connections: string[] = [];
  const armature = options.armature;
  const unit = armature ? 1 / armature.scale : 1;
  if (armature) {
    objects.push(
      `\tModel: ${id(0, 5)}, "Model::Armature", "Null" {`,
      `\t\tVersion: 232`,
      `\t\tProperties70:  {`,
      `\t\t\tP: "Lcl Rotation", "Lcl Rotation", "", "A",0,${f(armature.turnDegrees)},0`,
      `\t\t\tP: "Lcl Scaling", "Lcl Scaling", "", "A",${f(armature.scale)},${f(armature.scale)},${f(armature.scale)}`,
      `\t\t}`,
      `\t}`,
    );
    connections.push(`\tC: "OO",${id(0, 5)},0`);
  }
  const stack = id(0, 7);
  const layer = id(0, 8);
  const stop = Math.round(clip.duration * KTIME);
  bones.forEach((bone, i) => {
    const p = bone.position;
    const e = pre[i]!;
    objects.push(
      `\tModel: ${id(i, 1)}, "Model::${bone.name}", "LimbNode" {`,
      `\t\tVersion: 232`,
      `\t\tProperties70:  {`,
      `\t\t\tP: "PreRotation", "Vector3D", "Vector", "",${f(MathUtils.radToDeg(e.x))},${f(MathUtils.radToDeg(e.y))},${f(MathUtils.radToDeg(e.z))}`,
      `\t\t\tP: "RotationActive", "bool", "", "",1`,
      `\t\t\tP: "Lcl Translation", "Lcl Translation", "", "A",${f(p.x * unit)},${f(p.y * unit)},${f(p.z * unit)}`,
      `\t\t}`,
      `\t\tShading: Y`,
      `\t\tCulling: "CullingOff"`,
      `\t}`,
      `\tNodeAttribute: ${id(i, 2)}, "NodeAttribute::${bone.name}", "LimbNode" {`,
      `\t\tTypeFlags: "Skeleton"`,
      `\t}`,
    );
    connections.push(`\tC: "OO",${id(i, 2)},${id(i, 1)}`, `\tC: "OO",${id(i, 1)},${bone.parent && (bone.parent as Bone).isBone ? id(bones.indexOf(bone.parent as Bone), 1) : armature ? id(0, 5) : 0}`);
  });

  let curveNo = 0;
  const curve = (node: number, axis: "X" | "Y" | "Z", times: ArrayLike<number>, values: number[]) => {
    const cid = id(curveNo++, 9) + 10_000_000;
    const keyTimes = Array.from(times, (t) => Math.round(t * KTIME));
    objects.push(
      `\tAnimationCurve: ${cid}, "AnimCurve::", "" {`,
      `\t\tDefault: 0`,
      `\t\tKeyVer: 4009`,
      `\t\tKeyTime: *${keyTimes.length} {`,
      `\t\t\ta: ${keyTimes.join(",")}`,
      `\t\t}`,
      `\t\tKeyValueFloat: *${values.length} {`,
      `\t\t\ta: ${values.map(f).join(",")}`,
      `\t\t}`,
      `\t\tKeyAttrFlags: *1 {`,
      `\t\t\ta: 24836`,
      `\t\t}`,
      `\t\tKeyAttrDataFloat: *4 {`,
      `\t\t\ta: 0,0,255790911,0`,
      `\t\t}`,
      `\t\tKeyAttrRefCount: *1 {`,
      `\t\t\ta: ${keyTimes.length}`,
      `\t\t}`,
      `\t}`,
    );
    connections.push(`\tC: "OP",${cid},${node}, "d|${axis}"`);
  };
  const byName = new Map(bones.map((b, i) => [b.name, i]));
  const q = new Quaternion();
  const e = new Euler(0, 0, 0, "ZYX");
  let nodeNo = 0;
  for (const track of options.motion === false ? [] : clip.tracks) {
    const [name, property] = track.name.split(".") as [string, string];
    const i = byName.get(name)!;
    const node = id(nodeNo++, 6);
    const T = property === "position";
    if (T && i !== 0) continue; // BVH repeats every joint's offset as a "position" track
    objects.push(
      `\tAnimationCurveNode: ${node}, "AnimCurveNode::${T ? "T" : "R"}", "" {`,
      `\t\tProperties70:  {`,
      `\t\t\tP: "d|X", "Number", "", "A",0`,
      `\t\t\tP: "d|Y", "Number", "", "A",0`,
      `\t\t\tP: "d|Z", "Number", "", "A",0`,
      `\t\t}`,
      `\t}`,
    );
    connections.push(`\tC: "OO",${node},${layer}`, `\tC: "OP",${node},${id(i, 1)}, "${T ? "Lcl Translation" : "Lcl Rotation"}"`);
    const xs: number[] = [];
    const ys: number[] = [];
    const zs: number[] = [];
    const v = track.values;
    if (T) {
      for (let k = 0; k < v.length; k += 3) xs.push(v[k]! * unit), ys.push(v[k + 1]! * unit), zs.push(v[k + 2]! * unit);
    } else {
      // FBX total rotation = PreRotation x animated rotation: write PreRotation^-1 x BVH rotation.
      const inv = preQ[i]!.clone().invert();
      for (let k = 0; k < v.length; k += 4) {
        q.fromArray(v, k).premultiply(inv);
        e.setFromQuaternion(q, "ZYX");
        xs.push(MathUtils.radToDeg(e.x)), ys.push(MathUtils.radToDeg(e.y)), zs.push(MathUtils.radToDeg(e.z));
      }
    }
    curve(node, "X", track.times, xs);
    curve(node, "Y", track.times, ys);
    curve(node, "Z", track.times, zs);
  }
  if (options.motion !== false)
  objects.push(
    `\tAnimationStack: ${stack}, "AnimStack::${take}", "" {`,
    `\t\tProperties70:  {`,
    `\t\t\tP: "LocalStop", "KTime", "Time", "",${stop}`,
    `\t\t\tP: "ReferenceStop", "KTime", "Time", "",${stop}`,
    `\t\t}`,
    `\t}`,
    `\tAnimationLayer: ${layer}, "AnimLayer::BaseLayer", "" {`,
    `\t}`,
  );
  if (options.motion !== false) connections.push(`\tC: "OO",${layer},${stack}`);

  return [
    "; FBX 7.4.0 project file",
    "; Written by Atrium's tests from a CMU BVH recording",
    "; ----------------------------------------------------",
    "",
    "FBXHeaderExtension:  {",
    "\tFBXHeaderVersion: 1003",
    "\tFBXVersion: 7400",
    "\tCreator: \"Atrium test writer\"",
    "}",
    "GlobalSettings:  {",
    "\tVersion: 1000",
    "\tProperties70:  {",
    '\t\tP: "UpAxis", "int", "Integer", "",1',
    '\t\tP: "UpAxisSign", "int", "Integer", "",1',
    '\t\tP: "FrontAxis", "int", "Integer", "",2',
    '\t\tP: "FrontAxisSign", "int", "Integer", "",1',
    '\t\tP: "CoordAxis", "int", "Integer", "",0',
    '\t\tP: "CoordAxisSign", "int", "Integer", "",1',
    '\t\tP: "UnitScaleFactor", "double", "Number", "",1',
    "\t}",
    "}",
    "Objects:  {",
    ...objects,
    "}",
    "Connections:  {",
    ...connections,
    "}",
    "",
  ].join("\n");
}
