import { BoxGeometry, Color, Matrix4, MeshStandardMaterial, Object3D, Vector3 } from "three";
import { describe, expect, it } from "vitest";
import { InstanceMirror } from "../../src/viewer/instance-mirror";
import { ATLAS_SIZE, packShelves } from "../../src/viewer/label-atlas";

/** A placed stand-in, as a plinth mesh sits in its placement group. */
function standIn(x: number, z: number, yaw = 0): Object3D {
  const group = new Object3D();
  group.position.set(x, 0, z);
  group.rotation.y = yaw;
  const mesh = new Object3D();
  mesh.position.y = 0.5;
  group.add(mesh);
  group.updateMatrixWorld(true);
  return mesh;
}

function instance(mirror: InstanceMirror, i: number): Matrix4 {
  const m = new Matrix4();
  mirror.mesh.getMatrixAt(i, m);
  return m;
}

describe("instance mirror (plinths, vitrines, labels in one draw call each)", () => {
  it("places one instance per source at its world pose, sized, coloured, and follows moves", () => {
    const mirror = new InstanceMirror(new BoxGeometry(1, 1, 1), new MeshStandardMaterial());
    const a = standIn(1, 2);
    const b = standIn(-3, 0, Math.PI / 2);
    mirror.set("a", { object: a, size: [0.5, 1, 0.4], colour: "#ff0000" });
    mirror.set("b", { object: b, size: [0.6, 0.9, 0.6] });
    expect(mirror.sync()).toBe(true);
    expect(mirror.mesh.count).toBe(2);
    const corner = new Vector3(0.5, 0.5, 0.5).applyMatrix4(instance(mirror, 0));
    expect(corner.toArray().map((v) => +v.toFixed(6))).toEqual([1.25, 1, 2.2]);
    // b is turned a quarter: its width runs along z.
    const bCorner = new Vector3(0.5, 0, 0).applyMatrix4(instance(mirror, 1));
    expect(+bCorner.x.toFixed(6)).toBe(-3);
    expect(+bCorner.z.toFixed(6)).toBe(-0.3);
    const red = new Color();
    mirror.mesh.getColorAt(0, red);
    expect(red.equals(new Color("#ff0000"))).toBe(true);
    mirror.mesh.getColorAt(1, red);
    expect(red.equals(new Color("#ffffff"))).toBe(true);

    // Nothing moved: nothing is written.
    const version = mirror.mesh.instanceMatrix.version;
    expect(mirror.sync()).toBe(false);
    expect(mirror.mesh.instanceMatrix.version).toBe(version);
    // A drag moves the source: the instance follows at the next sync.
    a.parent!.position.x = 4;
    a.parent!.updateMatrixWorld(true);
    expect(mirror.sync()).toBe(true);
    expect(new Vector3().setFromMatrixPosition(instance(mirror, 0)).x).toBeCloseTo(4);
    expect(mirror.mesh.boundingSphere).toBeNull(); // bounds recomputed for culling

    mirror.delete("a");
    mirror.sync();
    expect(mirror.mesh.count).toBe(1);
    expect(new Vector3().setFromMatrixPosition(instance(mirror, 0)).x).toBeCloseTo(-3);
  });

  it("grows past its first capacity and keeps a later registration when an earlier one unmounts", () => {
    const mirror = new InstanceMirror(new BoxGeometry(1, 1, 1), new MeshStandardMaterial(), "atlasRect", 4);
    for (let i = 0; i < 40; i++) mirror.set(i, { object: standIn(i, 0), size: [1, 1, 1], extra: [i, 0, 1, 1] });
    mirror.sync();
    expect(mirror.mesh.count).toBe(40);
    expect(new Vector3().setFromMatrixPosition(instance(mirror, 39)).x).toBeCloseTo(39);
    const rects = mirror.mesh.geometry.getAttribute("atlasRect");
    expect(rects.getX(39)).toBe(39);
    // A stale unmount (another object under the same key) leaves the current one alone.
    mirror.delete(5, new Object3D());
    mirror.sync();
    expect(mirror.mesh.count).toBe(40);
    // Instances are drawn only: rays go to the hidden stand-ins, which keep their handlers.
    expect(mirror.mesh.raycast.length).toBe(0);
  });
});

describe("label atlas packing", () => {
  const overlaps = (a: { x: number; y: number; w: number; h: number }, b: typeof a) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

  it("keeps a room's labels at full resolution while they fit, without overlaps", () => {
    const sizes = [...Array(6)].map(() => ({ w: 960, h: 528 })).concat([{ w: 1440, h: 234 }]);
    const { scale, rects, height } = packShelves(sizes);
    expect(scale).toBe(1);
    expect(height).toBeLessThanOrEqual(ATLAS_SIZE);
    rects.forEach((r, i) => {
      expect(r.w).toBe(sizes[i]!.w);
      expect(r.x + r.w).toBeLessThanOrEqual(ATLAS_SIZE);
      rects.forEach((o, j) => j !== i && expect(overlaps(r, o)).toBe(false));
    });
  });

  it("shrinks every label by one factor when a large room's labels do not fit", () => {
    const sizes = [...Array(40)].map(() => ({ w: 960, h: 528 }));
    const { scale, rects, height } = packShelves(sizes);
    expect(scale).toBeLessThan(1);
    expect(scale).toBeGreaterThan(0.3);
    expect(height).toBeLessThanOrEqual(ATLAS_SIZE);
    for (const r of rects) {
      expect(r.y + r.h).toBeLessThanOrEqual(ATLAS_SIZE);
      expect(r.w).toBe(Math.round(960 * scale));
    }
    rects.forEach((r, i) => rects.forEach((o, j) => j !== i && expect(overlaps(r, o)).toBe(false)));
  });
});
