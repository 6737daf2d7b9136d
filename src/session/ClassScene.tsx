import { useFrame, useThree } from "@react-three/fiber";
import { useEffect, useMemo, useRef } from "react";
import { AdditiveBlending, Box3, DoubleSide, Quaternion, Vector3, type Group, type Mesh } from "three";
import { artefactObjects } from "../viewer/artefact-registry";
import { probeExtensions } from "../viewer/SceneProbe";
import { drawLabel, labelTexture } from "../viewer/label-texture";
import { useT } from "../i18n/strings";
import { useLocalStore } from "../state/local-store";
import { STUDENT_POSE_HZ, TEACHER_POSE_HZ } from "../shared/class-protocol";
import { yawOf } from "./class-moves";
import { leadsClass } from "../shared/class-groups";
import { useClassStore } from "./class-store";
import { useClassGuide, type ClassGuide } from "./class-guide";
import { useClassChannel, type ClassChannel } from "./class-channel";

/**
 * The class in the 3D room: the teacher's page sends where the teacher looks from (10 Hz, only
 * when it changed, plus a keep-alive); a student's page shows the teacher as a figure (unless
 * following, when the student sees through the teacher's eyes), reports movement for "idle", and
 * where it stands while the teacher's map is open. Everyone sees the highlighted object.
 */
export function ClassScene() {
  const classGuide = useClassGuide();
  const channel = useClassChannel();
  useEffect(() => {
    probeExtensions.classState = () => classProbe(classGuide, channel);
    return () => void delete probeExtensions.classState;
  }, [classGuide, channel]);
  const role = useClassStore((s) => s.role);
  const ended = useClassStore((s) => s.state?.ended ?? true);
  const mode = useClassStore((s) => s.state?.mode);
  const highlight = useClassStore((s) => s.state?.highlight ?? null);
  // A student presenting their group's show leads the class as the teacher does.
  const leading = useClassStore((s) => !!s.me && !!s.state && leadsClass(s.state, s.me.id));
  if (!role || ended) return null;
  return (
    <>
      {role === "teacher" ? <LeaderBeacon kind="pose" /> : <StudentSensors />}
      {leading && <LeaderBeacon kind="lead" />}
      {role === "student" && mode !== "follow" && !leading && <TeacherFigure />}
      {highlight && <ClassHighlight placement={highlight} />}
    </>
  );
}

/** Reads the viewer's eye (the headset's when presenting) into p/q. */
function useEye() {
  const gl = useThree((s) => s.gl);
  const camera = useThree((s) => s.camera);
  const scratch = useMemo(() => ({ p: new Vector3(), q: new Quaternion(), s: new Vector3() }), []);
  return () => {
    const m = gl.xr.isPresenting ? gl.xr.getCamera().matrixWorld : camera.matrixWorld;
    m.decompose(scratch.p, scratch.q, scratch.s);
    return scratch;
  };
}

const round = (v: number, step: number) => Math.round(v / step) * step;

/**
 * The leader's pose, sent at up to TEACHER_POSE_HZ when it changed, and at least every second the view draws: the
 * teacher's (`pose`), or the presenting student's (`lead`; the server takes it only from them).
 */
function LeaderBeacon({ kind }: { kind: "pose" | "lead" }) {
  const sendToClass = useClassChannel().send;
  const eye = useEye();
  // Wall-clock times (ms), not the frames' time: a view at rest (frame-rest.ts) draws one frame
  // every two seconds with almost no frame time between, and the keep-alive must still go then.
  const last = useMemo(() => ({ p: new Vector3(1e9, 0, 0), q: new Quaternion(), checked: -Infinity, sent: -Infinity }), []);
  useFrame(() => {
    const now = performance.now();
    if (now - last.checked < 1000 / TEACHER_POSE_HZ) return;
    last.checked = now;
    const { p, q } = eye();
    const moved = p.distanceToSquared(last.p) > 1e-5 || Math.abs(q.dot(last.q)) < 0.99999;
    if (!moved && now - last.sent < 1000) return;
    last.p.copy(p);
    last.q.copy(q);
    last.sent = now;
    const room = useLocalStore.getState().room;
    if (!room) return;
    sendToClass({ t: kind, pose: { room, p: [round(p.x, 1e-3), round(p.y, 1e-3), round(p.z, 1e-3)], q: [round(q.x, 1e-4), round(q.y, 1e-4), round(q.z, 1e-4), round(q.w, 1e-4)] } });
  });
  return null;
}

/** A student's movement (for "idle"), frame count (for the frame rate) and, when asked, position. */
function StudentSensors() {
  const classGuide = useClassGuide();
  const { send: sendToClass, activity: classActivity } = useClassChannel();
  const eye = useEye();
  const watch = useClassStore((s) => s.watch);
  // Wall-clock times (ms), as the leader's beacon: a view at rest draws one frame every two seconds.
  const last = useMemo(() => ({ p: new Vector3(), q: new Quaternion(), check: -Infinity, where: -Infinity }), []);
  useFrame(() => {
    classActivity.frames++;
    const now = performance.now();
    if (now - last.check < 250) return;
    last.check = now;
    const { p, q } = eye();
    // The student moved or looked around (not the teacher's "follow me" moving them).
    const moved = p.distanceToSquared(last.p) > 4e-4 || Math.abs(q.dot(last.q)) < 0.9998;
    if (moved && (!classGuide.follow || useLocalStore.getState().immersive === "vr")) classActivity.last = performance.now();
    last.p.copy(p);
    last.q.copy(q);
    if (watch && now - last.where >= 1000 / STUDENT_POSE_HZ) {
      last.where = now;
      const room = useLocalStore.getState().room;
      if (room) sendToClass({ t: "where", room, x: round(p.x, 0.01), z: round(p.z, 0.01) });
    }
  });
  return null;
}

/** Closer than this (metres, on the floor) the teacher's figure is hidden: it would be inside the student's head. */
const FIGURE_CLEARANCE = 0.45;

/** The teacher as students see them: a figure at the teacher's place, facing the teacher's way. */
function TeacherFigure() {
  const classGuide = useClassGuide();
  const t = useT();
  const group = useRef<Group>(null);
  const room = useLocalStore((s) => s.room);
  // Whoever leads: the teacher, or the group presenting its show (students know groups by name, not each other).
  const leader = useClassStore((s) => {
    const p = s.state?.presenting;
    const group = p?.seat ? s.state?.groups?.find((g) => g.id === p.group) : undefined;
    return group ? group.name : `${t("teacher")} · ${s.state?.teacher ?? ""}`;
  });
  const label = useMemo(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 512;
    canvas.height = 128;
    drawLabel(canvas, [{ text: leader, size: 150, weight: 700, colour: "#ffffff" }], "#b5441a", 0.3);
    return labelTexture(canvas);
  }, [leader]);
  useEffect(() => () => label.dispose(), [label]);
  const sample = useMemo(() => ({ p: [0, 0, 0], q: [0, 0, 0, 1], room: "" }), []);
  const eye = useEye();
  useFrame(() => {
    const g = group.current;
    if (!g) return;
    const ok = classGuide.teacher.sample(performance.now(), sample);
    g.visible = ok && sample.room === room;
    figureShown.shown = g.visible;
    if (!g.visible) return;
    // Not drawn when it would stand in the student's own head: both arrive at the room's entrance,
    // and from inside, the figure's back faces and its eye bar filled the student's view.
    const { p } = eye();
    const dx = p.x - sample.p[0]!;
    const dz = p.z - sample.p[2]!;
    figureShown.shown = dx * dx + dz * dz >= FIGURE_CLEARANCE * FIGURE_CLEARANCE;
    if (!figureShown.shown) {
      g.visible = false;
      return;
    }
    g.position.set(sample.p[0]!, 0, sample.p[2]!);
    g.rotation.set(0, yawOf(sample.q), 0);
  });
  useEffect(() => () => void (figureShown.shown = false), []);
  return (
    <group ref={group} name="class-teacher" visible={false}>
      <mesh position={[0, 0.8, 0]} raycast={() => {}}>
        <capsuleGeometry args={[0.2, 0.9, 4, 12]} />
        <meshStandardMaterial color="#b5441a" roughness={0.7} />
      </mesh>
      <mesh position={[0, 1.52, 0]} raycast={() => {}}>
        <sphereGeometry args={[0.14, 16, 12]} />
        <meshStandardMaterial color="#f1d3b3" roughness={0.8} />
      </mesh>
      {/* The way the teacher looks. */}
      <mesh position={[0, 1.54, -0.14]} raycast={() => {}}>
        <boxGeometry args={[0.16, 0.05, 0.04]} />
        <meshBasicMaterial color="#1b1a18" />
      </mesh>
      {/* Just above the head: higher, it sat under the class bar at the top of a student's screen. */}
      <sprite position={[0, 1.82, 0]} scale={[0.64, 0.16, 1]} raycast={() => {}}>
        <spriteMaterial map={label} toneMapped={false} />
      </sprite>
    </group>
  );
}

const box = new Box3();

/**
 * The highlighted object: a soft beam of light from the ceiling, a ring at its foot and a pointer
 * bobbing above it, the same for everyone. Drawn with three unlit meshes rather than a spotlight:
 * adding a light recompiles every material's shader (a stall on phones and headsets) and costs a
 * light in the budget of every draw.
 */
function ClassHighlight({ placement }: { placement: string }) {
  const models = useLocalStore((s) => s.models);
  const pointer = useRef<Mesh>(null);
  const spot = useMemo(() => {
    const object = artefactObjects.get(placement);
    if (!object) return null;
    box.setFromObject(object);
    if (box.isEmpty()) return null;
    const c = box.getCenter(new Vector3());
    const size = box.getSize(new Vector3());
    return { x: c.x, z: c.z, base: box.min.y, top: box.max.y, radius: Math.max(size.x, size.z) / 2 + 0.08 };
    // The box is known once the model has loaded.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [placement, models]);
  const clock = useRef(0);
  useFrame((_, dt) => {
    clock.current += dt;
    if (pointer.current && spot) pointer.current.position.y = spot.top + 0.22 + Math.sin(clock.current * 3) * 0.04;
  });
  useEffect(() => {
    highlightShown.placement = spot ? placement : null;
    return () => void (highlightShown.placement = null);
  }, [spot, placement]);
  if (!spot) return null;
  const beamHeight = 3.2 - spot.base;
  return (
    <group name="class-highlight" userData={{ placement }}>
      <mesh position={[spot.x, spot.base + beamHeight / 2, spot.z]} raycast={() => {}} renderOrder={5}>
        <cylinderGeometry args={[spot.radius * 0.5, spot.radius * 1.15, beamHeight, 32, 1, true]} />
        <meshBasicMaterial color="#ffe3a3" transparent opacity={0.12} blending={AdditiveBlending} depthWrite={false} side={DoubleSide} toneMapped={false} />
      </mesh>
      <mesh position={[spot.x, spot.base + 0.005, spot.z]} rotation-x={-Math.PI / 2} raycast={() => {}}>
        <ringGeometry args={[spot.radius, spot.radius + 0.03, 48]} />
        <meshBasicMaterial color="#ffc94d" toneMapped={false} />
      </mesh>
      <mesh ref={pointer} position={[spot.x, spot.top + 0.22, spot.z]} rotation-x={Math.PI} raycast={() => {}}>
        <coneGeometry args={[0.06, 0.16, 16]} />
        <meshBasicMaterial color="#ffb000" toneMapped={false} />
      </mesh>
    </group>
  );
}

/** What `window.atrium.classState()` reports, for tests and support. */
function classProbe(classGuide: ClassGuide, channel: ClassChannel) {
  const s = useClassStore.getState();
  const teacher = { p: [0, 0, 0], q: [0, 0, 0, 1], room: "" };
  const hasTeacher = classGuide.teacher.sample(performance.now(), teacher);
  return {
    role: s.role,
    link: s.link,
    me: s.me,
    state: s.state,
    roster: s.roster,
    handRaised: s.handRaised,
    /** The answer the server keeps for this student (its "answered" reply), or null. */
    myAnswer: s.myAnswer,
    closedReason: s.closedReason,
    watch: s.watch,
    guide: { follow: classGuide.follow, locked: classGuide.locked, gather: classGuide.gather, gatherDone: classGuide.gatherDone, slot: classGuide.slot, spot: [classGuide.spot.x, classGuide.spot.z], leading: classGuide.leading },
    /** The teacher's pose as this student shows it now (interpolated), or null. */
    teacher: hasTeacher ? teacher : null,
    poses: classGuide.teacher.version,
    frames: channel.activity.frames,
    highlightShown: highlightShown.placement,
    /** Whether this student's page draws the teacher's figure now. */
    teacherFigure: figureShown.shown,
  };
}

/** The highlight drawn in this page's scene (for the probe). */
const highlightShown = { placement: null as string | null };

/** Whether the teacher's figure is drawn in this page's scene (for the probe). */
const figureShown = { shown: false };
