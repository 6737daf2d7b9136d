import { describe, expect, it } from "vitest";
import { BVHLoader } from "three/examples/jsm/loaders/BVHLoader.js";
import { uniqueJointNames } from "../../server/mocap/convert";

describe("joint names", () => {
  it("renames repeated joints and End Sites, and points each track at its own joint", () => {
    // Two joints named "Spine": three binds tracks by name, so without renaming one would get both.
    const bvh = `HIERARCHY
ROOT Hips
{
 OFFSET 0 0 0
 CHANNELS 6 Xposition Yposition Zposition Zrotation Yrotation Xrotation
 JOINT Spine
 {
  OFFSET 0 10 0
  CHANNELS 3 Zrotation Yrotation Xrotation
  JOINT Spine
  {
   OFFSET 0 10 0
   CHANNELS 3 Zrotation Yrotation Xrotation
   End Site
   {
    OFFSET 0 5 0
   }
  }
 }
}
MOTION
Frames: 2
Frame Time: 0.1
0 0 0 0 0 0 10 0 0 0 0 0
0 0 0 0 0 0 0 0 0 20 0 0
`;
    const { skeleton, clip } = new BVHLoader().parse(bvh);
    uniqueJointNames(skeleton, [clip]);
    expect(skeleton.bones.map((b) => b.name)).toEqual(["Hips", "Spine", "Spine_", "Spine__end"]);
    expect(clip.tracks.map((t) => t.name)).toEqual(["Hips.position", "Hips.quaternion", "Spine.position", "Spine.quaternion", "Spine_.position", "Spine_.quaternion"]);
    // The first Spine turns in frame 1, the second in frame 2: each track kept its own motion.
    const q1 = clip.tracks[3]!.values;
    const q2 = clip.tracks[5]!.values;
    expect(Math.abs(q1[2]!)).toBeGreaterThan(0.05); // z of frame 1 (10° about Z)
    expect(Math.abs(q2[2]!)).toBeLessThan(1e-6);
    expect(Math.abs(q2[6]!)).toBeGreaterThan(0.1); // z of frame 2 (20° about Z)
  });
});
