import { OrbitControls } from "@react-three/drei";
import { useFrame, useThree } from "@react-three/fiber";
import { useEffect, useMemo, useRef, useState } from "react";
import { Box3, Euler, Matrix4, Quaternion, Sphere, Vector3, type PerspectiveCamera } from "three";
import type { TourStep } from "../shared/exhibition";
import { artefactObjects } from "./artefact-registry";
import type { Doorway } from "./room-layout";
import { fovForAspect } from "./view-fov";
import { createGuideMove, useGuide } from "./guide";
import { useLocalStore } from "../state/local-store";
import { reducedMotion, usePreferences } from "../state/preferences";
import { EYE_HEIGHT, walkFrame, walkStep, type MoveResult, type WalkArea, type WalkerInput } from "./walk-physics";
import { attachWalkInput, keyAxes } from "./walk-input";
import { frameRest } from "./frame-rest";

const LOOK_SPEED = 0.0042;
const TRANSITION_SECONDS = 0.9;

/** The walking visitor: where they stand and look. Mutated in the frame loop, never React state. */
export interface VisitorRig {
  x: number;
  z: number;
  yaw: number;
  pitch: number;
  /** A floor point the visitor asked to walk to (tap or click on the floor). */
  walkTo: { x: number; z: number } | null;
  /** Set by the VR rig on leaving a headset session: carry on from where the visitor stood. */
  resume: boolean;
}

export function createRig(): VisitorRig {
  return { x: 0, z: 0, yaw: 0, pitch: 0, walkTo: null, resume: false };
}

/** How far down a visitor arriving in a room looks (rad): a little, towards the plinths. */
export const ARRIVAL_PITCH = -0.08;

const smoothstep = (t: number) => t * t * (3 - 2 * t);

/**
 * Drives the camera in the three view modes: walking (keys, drag, pinch, tap-to-walk, with
 * collision and doorways), inspecting an artefact (a smooth move, then orbit and zoom around it),
 * and the tour (a smooth move to each step's pose). All per-frame work uses scratch objects.
 * `document.body.dataset.camera` is "moving" during a transition and "still" after it.
 */
export function CameraDirector({
  rig,
  area,
  arrival,
  tourStep,
  onDoorway,
}: {
  rig: VisitorRig;
  area: WalkArea;
  /** The pose to stand at when this room is entered; changes identity on every room entry. */
  arrival: { x: number; z: number; yaw: number };
  tourStep: TourStep | null;
  onDoorway: (way: Doorway) => void;
}) {
  const camera = useThree((s) => s.camera) as PerspectiveCamera;
  const canvas = useThree((s) => s.gl.domElement);
  const [orbitTarget, setOrbitTarget] = useState<{ target: Vector3; distance: number } | null>(null);
  const scratch = useMemo(
    () => ({
      euler: new Euler(0, 0, 0, "YXZ"),
      m: new Matrix4(),
      v: new Vector3(),
      up: new Vector3(0, 1, 0),
      box: new Box3(),
      sphere: new Sphere(),
      move: { x: 0, z: 0, through: null } as MoveResult,
      axes: { forward: 0, strafe: 0, turn: 0, fast: false },
      walker: { forward: 0, strafe: 0, turn: 0, fast: false, push: 0, dragging: false } as WalkerInput,
      anim: { active: false, t: 0, fromP: new Vector3(), fromQ: new Quaternion(), toP: new Vector3(), toQ: new Quaternion() },
      guided: createGuideMove(),
      before: { p: new Vector3(), q: new Quaternion() },
    }),
    [],
  );
  const guide = useGuide();
  const input = useRef<ReturnType<typeof attachWalkInput>["input"] | null>(null);
  useEffect(() => {
    const attached = attachWalkInput(canvas);
    input.current = attached.input;
    return attached.dispose;
  }, [canvas]);

  const mode = useLocalStore((s) => s.mode);
  const selected = useLocalStore((s) => s.selected);
  const size = useThree((s) => s.size);

  // Keep the inspected object clear of the inspect panel: on a narrow screen the panel is a
  // bottom sheet, so shift the picture up; on a wide one it is on the right (min(400 px, 42 vw)
  // plus its 16 px margin, see styles.css), so shift the picture left by half of that.
  // A portrait phone gets a taller view, so that it still sees the room's width (one rule, view-fov.ts).
  useEffect(() => {
    const fov = fovForAspect(size.width / size.height);
    if (camera.fov !== fov) {
      camera.fov = fov;
      camera.updateProjectionMatrix();
    }
  }, [size.width, size.height, camera]);

  // With the text version open on the left too, centre the picture between the two panels.
  const textOpen = usePreferences((s) => s.textVersion);
  useEffect(() => {
    if (mode !== "inspect") camera.clearViewOffset();
    else if (size.width <= 640) camera.setViewOffset(size.width, size.height, 0, size.height * 0.24, size.width, size.height);
    else {
      const right = Math.min(400, size.width * 0.42) + 16;
      const left = textOpen ? Math.min(400, size.width * 0.92) + 16 : 0;
      camera.setViewOffset(size.width, size.height, (right - left) / 2, 0, size.width, size.height);
    }
    return () => camera.clearViewOffset();
  }, [mode, size.width, size.height, camera, textOpen]);

  const animateTo = (position: Vector3, quaternion: Quaternion) => {
    const a = scratch.anim;
    a.fromP.copy(camera.position);
    a.fromQ.copy(camera.quaternion);
    a.toP.copy(position);
    a.toQ.copy(quaternion);
    // Reduced motion: a cut (the first frame lands on the pose), never a glide.
    a.t = reducedMotion() ? 1 : 0;
    a.active = true;
    document.body.dataset.camera = "moving";
  };
  const rigPose = (outP: Vector3, outQ: Quaternion) => {
    outP.set(rig.x, EYE_HEIGHT, rig.z);
    outQ.setFromEuler(scratch.euler.set(rig.pitch, rig.yaw, 0, "YXZ"));
  };

  // Entering a room: stand at its entrance (a cut, like walking through a door). Back from VR,
  // stand where the headset stood instead.
  useEffect(() => {
    if (rig.resume) rig.resume = false;
    else {
      rig.x = arrival.x;
      rig.z = arrival.z;
      rig.yaw = arrival.yaw;
    }
    rig.pitch = ARRIVAL_PITCH;
    rig.walkTo = null;
    scratch.anim.active = false;
    document.body.dataset.camera = "still";
    rigPose(camera.position, camera.quaternion);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [arrival]);

  /** Starts the move to a close-up of artefact `id`; false when its model is not in the scene yet. */
  const frameArtefact = (id: string): boolean => {
    const object = artefactObjects.get(id);
    if (!object) return false;
    scratch.box.setFromObject(object).getBoundingSphere(scratch.sphere);
    const radius = Math.max(0.05, scratch.sphere.radius);
    // Fit the sphere in the narrower of the two fields of view (portrait phones are narrow).
    const vHalf = (camera.fov * Math.PI) / 360;
    const hHalf = Math.atan(Math.tan(vHalf) * camera.aspect);
    const distance = (radius / Math.sin(Math.min(vHalf, hHalf))) * 1.15;
    const centre = scratch.sphere.center.clone();
    // Approach from where the visitor stands, a little from above.
    const dir = new Vector3(camera.position.x - centre.x, 0, camera.position.z - centre.z);
    if (dir.lengthSq() < 1e-6) dir.set(0, 0, 1);
    dir.normalize().multiplyScalar(Math.cos(0.35)).setY(Math.sin(0.35));
    const p = centre.clone().addScaledVector(dir, distance);
    const q = new Quaternion().setFromRotationMatrix(scratch.m.lookAt(p, centre, scratch.up));
    animateTo(p, q);
    orbitPending.current = { target: centre, distance };
    return true;
  };
  const waitingFor = useRef<string | null>(null);

  // Mode changes start a smooth camera move.
  useEffect(() => {
    setOrbitTarget(null);
    waitingFor.current = null;
    if (mode === "tour" && tourStep) {
      const { position, target } = tourStep.camera;
      const p = new Vector3(...position);
      const q = new Quaternion().setFromRotationMatrix(scratch.m.lookAt(p, new Vector3(...target), scratch.up));
      animateTo(p, q);
    } else if (mode === "inspect" && selected) {
      // Chosen from the text version of another room: frame it once its model is in the scene.
      if (!frameArtefact(selected)) waitingFor.current = selected;
    } else if (mode === "walk") {
      const p = new Vector3();
      const q = new Quaternion();
      rigPose(p, q);
      animateTo(p, q);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mode, selected, tourStep]);
  const orbitPending = useRef<{ target: Vector3; distance: number } | null>(null);

  useFrame((_, rawDt) => {
    // The view rests while the camera stands still (frame-rest.ts): keep it drawing while this
    // frame moved the camera, a glide runs, a model is awaited or a walking key is held.
    const before = scratch.before;
    before.p.copy(camera.position);
    before.q.copy(camera.quaternion);
    const held = step(rawDt);
    if (held || scratch.anim.active || waitingFor.current || rig.walkTo || before.p.distanceToSquared(camera.position) > 1e-10 || Math.abs(before.q.dot(camera.quaternion)) < 1 - 1e-9) frameRest.keepAwake();
  });

  /** One frame of the camera; true while the visitor asks to move (keys, drag, wheel), even where they may not. */
  function step(rawDt: number): boolean {
    const dt = Math.min(rawDt, 0.1);
    const a = scratch.anim;
    const inp = input.current;
    const currentMode = useLocalStore.getState().mode;
    const axes = inp ? keyAxes(inp.keys, scratch.axes) : scratch.axes;
    const wantsToMove = !!inp && (axes.forward !== 0 || axes.strafe !== 0 || Math.abs(inp.push) > 0.01);
    if (waitingFor.current && currentMode === "inspect" && frameArtefact(waitingFor.current)) waitingFor.current = null;

    // Guided (a class): "follow me" drives the view; "gather" brings the visitor over.
    if (followGuide(currentMode)) return wantsToMove;
    if (document.body.dataset.camera === "following") document.body.dataset.camera = "still";
    const locked = !guide.mayMove();
    if (locked && inp) {
      // Locked: look around, but no walking (keys, wheel, taps on the floor).
      axes.forward = axes.strafe = 0;
      inp.push = 0;
      rig.walkTo = null;
    }

    if (currentMode === "tour" && wantsToMove && !locked) {
      // The visitor takes over from the tour: keep walking from the tour's viewpoint.
      takeRigFromCamera();
      a.active = false;
      useLocalStore.getState().walk();
      return true;
    }
    if (a.active) {
      a.t = Math.min(1, a.t + dt / TRANSITION_SECONDS);
      const s = smoothstep(a.t);
      camera.position.lerpVectors(a.fromP, a.toP, s);
      camera.quaternion.slerpQuaternions(a.fromQ, a.toQ, s);
      if (inp) {
        inp.lookX = inp.lookY = 0;
        inp.push = 0;
      }
      if (a.t >= 1) {
        a.active = false;
        document.body.dataset.camera = "still";
        if (currentMode === "inspect" && orbitPending.current) {
          setOrbitTarget(orbitPending.current);
          orbitPending.current = null;
        }
      }
      return wantsToMove;
    }
    if (currentMode !== "walk" || !inp) {
      // Drags and wheel turns belong to the orbit view here; don't replay them on return.
      if (inp) inp.lookX = inp.lookY = inp.push = 0;
      return wantsToMove;
    }

    rig.yaw -= inp.lookX * LOOK_SPEED;
    rig.pitch = Math.max(-1.2, Math.min(1.2, rig.pitch - inp.lookY * LOOK_SPEED));
    inp.lookX = inp.lookY = 0;

    // Metres per second at any frame rate (walk-physics.ts).
    const w = scratch.walker;
    w.forward = axes.forward;
    w.strafe = axes.strafe;
    w.turn = axes.turn;
    w.fast = axes.fast;
    w.push = inp.push;
    w.dragging = inp.dragging;
    const through = walkFrame(area, rig, w, rawDt, scratch.move);
    inp.push = w.push;
    if (through) {
      onDoorway(through);
      return true;
    }
    camera.position.set(rig.x, EYE_HEIGHT, rig.z);
    camera.quaternion.setFromEuler(scratch.euler.set(rig.pitch, rig.yaw, 0, "YXZ"));
    return wantsToMove;
  }

  /** Applies what the guide asks (its view, or a spot to stand at); true when it drove the camera this frame. */
  function followGuide(currentMode: string): boolean {
    const g = guide.move(performance.now(), useLocalStore.getState().room ?? "", area, null, scratch.guided);
    if (g.kind === "view") {
      camera.position.set(g.p[0], g.p[1], g.p[2]);
      camera.quaternion.set(g.q[0], g.q[1], g.q[2], g.q[3]);
      scratch.anim.active = false;
      // Written once, not every frame: an attribute write queues mutation records even unchanged.
      if (document.body.dataset.camera !== "following") document.body.dataset.camera = "following";
      // Free roam later carries on from the guide's place.
      takeRigFromCamera();
      if (input.current) input.current.lookX = input.current.lookY = input.current.push = 0;
      return true;
    }
    if (g.kind === "stand") {
      rig.x = g.x;
      rig.z = g.z;
      rig.yaw = g.yaw;
      rig.pitch = -0.08;
      rig.walkTo = null;
      if (currentMode !== "walk") useLocalStore.getState().walk();
      rigPose(scratch.anim.toP, scratch.anim.toQ);
      animateTo(scratch.anim.toP, scratch.anim.toQ);
      return true;
    }
    return false;
  }

  function takeRigFromCamera() {
    scratch.euler.setFromQuaternion(camera.quaternion, "YXZ");
    rig.yaw = scratch.euler.y;
    rig.pitch = Math.max(-1.2, Math.min(1.2, scratch.euler.x));
    const r = walkStep(area, camera.position.x, camera.position.z, 0, 0, scratch.move);
    rig.x = r.x;
    rig.z = r.z;
    rig.walkTo = null;
  }

  if (mode !== "inspect" || !orbitTarget) return null;
  return (
    <OrbitControls
      target={orbitTarget.target}
      enablePan={false}
      enableDamping
      minDistance={orbitTarget.distance * 0.35}
      maxDistance={orbitTarget.distance * 2.5}
      maxPolarAngle={Math.PI * 0.9}
    />
  );
}
