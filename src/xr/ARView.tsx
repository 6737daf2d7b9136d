import { useFrame } from "@react-three/fiber";
import { XRDomOverlay, useXRHitTest, useXRInputSourceEvent, useXRStore } from "@react-three/xr";
import { use, useEffect, useMemo, useRef, useState } from "react";
import { Box3, Matrix4, Quaternion, Vector3, type Group, type Mesh } from "three";
import { useExhibition } from "../collab";
import { creditText, pickText, type Item } from "../shared/exhibition";
import { useT } from "../i18n/strings";
import { modelUrl } from "../shared/exhibition/tiers";
import { cachedGltf } from "../viewer/gltf-loading";
import { SceneProbe } from "../viewer/SceneProbe";
import { useLocalStore } from "../state/local-store";
import { formatDimensions } from "../viewer/panels/InspectPanel";
import { arState, rayYaw, TAP_TURN, TURN_GAIN } from "./ar-placement";
import { realScale } from "./xr-logic";
import { useXRLocal } from "./xr-local-store";
import { useTextFallbacks } from "../viewer/text-fallbacks";

/**
 * "View in AR" on a phone (or a passthrough headset): the chosen artefact, alone, placed on a
 * real surface found by hit-testing, at the size its record gives. Tap to place (again), drag
 * sideways to turn it; the label (title, size, credit line) is an HTML overlay, so it is read at
 * the phone's own text quality. The gallery room is not drawn: the real room is the background.
 */
export function ARView() {
  const placementId = useXRLocal((s) => s.arPlacement);
  const placement = useExhibition((d) => (placementId ? d.placements[placementId] : undefined));
  const item = useExhibition((d) => (placement ? d.items[placement.item] : undefined));
  const url = item ? modelUrl(item.asset, "low") : null;
  useEffect(() => {
    arState.placement = placementId;
    arState.placed = false;
    arState.surface = false;
  }, [placementId]);
  return (
    <>
      <ambientLight intensity={0.8} />
      <directionalLight position={[1, 3, 2]} intensity={1.6} />
      {item && url && item.asset.kind === "model" && <ARArtefact item={item} url={url} unitsPerMeter={item.asset.unitsPerMeter} />}
      {item && <AROverlay item={item} />}
      <SceneProbe ready bench={false} />
    </>
  );
}

function ARArtefact({ item, url, unitsPerMeter }: { item: Item; url: string; unitsPerMeter: number }) {
  const gltf = use(cachedGltf(url));
  const store = useXRStore();
  const holder = useRef<Group>(null);
  const reticle = useRef<Mesh>(null);
  const [placed, setPlaced] = useState(false);
  const { object, scale, offset, height } = useMemo(() => {
    const object = gltf.scene.clone(true);
    const box = new Box3().setFromObject(object);
    const size = box.getSize(new Vector3()).divideScalar(unitsPerMeter);
    const s = (realScale([size.x, size.y, size.z], item.dimensions) ?? 1) / unitsPerMeter;
    const c = box.getCenter(new Vector3());
    return { object, scale: s, offset: [-c.x, -box.min.y, -c.z] as [number, number, number], height: (box.max.y - box.min.y) * s };
  }, [gltf, item.dimensions, unitsPerMeter]);
  const scratch = useMemo(() => ({ m: new Matrix4(), p: new Vector3(), q: new Quaternion(), hit: new Vector3(), drag: null as null | { source: XRInputSource; start: number; startYaw: number; turned: number } }), []);

  useXRHitTest(
    (results, getWorldMatrix) => {
      const r = reticle.current;
      if (!r) return;
      const found = results.length > 0 && getWorldMatrix(scratch.m, results[0]!);
      r.visible = found;
      arState.surface = found;
      if (found) {
        scratch.hit.setFromMatrixPosition(scratch.m);
        r.position.copy(scratch.hit);
      }
    },
    "viewer",
  );

  const rayYawOf = (frame: XRFrame | undefined, source: XRInputSource): number | null => {
    const space = store.getState().originReferenceSpace;
    const pose = space && frame?.getPose(source.targetRaySpace, space);
    if (!pose) return null;
    const o = pose.transform.orientation;
    scratch.q.set(o.x, o.y, o.z, o.w);
    scratch.p.set(0, 0, -1).applyQuaternion(scratch.q);
    return rayYaw(scratch.p.x, scratch.p.z);
  };

  useXRInputSourceEvent(
    "all",
    "selectstart",
    (e) => {
      const yaw = rayYawOf(e.frame, e.inputSource);
      scratch.drag = { source: e.inputSource, start: yaw ?? 0, startYaw: arState.yaw, turned: 0 };
    },
    [],
  );
  useXRInputSourceEvent(
    "all",
    "selectend",
    (e) => {
      const drag = scratch.drag;
      scratch.drag = null;
      // A tap (no real turn) places the artefact where the reticle is.
      if (drag && Math.abs(drag.turned) > TAP_TURN && placed) return;
      const r = reticle.current;
      if (!r?.visible || !holder.current) return;
      holder.current.position.copy(r.position);
      // Face the viewer.
      const space = store.getState().originReferenceSpace;
      const viewer = space && e.frame.getViewerPose(space);
      if (viewer) {
        const v = viewer.transform.position;
        arState.yaw = Math.atan2(v.x - r.position.x, v.z - r.position.z);
      }
      holder.current.rotation.set(0, arState.yaw, 0);
      arState.placed = true;
      arState.position = [r.position.x, r.position.y, r.position.z];
      arState.scale = scale;
      arState.height = height;
      setPlaced(true);
    },
    [placed, scale, height],
  );

  useFrame((_s, _dt, frame?: XRFrame) => {
    const drag = scratch.drag;
    if (!drag || !placed || !holder.current) return;
    const yaw = rayYawOf(frame, drag.source);
    if (yaw === null) return;
    drag.turned = Math.atan2(Math.sin(yaw - drag.start), Math.cos(yaw - drag.start));
    if (Math.abs(drag.turned) <= TAP_TURN) return;
    arState.yaw = drag.startYaw + drag.turned * TURN_GAIN;
    holder.current.rotation.set(0, arState.yaw, 0);
  });

  return (
    <>
      <mesh ref={reticle} visible={false} rotation-x={-Math.PI / 2} name="ar-reticle">
        <ringGeometry args={[0.06, 0.08, 40]} />
        <meshBasicMaterial color="#ffffff" transparent opacity={0.85} />
      </mesh>
      <group ref={holder} visible={placed} name="ar-artefact">
        <group scale={scale}>
          <group position={offset}>
            <primitive object={object} />
          </group>
        </group>
      </group>
    </>
  );
}

/** The label over the camera view: title, real size, credit line, what to do, and leaving AR. */
function AROverlay({ item }: { item: Item }) {
  const t = useT();
  const store = useXRStore();
  const language = useLocalStore((s) => s.language);
  const fallbacks = useTextFallbacks();
  const museums = useExhibition((d) => d.meta.museums);
  const museum = museums.find((m) => m.id === item.institution);
  const [placed, setPlaced] = useState(false);
  useEffect(() => {
    const timer = setInterval(() => setPlaced(arState.placed), 250);
    return () => clearInterval(timer);
  }, []);
  const size = formatDimensions(item.dimensions);
  return (
    <XRDomOverlay className="ar-overlay">
      <div className="ar-label" lang={language}>
        <strong>{pickText(item.title, language, fallbacks)}</strong>
        {size && (
          <span>
            {t("arRealSize")}: {size}
          </span>
        )}
        <small>{creditText(item, museum, language)}</small>
      </div>
      <p className="ar-hint">{placed ? t("arRotateHint") : t("arPlaceHint")}</p>
      <button className="ar-exit" onClick={() => void store.getState().session?.end()}>
        {t("exitAR")}
      </button>
    </XRDomOverlay>
  );
}
