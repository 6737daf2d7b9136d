import { Color, InstancedBufferAttribute, InstancedMesh, Matrix4, type BufferGeometry, type Material, type Object3D } from "three";

/**
 * One object drawn by an {@link InstanceMirror}: a hidden mesh that keeps its place in the scene
 * graph (so bounds, raycasts, the studio's gizmo and the registries work as before) while one
 * instance of a shared mesh draws it.
 */
export interface MirrorSource {
  /** The hidden stand-in; its world matrix places the instance. */
  object: Object3D;
  /** Size of the unit geometry along x, y, z (a box's width, height, depth; a plane's width, height, 1). */
  size: readonly [number, number, number];
  /** Per-instance colour (multiplies the material's), white when absent. */
  colour?: Color | string;
  /** Per-instance extra attribute values (e.g. a label's rectangle in its atlas), `extraSize` numbers. */
  extra?: ArrayLike<number>;
}

const WHITE = new Color("#ffffff");
const scratchColour = new Color();
const scale = new Matrix4();
const placed = new Matrix4();

/**
 * Draws many static pieces of the room (plinths, vitrines, labels) as one instanced draw call.
 *
 * Why: every mesh costs the renderer a draw call, a state change and its uniforms each frame; a
 * 40-artefact room had 39 draw calls where a bare three.js page drawing the same models has 10
 * (BENCHMARKS.md). Instancing makes the gallery's furniture cost the same however many artefacts
 * stand in the room.
 *
 * Sources keep their hidden meshes where they are, so nothing else changes; the mirror follows
 * them: {@link sync} copies world matrices only when one changed (a studio drag, a move by a
 * co-curator) and rebuilds only after a source came, went or changed (`invalidate`). Per frame
 * the check is 16 number comparisons per source, with no allocation.
 */
export class InstanceMirror {
  readonly mesh: InstancedMesh;
  private readonly sources = new Map<unknown, MirrorSource>();
  private order: MirrorSource[] = [];
  private seen = new Float64Array(0);
  private dirty = true;
  private capacity = 0;

  /**
   * @param geometry a unit geometry (1 m along each sized axis), shared by every instance
   * @param extraName name of a per-instance attribute the material's shader reads, if any
   */
  constructor(
    geometry: BufferGeometry,
    material: Material,
    private readonly extraName?: string,
    private readonly extraSize = 4,
  ) {
    this.mesh = new InstancedMesh(geometry, material, 0);
    this.mesh.count = 0;
    // The hidden sources take the raycasts (clicks, VR rays, the studio's cursor), as before; the
    // instances are only drawn, so a ray never stops on an instance that has no handlers.
    this.mesh.raycast = () => {};
    this.grow(16);
  }

  /** Adds or replaces the source under `key`. */
  set(key: unknown, source: MirrorSource): void {
    this.sources.set(key, source);
    this.dirty = true;
  }

  /** Removes the source under `key` if `object` is still the one registered there. */
  delete(key: unknown, object?: Object3D): void {
    const s = this.sources.get(key);
    if (!s || (object && s.object !== object)) return;
    this.sources.delete(key);
    this.dirty = true;
  }

  /** Removes every source. */
  clear(): void {
    this.sources.clear();
    this.dirty = true;
  }

  /** Marks the instances for a rebuild at the next {@link sync} (a source's colour or extra changed). */
  invalidate(): void {
    this.dirty = true;
  }

  get size(): number {
    return this.sources.size;
  }

  /** The sources in instance order (after the last sync). */
  get instances(): readonly MirrorSource[] {
    return this.order;
  }

  /** Brings the instances up to date with their sources; returns whether anything was written. */
  sync(): boolean {
    if (this.dirty) {
      this.rebuild();
      return true;
    }
    const order = this.order;
    const seen = this.seen;
    for (let i = 0; i < order.length; i++) {
      const m = order[i]!.object.matrixWorld.elements;
      const at = i * 16;
      for (let k = 0; k < 16; k++) {
        if (seen[at + k] !== m[k]) {
          this.place(i);
          this.finish();
          return true;
        }
      }
    }
    return false;
  }

  /** Frees the GPU buffers (the geometry and material belong to the caller). */
  dispose(): void {
    this.mesh.dispose();
  }

  private rebuild(): void {
    this.dirty = false;
    this.order = [...this.sources.values()];
    if (this.order.length > this.capacity) this.grow(Math.max(this.order.length, this.capacity * 2));
    this.mesh.count = this.order.length;
    const colours = this.mesh.instanceColor!;
    const extra = this.extraName ? (this.mesh.geometry.getAttribute(this.extraName) as InstancedBufferAttribute) : null;
    for (let i = 0; i < this.order.length; i++) {
      const s = this.order[i]!;
      s.object.updateWorldMatrix(true, false);
      this.place(i);
      const colour = s.colour === undefined ? WHITE : typeof s.colour === "string" ? scratchColour.set(s.colour) : s.colour;
      colour.toArray(colours.array, i * 3);
      if (extra && s.extra) for (let k = 0; k < this.extraSize; k++) extra.array[i * this.extraSize + k] = s.extra[k]!;
    }
    colours.needsUpdate = true;
    if (extra) extra.needsUpdate = true;
    this.finish();
  }

  /** Writes instance `i`'s matrix from its source's world matrix (every other one is also re-read). */
  private place(i: number): void {
    const order = this.order;
    // After a change, re-read them all: a drag moves one, a co-curator's edit may move several.
    for (let j = i; j < order.length; j++) {
      const s = order[j]!;
      placed.multiplyMatrices(s.object.matrixWorld, scale.makeScale(s.size[0], s.size[1], s.size[2]));
      this.mesh.setMatrixAt(j, placed);
      const m = s.object.matrixWorld.elements;
      for (let k = 0; k < 16; k++) this.seen[j * 16 + k] = m[k]!;
    }
  }

  private finish(): void {
    this.mesh.instanceMatrix.needsUpdate = true;
    // Bounds over all instances, for frustum culling and raycasts: recomputed lazily by three.
    this.mesh.boundingSphere = null;
    this.mesh.boundingBox = null;
  }

  private grow(capacity: number): void {
    this.capacity = capacity;
    this.mesh.instanceMatrix = new InstancedBufferAttribute(new Float32Array(capacity * 16), 16);
    this.mesh.instanceColor = new InstancedBufferAttribute(new Float32Array(capacity * 3).fill(1), 3);
    if (this.extraName) this.mesh.geometry.setAttribute(this.extraName, new InstancedBufferAttribute(new Float32Array(capacity * this.extraSize), this.extraSize));
    const seen = new Float64Array(capacity * 16);
    seen.set(this.seen.subarray(0, Math.min(this.seen.length, seen.length)));
    this.seen = seen;
  }
}
