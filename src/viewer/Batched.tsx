import { useFrame } from "@react-three/fiber";
import { createContext, useContext, useEffect, useLayoutEffect, useMemo, type ReactNode, type RefObject } from "react";
import { BoxGeometry, MeshStandardMaterial, PlaneGeometry, type Object3D } from "three";
import { InstanceMirror } from "./instance-mirror";
import { LabelAtlas, readAtlasRects, type AtlasLabel } from "./label-atlas";

/**
 * The room's batched furniture: every plinth, every vitrine and every label (with the doorway
 * signs) of the room on show is one instanced draw call each, whatever the number of artefacts.
 * See `instance-mirror.ts` for why and how.
 */
class RoomBatches {
  readonly plinths = new InstanceMirror(new BoxGeometry(1, 1, 1), new MeshStandardMaterial({ color: "#ffffff", roughness: 0.8 }));
  readonly vitrines = new InstanceMirror(
    new BoxGeometry(1, 1, 1),
    new MeshStandardMaterial({ color: "#e8f2f4", transparent: true, opacity: 0.12, roughness: 0.05, metalness: 0, depthWrite: false }),
  );
  readonly labelMaterial = new MeshStandardMaterial({ roughness: 0.9 });
  readonly labels = new InstanceMirror(new PlaneGeometry(1, 1), this.labelMaterial, "atlasRect", 4);
  readonly atlas = new LabelAtlas();
  private readonly labelSources = new Map<Object3D, AtlasLabel>();
  private labelsChanged = false;

  constructor() {
    this.plinths.mesh.name = "plinths";
    this.vitrines.mesh.name = "vitrines";
    this.vitrines.mesh.renderOrder = 2;
    this.labels.mesh.name = "labels";
    this.labelMaterial.map = this.atlas.texture;
    readAtlasRects(this.labelMaterial);
  }

  setLabel(object: Object3D, label: AtlasLabel): void {
    this.labelSources.set(object, label);
    this.labelsChanged = true;
  }

  deleteLabel(object: Object3D): void {
    if (this.labelSources.delete(object)) this.labelsChanged = true;
  }

  /** Once a frame, before rendering: redraws the atlas after a label changed, then follows moves. */
  sync(): void {
    if (this.labelsChanged) {
      this.labelsChanged = false;
      const entries = [...this.labelSources];
      const rects = this.atlas.draw(
        entries.map(([, l]) => l),
        this.labelMaterial,
      );
      this.labels.clear();
      entries.forEach(([object, l], i) => this.labels.set(object, { object, size: [l.width, l.height, 1], extra: rects[i] }));
      this.labels.invalidate();
    }
    this.plinths.sync();
    this.vitrines.sync();
    this.labels.sync();
  }

  dispose(): void {
    for (const m of [this.plinths, this.vitrines, this.labels]) {
      m.dispose();
      m.mesh.geometry.dispose();
      (m.mesh.material as MeshStandardMaterial).dispose();
    }
    this.atlas.dispose();
  }
}

const BatchContext = createContext<RoomBatches | null>(null);

/** Whether `object` is a hidden stand-in whose drawing is done by a batch (it still takes raycasts). */
export function isMirrored(object: Object3D): boolean {
  return object.userData.mirrored === true;
}

/** Draws the furniture of everything inside it in batches (see {@link RoomBatches}). */
export function Batched({ children }: { children: ReactNode }) {
  const batches = useMemo(() => new RoomBatches(), []);
  useEffect(() => () => batches.dispose(), [batches]);
  useFrame(() => batches.sync());
  return (
    <BatchContext.Provider value={batches}>
      <primitive object={batches.plinths.mesh} />
      <primitive object={batches.vitrines.mesh} />
      <primitive object={batches.labels.mesh} />
      {children}
    </BatchContext.Provider>
  );
}

/**
 * Hands the drawing of the box mesh in `ref` (a plinth or a vitrine, `size` its width, height and
 * depth; `mounted` whether the mesh is rendered now) to the room's batch; returns whether it
 * did, i.e. whether the mesh should stay hidden.
 */
export function useMirroredBox(kind: "plinths" | "vitrines", ref: RefObject<Object3D | null>, mounted: boolean, size: [number, number, number], colour?: string): boolean {
  const batches = useContext(BatchContext);
  const [w, h, d] = size;
  useLayoutEffect(() => {
    const o = ref.current;
    if (!batches || !o) return;
    o.userData.mirrored = true;
    batches[kind].set(o, { object: o, size: [w, h, d], colour });
    return () => batches[kind].delete(o, o);
  }, [batches, kind, ref, mounted, w, h, d, colour]);
  return batches !== null;
}

/** Hands the drawing of the label mesh in `ref` to the room's atlas; returns whether it did. */
export function useMirroredLabel(ref: RefObject<Object3D | null>, label: AtlasLabel, key: string): boolean {
  const batches = useContext(BatchContext);
  useLayoutEffect(() => {
    const o = ref.current;
    if (!batches || !o) return;
    o.userData.mirrored = true;
    batches.setLabel(o, label);
    return () => batches.deleteLabel(o);
    // `key` stands for the label's content (its lines, background and size)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [batches, ref, key]);
  return batches !== null;
}
