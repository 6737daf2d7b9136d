import type { ThreeEvent } from "@react-three/fiber";
import { XR, useXR } from "@react-three/xr";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import type { Object3D, Quaternion, Vector3 } from "three";
import { ArtefactGrabContext, type ArtefactGrabHandlers } from "../viewer/artefact-interaction";
import { artefactObjects } from "../viewer/artefact-registry";
import type { GalleryProps } from "../viewer/extension";
import { useGuide } from "../viewer/guide";
import { GalleryScene, type ViewpointContext } from "../viewer/GalleryScene";
import { useLocalStore } from "../state/local-store";
import { ArtefactGrab } from "./artefact-grab";
import { ARView } from "./ARView";
import { VRLocomotion } from "./vr-locomotion";
import { VRHoverRing, VRLabelPanel, VRMenu, VRTourPanel } from "./VRPanels";
import { VRRig } from "./VRRig";
import { installXRProbe } from "./xr-probe";
import { xrStore } from "./xr-store";

/** The pose a pmndrs XR pointer event carries (controllers and hands), absent on screen events. */
type XRPointerEvent = ThreeEvent<PointerEvent> & { pointerPosition: Vector3; pointerQuaternion: Quaternion; pointerType: string };
const isGrabPointer = (e: ThreeEvent<PointerEvent>): e is XRPointerEvent => "pointerPosition" in e && (e as XRPointerEvent).pointerType === "grab";

/** Grab handlers for the artefacts, fed by grab pointers only (rays select, they do not carry). */
function grabHandlers(grab: ArtefactGrab): ArtefactGrabHandlers {
  return {
    down(id, e) {
      if (!isGrabPointer(e)) return;
      const object = artefactObjects.get(id);
      if (!object) return;
      e.stopPropagation();
      // Keep receiving this pointer's moves while it holds the artefact, wherever it goes.
      (e.target as unknown as Object3D & { setPointerCapture(id: number): void }).setPointerCapture(e.pointerId);
      grab.down(id, object, e.pointerId, e.pointerPosition, e.pointerQuaternion);
    },
    move(_id, e) {
      if (isGrabPointer(e)) grab.move(e.pointerId, e.pointerPosition, e.pointerQuaternion);
    },
    up(_id, e) {
      if (isGrabPointer(e)) grab.up(e.pointerId);
    },
  };
}

/** Mirrors the XR session mode into the local store, so screen UI and the scene can follow it. */
function SessionMirror() {
  const mode = useXR((s) => s.mode);
  useEffect(() => {
    useLocalStore.getState().setImmersive(mode === "immersive-vr" ? "vr" : mode === "immersive-ar" ? "ar" : null);
    return () => useLocalStore.getState().setImmersive(null);
  }, [mode]);
  return null;
}

/** Everything in the 3D scene inside the app's XR store, so a headset session can start from any room. */
export function XRSceneWrapper({ children }: { children: ReactNode }) {
  const store = xrStore();
  return (
    <XR store={store}>
      <SessionMirror />
      {children}
    </XR>
  );
}

/**
 * The gallery for screens and headsets alike: the same room. In VR a floor point selected with
 * the ray is a teleport, the VR rig drives the view, artefacts can be held, and labels, the tour
 * and the menu are panels in the room. In AR (a phone) only the chosen artefact is shown, placed
 * on a real surface at its real size. VR-only parts render only in a VR session.
 */
export function ImmersiveGallery({ roomId, quality, bench }: GalleryProps) {
  const immersive = useLocalStore((s) => s.immersive);
  const mode = useLocalStore((s) => s.mode);
  const selected = useLocalStore((s) => s.selected);
  const loco = useMemo(() => new VRLocomotion(), []);
  const grab = useMemo(() => new ArtefactGrab(), []);
  const handlers = useMemo(() => grabHandlers(grab), [grab]);
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => installXRProbe({ loco, grab }), [grab, loco]);
  // A guided visitor (a class student whose teacher locked moving or leads) does not teleport.
  const guide = useGuide();
  const teleport = useMemo(() => (x: number, z: number) => void (guide.mayMove() ? loco.teleport(x, 0, z) : null), [loco, guide]);
  const vr = immersive === "vr";
  const renderViewpoint = useMemo(
    () => (vr ? (ctx: ViewpointContext) => <VRRig ctx={ctx} loco={loco} grab={grab} onMenu={() => setMenuOpen((o) => !o)} /> : undefined),
    [vr, loco, grab],
  );
  if (immersive === "ar") return <ARView />;
  return (
    <ArtefactGrabContext.Provider value={vr ? handlers : null}>
      <GalleryScene roomId={roomId} quality={quality} bench={bench} renderViewpoint={renderViewpoint} onFloorPoint={vr ? teleport : undefined} />
      {vr && (
        <>
          <VRHoverRing />
          {mode === "inspect" && selected && <VRLabelPanel key={selected} placementId={selected} loco={loco} />}
          {mode === "tour" && <VRTourPanel loco={loco} />}
          <VRMenu loco={loco} open={menuOpen} onToggle={() => setMenuOpen((o) => !o)} />
        </>
      )}
    </ArtefactGrabContext.Provider>
  );
}
