import { Html } from "@react-three/drei";
import type { ThreeEvent } from "@react-three/fiber";
import { Suspense, use, useContext, useEffect, useMemo, useRef, useState } from "react";
import { Box3, Vector3, type Group, type Mesh, type Object3D } from "three";
import { useMirroredBox } from "./Batched";
import { useExhibition } from "../collab";
import { pickText, type Annotation, type Item, type Vec3 } from "../shared/exhibition";
import { useLocalStore } from "../state/local-store";
import { ArtefactClickContext, ArtefactGrabContext, PressContext, fromScreen, modelSpacePoint, wasDrag } from "./artefact-interaction";
import { artefactObjects, placementObjects, useRegistered } from "./artefact-registry";
import { deviceClass, modelUrl, tierFor, type DeviceClass, type Quality } from "../shared/exhibition/tiers";
import { cachedGltf, watchProgress } from "./gltf-loading";
import { LabelCard, labelLines } from "./LabelCard";
import { ModelErrorBoundary } from "./ModelErrorBoundary";
import { Performer } from "./Performer";
import { WallImage } from "./WallImage";
import { useTextFallbacks } from "./text-fallbacks";
import { tellVisit } from "./visit-events";

/** Reports a model's download progress and outcome to the local store (for the room's progress bar). */
function useTrackModel(url: string): void {
  useEffect(() => {
    if (!url) return;
    const report = useLocalStore.getState().modelProgress;
    const current = useLocalStore.getState().models[url];
    if (current?.status === "loaded" || current?.status === "failed") return;
    let last = 0;
    report(url, { fraction: 0, status: "loading" });
    const stop = watchProgress(url, (f) => {
      // Only a visible step, so a fast download does not cause hundreds of renders.
      if (f - last >= 0.05 && f < 1) {
        last = f;
        report(url, { fraction: f, status: "loading" });
      }
    });
    let live = true;
    cachedGltf(url).then(
      () => live && report(url, { fraction: 1, status: "loaded" }),
      (e: Error) => live && report(url, { fraction: 1, status: "failed", error: e.message }),
    );
    return () => {
      live = false;
      stop();
    };
  }, [url]);
}

/** This browser's device class, read once. */
const DEVICE: DeviceClass =
  typeof navigator === "undefined"
    ? "desktop"
    : deviceClass({ maxTouchPoints: navigator.maxTouchPoints ?? 0, coarsePointer: globalThis.matchMedia?.("(pointer: coarse)").matches ?? false, userAgent: navigator.userAgent });

/**
 * `wanted` once it has downloaded, `base` until then (or if it fails): switching tiers never shows
 * a loading ghost in place of a model the visitor is looking at. Once upgraded, an artefact keeps
 * its detailed tier (already in memory) when the visitor walks away.
 */
function useArrivedUrl(base: string, wanted: string): string {
  const [arrived, setArrived] = useState<string | null>(null);
  useEffect(() => {
    if (!wanted || wanted === base || wanted === arrived) return;
    let live = true;
    cachedGltf(wanted).then(
      () => live && setArrived(wanted),
      () => {}, // the walking tier stays
    );
    return () => {
      live = false;
    };
  }, [base, wanted, arrived]);
  return arrived ?? base;
}

/**
 * The loaded model, standing with the bottom of its bounds at the origin and centred on it, so
 * it sits on whatever it is placed on. Annotations are children of the same frame, so their
 * model-space points land on the surface.
 */
function ArtefactModel({
  placementId,
  url,
  scale,
  annotations,
  showPins,
  language,
  fallbacks,
}: {
  placementId: string;
  url: string;
  scale: number;
  annotations: [string, Annotation][];
  showPins: boolean;
  language: string;
  fallbacks: string[];
}) {
  const gltf = use(cachedGltf(url));
  const { object, offset } = useMemo(() => {
    const object = gltf.scene.clone(true);
    object.traverse((o) => {
      if ((o as Mesh).isMesh) o.userData.placement = placementId;
    });
    const box = new Box3().setFromObject(object);
    const centre = box.getCenter(new Vector3());
    return { object, offset: [-centre.x, -box.min.y, -centre.z] as [number, number, number] };
  }, [gltf, placementId]);
  const frame = useRef<Group>(null);
  useRegistered(artefactObjects, placementId, frame);
  useEffect(() => {
    if (frame.current) frame.current.userData.url = url; // which tier is on show, for the probe
  }, [url]);
  return (
    <group ref={frame} scale={scale} name={`artefact:${placementId}`}>
      <group position={offset} name="model-space">
        <primitive object={object} />
        {showPins &&
          annotations.map(([id, a], i) => (
            <Html key={id} position={a.point} center zIndexRange={[20, 0]} className="pin-anchor">
              <button
                className="annotation-pin"
                data-annotation={id}
                title={pickText(a.text, language, fallbacks)}
                aria-label={`${i + 1}. ${pickText(a.text, language, fallbacks)}`}
                // Enter, Space or a click: the note in the close-up panel takes focus (a screen reader reads it).
                onClick={() => {
                  tellVisit({ type: "annotation-opened", placement: placementId });
                  const note = document.querySelector<HTMLElement>(`.inspect-panel li[data-annotation="${CSS.escape(id)}"]`);
                  note?.scrollIntoView({ block: "nearest" });
                  note?.focus();
                }}
              >
                {i + 1}
              </button>
            </Html>
          ))}
      </group>
    </group>
  );
}

/** An image's hung size in metres (width, height): from the record's dimensions, else 60 cm wide. */
export function imageSize(item: Item, scale: number): [number, number] {
  const w = item.dimensions?.width ? item.dimensions.width / 100 : 0.6;
  const h = item.dimensions?.height ? item.dimensions.height / 100 : w * 0.75;
  return [w * scale, h * scale];
}

/** Stand-in while a model downloads: a faint outline of where it will be. */
function LoadingGhost() {
  return (
    <mesh position-y={0.08}>
      <boxGeometry args={[0.16, 0.16, 0.16]} />
      <meshStandardMaterial color="#c8c0b4" transparent opacity={0.35} wireframe />
    </mesh>
  );
}

/** Stand-in for a model that could not be loaded: a marked block, never an empty plinth. */
function BrokenModel() {
  return (
    <mesh position-y={0.06}>
      <boxGeometry args={[0.12, 0.12, 0.12]} />
      <meshStandardMaterial color="#b3432f" roughness={0.6} />
    </mesh>
  );
}

/**
 * One placed artefact: its plinth (and vitrine), the model, and its label card. Click to inspect.
 */
export function Artefact({ id, quality }: { id: string; quality: Quality }) {
  const placement = useExhibition((d) => d.placements[id]);
  const item = useExhibition((d) => (placement ? d.items[placement.item] : undefined));
  const museums = useExhibition((d) => d.meta.museums);
  const fallbacks = useTextFallbacks();
  const annotationRecords = useExhibition((d) => d.annotations);
  const language = useLocalStore((s) => s.language);
  const inspected = useLocalStore((s) => s.mode === "inspect" && s.selected === id);
  const onArtefactClick = useContext(ArtefactClickContext);
  const grab = useContext(ArtefactGrabContext);
  const press = useContext(PressContext);
  const groupRef = useRef<Group>(null);
  useRegistered(placementObjects, id, groupRef, [placement !== undefined && item !== undefined, item?.asset.kind]);
  // The walking tier loads with the room (and counts for its progress bar); the detailed tier is
  // fetched when the visitor comes close or inspects, and shown once it has arrived.
  const baseUrl = item ? (modelUrl(item.asset, quality) ?? "") : "";
  useTrackModel(baseUrl);
  const close = useLocalStore((s) => (s.mode === "inspect" && s.selected === id) || s.closeUp[id] === true);
  const immersive = useLocalStore((s) => s.immersive !== null);
  const wanted = item?.asset.kind === "model" ? tierFor(item.asset, quality, { device: immersive ? "headset" : DEVICE, close }) : baseUrl;
  const url = useArrivedUrl(baseUrl, wanted);
  const annotations = useMemo(
    () => Object.entries(annotationRecords).filter(([, a]) => placement && a.item === placement.item),
    [annotationRecords, placement],
  );
  const lines = useMemo(() => (item ? labelLines(item, museums, language, fallbacks) : []), [item, museums, language, fallbacks]);
  const plinth = placement?.mount === "plinth" ? placement.plinth : undefined;
  const objectHeight = placement && item?.dimensions?.height ? (item.dimensions.height / 100) * placement.scale : 0.3;
  // Plinths and vitrines are drawn by the room's batches (one draw call each for the room).
  const standing = plinth !== undefined && item !== undefined && item.asset.kind !== "image";
  const plinthMesh = useRef<Mesh>(null);
  const vitrineMesh = useRef<Mesh>(null);
  const batched = useMirroredBox("plinths", plinthMesh, standing, [plinth?.width ?? 0, plinth?.height ?? 0, plinth?.depth ?? 0], plinth?.colour);
  useMirroredBox("vitrines", vitrineMesh, standing && plinth.vitrine === true, [(plinth?.width ?? 0) * 0.96, objectHeight + 0.12, (plinth?.depth ?? 0) * 0.96]);
  if (!placement || !item) return null;

  const motion = item.asset.kind === "motion" ? item.asset : null;
  const baseY = plinth ? plinth.height : placement.position[1];
  const scale = placement.scale / (item.asset.kind === "model" ? item.asset.unitsPerMeter : 1);
  const onClick = (e: ThreeEvent<MouseEvent>) => {
    if (press) press.id = null; // this click is handled here, whatever it was
    if (wasDrag(e)) return;
    e.stopPropagation();
    onArtefactClick(id, { point: e.point.clone(), modelPoint: modelSpacePoint(e.object, e.point), additive: e.nativeEvent.shiftKey });
  };
  const onOver = (e: ThreeEvent<PointerEvent>) => {
    e.stopPropagation();
    useLocalStore.getState().setHovered(id);
    document.body.style.cursor = "pointer";
  };
  const onOut = () => {
    if (useLocalStore.getState().hovered === id) useLocalStore.getState().setHovered(null);
    document.body.style.cursor = "";
  };

  if (item.asset.kind === "image")
    return (
      <group ref={groupRef} position={placement.position} rotation={placement.rotation} name={`placement:${id}`}>
        <group onClick={onClick} onPointerOver={onOver} onPointerOut={onOut} onPointerDown={(e) => press && fromScreen(e) && (press.id = id)}>
          <WallImage placementId={id} src={item.asset.src} size={imageSize(item, placement.scale)} />
        </group>
        <LabelCard lines={lines} position={[imageSize(item, placement.scale)[0] / 2 + 0.4, -0.3, 0.01]} />
      </group>
    );
  return (
    // The placement turns about the vertical (plinth, label and object together); a turn about x or z
    // tilts the object alone on its plinth (Euler order YXZ: yaw, then the tilt).
    <group ref={groupRef} position={[placement.position[0], 0, placement.position[2]]} rotation-y={placement.rotation[1]} name={`placement:${id}`}>
      {plinth && (
        <>
          <mesh position-y={plinth.height / 2} name="plinth" ref={plinthMesh} visible={!batched}>
            <boxGeometry args={[plinth.width, plinth.height, plinth.depth]} />
            <meshStandardMaterial color={plinth.colour} roughness={0.8} />
          </mesh>
          {plinth.vitrine && (
            // Glass never takes a click: the visitor is pointing at the object behind it.
            <mesh position-y={plinth.height + (objectHeight + 0.12) / 2} raycast={noRaycast} name="vitrine" renderOrder={2} ref={vitrineMesh} visible={!batched}>
              <boxGeometry args={[plinth.width * 0.96, objectHeight + 0.12, plinth.depth * 0.96]} />
              <meshStandardMaterial color="#e8f2f4" transparent opacity={0.12} roughness={0.05} metalness={0} depthWrite={false} />
            </mesh>
          )}
          {/* As wide as the plinth allows (up to 50 cm) and near its top, to be read from further away. */}
          {!motion && <LabelCard lines={lines} width={Math.min(0.5, plinth.width - 0.04)} height={0.24} position={[0, plinth.height - 0.15, plinth.depth / 2 + 0.004]} />}
        </>
      )}
      {!plinth && <LabelCard lines={lines} position={[0.45, 1.1, 0.05]} />}
      {motion && plinth && <LabelCard lines={lines} position={[plinth.width / 2 + 0.3, 1.0, plinth.depth / 2 - 0.2]} />}
      <group
        position-y={baseY}
        rotation={[placement.rotation[0], 0, placement.rotation[2]]}
        name="tilt"
        onClick={onClick}
        onPointerOver={onOver}
        onPointerOut={onOut}
        onPointerDown={(e) => {
          if (press && fromScreen(e)) press.id = id;
          if (grab && !motion) grab.down(id, e);
        }}
        onPointerMove={grab && !motion ? (e) => grab.move(id, e) : undefined}
        onPointerUp={grab && !motion ? (e) => grab.up(id, e) : undefined}
      >
        <ModelErrorBoundary
          fallback={<BrokenModel />}
          onError={(e) => useLocalStore.getState().modelProgress(url, { fraction: 1, status: "failed", error: e.message })}
        >
          <Suspense fallback={<LoadingGhost />}>
            {motion ? (
              <Performer placementId={id} asset={motion} scale={placement.scale} area={plinth ? [plinth.width, plinth.depth] : [2.4, 2.4]} />
            ) : (
            <ArtefactModel
              placementId={id}
              url={url}
              scale={scale}
              annotations={annotations}
              showPins={inspected}
              language={language}
              fallbacks={fallbacks}
            />
            )}
          </Suspense>
        </ModelErrorBoundary>
      </group>
    </group>
  );
}

function noRaycast(this: Object3D): void {}
