import { useFrame, useThree } from "@react-three/fiber";
import { XROrigin, useXRStore } from "@react-three/xr";
import { useEffect, useMemo, useRef } from "react";
import { BackSide, type Group, type Mesh, type MeshBasicMaterial } from "three";
import { useExhibition } from "../collab";
import type { ViewpointContext } from "../viewer/GalleryScene";
import { createGuideMove, useGuide } from "../viewer/guide";
import { useLocalStore } from "../state/local-store";
import { goToTourStep } from "../viewer/panels/TourPanel";
import type { ArtefactGrab } from "./artefact-grab";
import type { VRLocomotion } from "./vr-locomotion";
import { seatedLift, snapFromStick } from "./xr-logic";
import { useXRLocal } from "./xr-local-store";

/** Gamepad component ids of the xr-standard mapping and Quest/Pico face buttons. */
const THUMBSTICK = "xr-standard-thumbstick";

type Buttons = { a: boolean; b: boolean; x: boolean; y: boolean };

/**
 * The visitor in a headset: the play-space origin (moved only by their teleports, snap turns, and
 * tour steps they allowed), a fade shell for comfortable moves, seated height, and the controller
 * buttons (right A/B: next/previous tour step, left X: menu, left Y: close the label). Keeps the
 * walking rig in step with the head so leaving VR carries on from where the visitor stood.
 * Per frame it reads the head and controllers and writes a few numbers; it never sets React state.
 */
export function VRRig({ ctx, loco, grab, onMenu }: { ctx: ViewpointContext; loco: VRLocomotion; grab: ArtefactGrab; onMenu: () => void }) {
  const { rig, area, arrival, tourStep } = ctx;
  const gl = useThree((s) => s.gl);
  const store = useXRStore();
  const origin = useRef<Group>(null);
  const shell = useRef<Mesh>(null);
  const comfort = useXRLocal((s) => s.comfort);
  const tour = useExhibition((d) => d.tour);
  const guide = useGuide();
  const scratch = useMemo(
    () => ({
      head: { x: 0, y: 1.6, z: 0, yaw: 0 },
      world: { x: 0, z: 0, yaw: 0 },
      snap: { turn: 0, armed: true },
      pressed: { a: false, b: false, x: false, y: false } as Buttons,
      now: { a: false, b: false, x: false, y: false } as Buttons,
      guided: createGuideMove(),
    }),
    [],
  );
  loco.area = area;
  loco.comfortFade = comfort.fade;

  // Entering VR: stand where the visitor stood on screen. Entering a room: at its entrance.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      loco.place(rig.x, rig.z, rig.yaw);
    } else loco.place(arrival.x, arrival.z, arrival.yaw);
    grab.finish();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [arrival]);

  // A tour step moves the visitor to its viewpoint only if they allowed it (with the fade).
  useEffect(() => {
    // A guide's tour step (a class's teacher) moves every student (with the fade).
    const led = guide.leadsTour();
    if (!tourStep || !(useXRLocal.getState().comfort.tourMoves || led)) return;
    const [px, , pz] = tourStep.camera.position;
    const [tx, , tz] = tourStep.camera.target;
    loco.moveHeadTo(px, pz, Math.atan2(-(tx - px), -(tz - pz)), led);
  }, [tourStep, loco, guide]);

  // Seated: lift the view to a standing eye height, measured from the head when chosen.
  useEffect(() => {
    loco.setLift(seatedLift(loco.head.y, comfort.seated));
  }, [comfort.seated, loco]);

  // Leaving VR: the screen camera carries on from the head's place.
  useEffect(
    () => () => {
      rig.resume = true;
      grab.finish();
    },
    [rig, grab],
  );

  useFrame((_, rawDt) => {
    const dt = Math.min(rawDt, 0.1);
    const cam = gl.xr.getCamera();
    const e = cam.matrix.elements;
    const head = scratch.head;
    head.x = e[12]!;
    head.y = e[13]!;
    head.z = e[14]!;
    head.yaw = Math.atan2(e[8]!, e[10]!);
    loco.update(dt, head);

    // Controllers: snap turn on the right stick, face buttons for the tour and panels.
    const now = scratch.now;
    now.a = now.b = now.x = now.y = false;
    let stickX = 0;
    for (const s of store.getState().inputSourceStates) {
      if (s.type !== "controller") continue;
      const pad = s.gamepad;
      if (s.inputSource.handedness === "right") {
        stickX = pad[THUMBSTICK]?.xAxis ?? 0;
        now.a = pad["a-button"]?.state === "pressed";
        now.b = pad["b-button"]?.state === "pressed";
      } else if (s.inputSource.handedness === "left") {
        now.x = pad["x-button"]?.state === "pressed";
        now.y = pad["y-button"]?.state === "pressed";
      }
    }
    const snap = snapFromStick(stickX, scratch.snap.armed, useXRLocal.getState().comfort.snapDegrees, scratch.snap);
    if (snap.turn !== 0) loco.turn(snap.turn);
    const p = scratch.pressed;
    // A guided visitor's A/B do not step the tour: the guide does.
    if (now.a && !p.a && !guide.leadsTour()) stepTour(1);
    if (now.b && !p.b && !guide.leadsTour()) stepTour(-1);
    if (now.x && !p.x) onMenu();
    if (now.y && !p.y) useLocalStore.getState().walk();
    p.a = now.a;
    p.b = now.b;
    p.x = now.x;
    p.y = now.y;

    const o = origin.current;
    if (o) {
      o.position.set(loco.pose.x, loco.pose.y, loco.pose.z);
      o.rotation.set(0, loco.pose.yaw, 0);
    }
    const sh = shell.current;
    if (sh) {
      sh.visible = loco.fade > 0;
      (sh.material as MeshBasicMaterial).opacity = loco.fade;
      sh.position.set(head.x, head.y, head.z);
    }
    if (!loco.moving) followGuide();
    loco.headInWorld(scratch.world);
    rig.x = scratch.world.x;
    rig.z = scratch.world.z;
    rig.yaw = scratch.world.yaw;
    grab.update(dt);
  });

  /**
   * "Gather" and "follow me" in a headset: the guide says when and where to stand (see
   * `Guide.move`); the visitor is moved there with a fade, never turned (their head is theirs).
   */
  function followGuide() {
    loco.headInWorld(scratch.world);
    const g = guide.move(performance.now(), useLocalStore.getState().room ?? "", area, scratch.world, scratch.guided);
    if (g.kind === "stand") loco.moveHeadTo(g.x, g.z, null, true);
  }

  function stepTour(by: number) {
    const s = useLocalStore.getState();
    const index = s.mode === "tour" ? s.tourIndex + by : 0;
    const step = tour[index];
    if (step) goToTourStep(index, step.room);
  }

  return (
    <XROrigin ref={origin}>
      {/* The comfort fade: a dark shell around the head, drawn over everything while it fades. */}
      <mesh ref={shell} visible={false} renderOrder={10_000} raycast={() => {}} name="comfort-fade">
        <sphereGeometry args={[0.3, 16, 12]} />
        <meshBasicMaterial color="#000000" side={BackSide} transparent opacity={0} depthTest={false} depthWrite={false} />
      </mesh>
    </XROrigin>
  );
}
