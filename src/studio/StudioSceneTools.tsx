import { Html, TransformControls } from "@react-three/drei";
import { useThree } from "@react-three/fiber";
import { useEffect, useMemo, useRef, useState } from "react";
import { Box3, Color, Euler, Plane, Quaternion, Raycaster, Sphere, Vector2, Vector3, type Group, type Object3D, type PerspectiveCamera } from "three";
import { useExhibition } from "../collab";
import { freeTemplateSpots, type Placement, type Vec3 } from "../shared/exhibition";
import { clampScale, snapToNeighbours, turnAbout } from "../shared/exhibition/arranging";
import { artefactObjects, placementObjects } from "../viewer/artefact-registry";
import { isMirrored } from "../viewer/Batched";
import { panoramaJpeg, renderPanorama } from "../viewer/panorama";
import { useLocalStore } from "../state/local-store";
import { pointerOwner } from "../viewer/walk-input";
import { ARRIVAL_PITCH } from "../viewer/CameraDirector";
import { EYE_HEIGHT } from "../viewer/walk-physics";
import { reportRefusal, usePeers } from "./studio-hooks";
import { useStudio } from "./studio-context";
import { useStudioStore } from "./studio-store";

const FLOOR = new Plane(new Vector3(0, 1, 0), 0);
/** The top of a ghost plinth (1 m): a drop seen on it lands on its spot. */
const GHOST_TOP = new Plane(new Vector3(0, 1, 0), -1);

/** The placement group of `id` once it is in the scene (it appears when its room is shown). */
function usePlacementObject(id: string | null): Object3D | null {
  const [object, setObject] = useState<Object3D | null>(null);
  const record = useExhibition((d) => (id ? d.placements[id] : undefined));
  const models = useLocalStore((s) => s.models);
  useEffect(() => {
    if (!id) return setObject(null);
    let frame = 0;
    const find = () => {
      const o = placementObjects.get(id) ?? null;
      setObject(o);
      if (!o) frame = requestAnimationFrame(find);
    };
    find();
    return () => cancelAnimationFrame(frame);
  }, [id, record, models]);
  return object;
}

/** A box around a placement, in a person's colour, with their name over it for others. */
function SelectionBox({ id, colour, label }: { id: string; colour: string; label?: string }) {
  const object = usePlacementObject(id);
  const record = useExhibition((d) => d.placements[id]);
  const models = useLocalStore((s) => s.models);
  const [box, setBox] = useState<Box3 | null>(null);
  // After the commit, when the object has its new position: the record and models are listed so
  // the box follows moves and finished downloads.
  useEffect(() => {
    if (!object) return setBox(null);
    object.updateWorldMatrix(true, true);
    const b = new Box3().setFromObject(object);
    setBox(b.isEmpty() ? null : b.expandByScalar(0.03));
  }, [object, record, models]);
  const tint = useMemo(() => new Color(colour), [colour]);
  if (!box) return null;
  return (
    <group name={`selection:${id}`}>
      <box3Helper args={[box, tint]} />
      {label && (
        <Html position={[(box.min.x + box.max.x) / 2, box.max.y + 0.08, (box.min.z + box.max.z) / 2]} center zIndexRange={[15, 0]}>
          <span className="peer-tag" style={{ background: colour }}>
            {label}
          </span>
        </Html>
      )}
    </group>
  );
}

/** The gizmo's property events (three's TransformControls dispatches `<name>-changed`). */
interface GizmoEvents {
  addEventListener(type: string, listener: (e: { value: unknown }) => void): void;
  removeEventListener(type: string, listener: (e: { value: unknown }) => void): void;
}

/** Scratch objects of the gizmo's drags (no allocation while dragging). */
const scratch = { euler: new Euler(0, 0, 0, "YXZ"), q: new Quaternion(), v: new Vector3() };
/** The yaw (turn about the vertical) of an object, whatever its other turns. */
const yawOf = (o: Object3D) => scratch.euler.setFromQuaternion(o.quaternion, "YXZ").y;

/**
 * The gizmo on the selected placement (the last one picked). Move: drags the selection together,
 * snapping onto the rows and columns of the room's other objects (guide lines and a readout show
 * it) or the 5 cm grid, and ends in one command (`move`, or `moveMany` for several). Turn: one
 * object turns about any axis (x and z tilt it on its plinth); several turn together about the
 * picked one. Scale: uniform, within the object's limits (see `scaleLimits`).
 */
function PlacementGizmo({ id, selected }: { id: string; selected: readonly string[] }) {
  const studio = useStudio();
  const object = usePlacementObject(id);
  const tool = useStudioStore((s) => s.tool);
  const placement = useExhibition((d) => d.placements[id]);
  const motion = useExhibition((d) => (placement ? d.items[placement.item]?.asset.kind === "motion" : false));
  const guides = useRef<Group>(null);
  const readout = useRef<HTMLSpanElement>(null);
  const readoutAt = useRef<Group>(null);
  // Where each selected object started the drag (filled on mouse down, reused).
  const start = useMemo(() => new Map<string, { x: number; z: number; yaw: number }>(), []);
  // The room's other objects' floor points, to snap onto (read once per drag).
  const neighbours = useRef<[number, number][]>([]);
  const controls = useRef<GizmoEvents>(null);
  const events = useThree((s) => s.events);
  const gl = useThree((s) => s.gl);
  // A handle under the pointer shows a grab cursor (grabbing while dragged): the arrows are thin,
  // and this is how a curator knows a press will take the handle and not the object behind it.
  // On the element the gizmo listens on (drei's choice: the events' target, else the canvas).
  useEffect(() => {
    const gizmo = controls.current;
    const element = (events.connected as HTMLElement | undefined) ?? gl.domElement;
    if (!gizmo) return;
    let over = false;
    const onAxis = (e: { value: unknown }) => {
      over = e.value !== null;
      element.style.cursor = over ? "grab" : "";
    };
    const onDragging = (e: { value: unknown }) => {
      element.style.cursor = e.value ? "grabbing" : over ? "grab" : "";
    };
    gizmo.addEventListener("axis-changed", onAxis);
    gizmo.addEventListener("dragging-changed", onDragging);
    return () => {
      gizmo.removeEventListener("axis-changed", onAxis);
      gizmo.removeEventListener("dragging-changed", onDragging);
      element.style.cursor = "";
    };
  }, [object, tool, selected.length, events.connected, gl]);
  if (!studio || !object || !placement || !studio.editor.canEdit() || tool === "annotate") return null;
  const wall = placement.mount === "wall";
  const group = selected.length > 1;
  // One floor object turns about any axis and scales: the gizmo holds its model (the "tilt" group)
  // so that the plinth and label stay upright and unscaled.
  const tilt = !wall && !motion && !group && (tool === "turn" || tool === "scale") ? (object.getObjectByName("tilt") ?? null) : null;
  const target = tilt ?? object;
  if (tool === "scale" && (group || !tilt)) return null;
  const others = () => {
    const doc = studio.editor.doc;
    const out: [number, number][] = [];
    for (const [pid, p] of Object.entries(doc.placements)) if (p.room === placement.room && p.mount !== "wall" && !selected.includes(pid)) out.push([p.position[0], p.position[2]]);
    return out;
  };

  const down = () => {
    pointerOwner.held = true;
    start.clear();
    for (const pid of selected) {
      const o = placementObjects.get(pid);
      if (o) start.set(pid, { x: o.position.x, z: o.position.z, yaw: yawOf(o) });
    }
    neighbours.current = wall ? [] : others();
  };
  const change = () => {
    const from = start.get(id);
    if (!from) return;
    const show = (text: string) => {
      if (readout.current) readout.current.textContent = text;
      readoutAt.current?.position.set(object.position.x, wall ? object.position.y : 0.02, object.position.z);
    };
    if (tool === "move") {
      if (!wall) {
        const snapped = snapToNeighbours([object.position.x, object.position.z], neighbours.current);
        object.position.x = snapped.point[0];
        object.position.z = snapped.point[1];
        showGuides(guides.current, snapped.x, snapped.z, object.position);
      }
      const dx = object.position.x - from.x;
      const dz = object.position.z - from.z;
      for (const [pid, s] of start) {
        const o = placementObjects.get(pid);
        if (pid === id || !o) continue;
        o.position.x = s.x + dx;
        o.position.z = s.z + dz;
      }
      show(`x ${fixed(object.position.x)} m · z ${fixed(object.position.z)} m`);
    } else if (tool === "turn") {
      if (tilt) {
        scratch.q.copy(object.quaternion).multiply(tilt.quaternion);
        scratch.euler.setFromQuaternion(scratch.q, "YXZ");
        show(`${deg(scratch.euler.x)}° · ${deg(scratch.euler.y)}° · ${deg(scratch.euler.z)}°`);
        return;
      }
      const angle = yawOf(object) - from.yaw;
      for (const [pid, s] of start) {
        const o = placementObjects.get(pid);
        if (pid === id || !o) continue;
        const [x, z] = turnAbout([s.x, s.z], [from.x, from.z], angle);
        o.position.x = x;
        o.position.z = z;
        o.rotation.set(0, s.yaw + angle, 0);
      }
      show(`${deg(angle)}°`);
    } else if (tilt) {
      // Uniform: the axis dragged furthest sets all three, within the limits.
      const limits = studio.editor.scaleLimits(id);
      const v = tilt.scale;
      const f = [v.x, v.y, v.z].reduce((a, b) => (Math.abs(b - 1) > Math.abs(a - 1) ? b : a), 1);
      const next = clampScale(placement.scale * f, limits);
      const k = next / placement.scale;
      tilt.scale.set(k, k, k);
      show(`× ${next.toFixed(2)}`);
    }
  };
  const commit = () => {
    pointerOwner.held = false;
    showGuides(guides.current, null, null, object.position);
    if (readout.current) readout.current.textContent = "";
    const from = start.get(id);
    try {
      if (tool === "move") {
        if (group && from) studio.editor.moveMany(selected, [round(object.position.x - from.x), round(object.position.z - from.z)]);
        else {
          const p = object.position;
          studio.editor.move(id, { position: [round(p.x), round(p.y), round(p.z)] });
        }
      } else if (tool === "turn") {
        if (tilt) {
          scratch.q.copy(object.quaternion).multiply(tilt.quaternion);
          scratch.euler.setFromQuaternion(scratch.q, "YXZ");
          studio.editor.move(id, { rotation: [round(scratch.euler.x), round(scratch.euler.y), round(scratch.euler.z)] });
        } else if (group && from) studio.editor.turnMany(selected, yawOf(object) - from.yaw, [from.x, from.z]);
        else studio.editor.move(id, { rotation: wall ? [0, round(yawOf(object)), 0] : [placement.rotation[0], round(yawOf(object)), placement.rotation[2]] });
      } else if (tilt) studio.editor.move(id, { scale: placement.scale * tilt.scale.x });
    } catch (e) {
      reportRefusal(e);
    }
    // Put every object back where the document says (a refused or clamped change; React does not
    // re-apply props that did not change).
    for (const pid of selected) resetToDocument(pid, studio.editor.doc.placements[pid]);
  };
  return (
    <>
      <TransformControls
        ref={controls as never}
        object={target}
        mode={tool === "turn" ? "rotate" : tool === "scale" ? "scale" : "translate"}
        space={wall || tilt ? "local" : "world"}
        showX={tool === "turn" ? !!tilt : true}
        showY={tool === "turn" || tool === "scale" ? true : wall}
        showZ={tool === "turn" ? !!tilt : tool === "scale" || !wall}
        translationSnap={0.05}
        rotationSnap={Math.PI / 36}
        size={0.8}
        onMouseDown={down}
        onObjectChange={change}
        onMouseUp={commit}
      />
      <group ref={guides} name="snap-guides" visible={false}>
        <mesh name="guide-x" raycast={() => null} visible={false}>
          <boxGeometry args={[0.012, 0.012, 40]} />
          <meshBasicMaterial color="#ff7a00" />
        </mesh>
        <mesh name="guide-z" raycast={() => null} visible={false}>
          <boxGeometry args={[40, 0.012, 0.012]} />
          <meshBasicMaterial color="#ff7a00" />
        </mesh>
      </group>
      <group ref={readoutAt} position={[placement.position[0], wall ? placement.position[1] : 0.02, placement.position[2]]}>
        <Html center zIndexRange={[16, 0]}>
          <span ref={readout} className="gizmo-readout" aria-live="off" />
        </Html>
      </group>
    </>
  );
}

/** Shows the snapping guide lines (a line along z at `x`, one along x at `z`), or hides them. */
function showGuides(guides: Group | null, x: number | null, z: number | null, at: Vector3): void {
  if (!guides) return;
  const [gx, gz] = guides.children as Object3D[];
  guides.visible = x !== null || z !== null;
  if (gx) {
    gx.visible = x !== null;
    gx.position.set(x ?? 0, 0.01, at.z);
  }
  if (gz) {
    gz.visible = z !== null;
    gz.position.set(at.x, 0.01, z ?? 0);
  }
}

/** Puts a placement's scene objects back where its record says (after a drag is committed or refused). */
function resetToDocument(pid: string, rec: Placement | undefined): void {
  const object = placementObjects.get(pid);
  if (!object || !rec) return;
  const wall = rec.mount === "wall";
  object.position.set(rec.position[0], wall ? rec.position[1] : 0, rec.position[2]);
  if (wall) object.rotation.set(rec.rotation[0], rec.rotation[1], rec.rotation[2]);
  else object.rotation.set(0, rec.rotation[1], 0);
  const tilt = wall ? null : object.getObjectByName("tilt");
  if (tilt) {
    tilt.rotation.set(rec.rotation[0], 0, rec.rotation[2]);
    tilt.scale.set(1, 1, 1);
  }
}

const fixed = (v: number) => (Math.round(v * 100) / 100).toFixed(2).replace("-", "−");
const deg = (r: number) => Math.round((r * 180) / Math.PI);
const round = (v: number) => Math.round(v * 1000) / 1000;

/** Free template spots: ghost plinths showing where a teacher's three objects can go. */
function GhostSpots({ roomId }: { roomId: string }) {
  const room = useExhibition((d) => d.rooms[roomId]);
  const placements = useExhibition((d) => d.placements);
  if (!room?.spots) return null;
  const free = freeTemplateSpots(room, Object.values(placements).filter((p) => p.room === roomId));
  return (
    <>
      {free.map(([x, z]) => (
        <mesh key={`${x},${z}`} position={[x, 0.5, z]} raycast={() => null} name="ghost-plinth">
          <boxGeometry args={[0.55, 1, 0.55]} />
          <meshBasicMaterial color="#ffffff" transparent opacity={0.18} depthWrite={false} />
        </mesh>
      ))}
    </>
  );
}

/** Another person's pointer in the room: a dot in their colour with their name. */
function PeerCursor({ at, colour, name }: { at: Vec3; colour: string; name: string }) {
  return (
    <group position={at} name={`cursor:${name}`}>
      <mesh raycast={() => null}>
        <sphereGeometry args={[0.05, 12, 8]} />
        <meshBasicMaterial color={colour} />
      </mesh>
      <Html position={[0, 0.12, 0]} center zIndexRange={[15, 0]}>
        <span className="peer-tag" style={{ background: colour }}>
          {name}
        </span>
      </Html>
    </group>
  );
}

/**
 * The studio's additions to the 3D scene: the gizmo and outline of the selection, other people's
 * cursors and selections, ghost plinths, and the bridge that lets panels ask the canvas for a
 * floor point, the camera pose or a snapshot. The pointer is shared at most 10 times a second,
 * by a timer, never from the frame loop.
 */
export function StudioSceneTools() {
  const studio = useStudio();
  const { camera, gl, scene } = useThree();
  const room = useLocalStore((s) => s.room);
  const picked = useStudioStore((s) => s.picked);
  const selected = useStudioStore((s) => s.selected);
  const peers = usePeers(studio?.presence);
  const tools3d = useRef<Group>(null);

  useEffect(() => {
    if (!studio) return;
    const ray = new Raycaster();
    const ndc = new Vector2();
    const hit = new Vector3();
    const toNdc = (cx: number, cy: number) => {
      const r = gl.domElement.getBoundingClientRect();
      ndc.set(((cx - r.left) / r.width) * 2 - 1, -((cy - r.top) / r.height) * 2 + 1);
    };
    studio.bridge.floorPointAt = (cx, cy) => {
      toNdc(cx, cy);
      ray.setFromCamera(ndc, camera);
      const room = useLocalStore.getState().room;
      const spots = room ? (studio.editor.doc.rooms[room]?.spots ?? []) : [];
      if (spots.length > 0 && ray.ray.intersectPlane(GHOST_TOP, hit)) {
        const spot = spots.find(([x, z]) => Math.abs(hit.x - x) < 0.3 && Math.abs(hit.z - z) < 0.3);
        if (spot) return [spot[0], spot[1]];
      }
      return ray.ray.intersectPlane(FLOOR, hit) ? [round(hit.x), round(hit.z)] : null;
    };
    studio.bridge.cameraPose = () => {
      const dir = camera.getWorldDirection(new Vector3());
      const p = camera.position;
      return { position: [round(p.x), round(p.y), round(p.z)], target: [round(p.x + dir.x * 2), round(p.y + dir.y * 2), round(p.z + dir.z * 2)] };
    };
    const box = new Box3();
    const sphere = new Sphere();
    // A tour step's view of one object: from its front, a little above it, far enough to show it
    // whole with its label on the plinth below (the tour panel covers the bottom of the view).
    studio.bridge.framePose = (pid) => {
      const object = artefactObjects.get(pid);
      if (object) box.setFromObject(object).getBoundingSphere(sphere);
      if (!object || box.isEmpty()) {
        // The model is still loading: frame where it will stand, from the document.
        const p = studio.editor.doc.placements[pid];
        if (!p) return null;
        sphere.center.set(p.position[0], p.mount === "wall" ? p.position[1] : (p.plinth?.height ?? 0) + 0.15, p.position[2]);
        sphere.radius = 0.25;
      }
      const c = sphere.center;
      const cam = camera as PerspectiveCamera;
      const half = Math.min((cam.fov * Math.PI) / 360, Math.atan(Math.tan((cam.fov * Math.PI) / 360) * cam.aspect));
      // Close enough that a tea bowl fills a good part of the view, with its label on the plinth below.
      const distance = Math.max(0.75, (Math.max(0.12, sphere.radius) / Math.sin(half)) * 2.2);
      // From the object's front, where its label faces (local +z), whatever the studio's camera is doing.
      const yaw = studio.editor.doc.placements[pid]?.rotation[1] ?? 0;
      const dir = hit.set(Math.sin(yaw), 0, Math.cos(yaw));
      const y = c.y + 0.3;
      return { position: [round(c.x + dir.x * distance), round(y), round(c.z + dir.z * distance)], target: [round(c.x), round(c.y - 0.08), round(c.z)] };
    };
    // The object the camera looks at: the nearest one within 20 degrees of the view's centre.
    studio.bridge.viewedPlacement = () => {
      const room = useLocalStore.getState().room;
      const forward = camera.getWorldDirection(new Vector3());
      let best: string | null = null;
      let bestScore = Infinity;
      for (const [pid, object] of artefactObjects) {
        if (studio.editor.doc.placements[pid]?.room !== room) continue;
        box.setFromObject(object).getBoundingSphere(sphere);
        const to = sphere.center.sub(camera.position);
        const d = to.length();
        if (d < 1e-3 || d > 8) continue;
        const angle = Math.acos(Math.min(1, to.dot(forward) / d));
        if (angle > (20 * Math.PI) / 180) continue;
        const score = angle * 4 + d * 0.1;
        if (score < bestScore) [best, bestScore] = [pid, score];
      }
      return best;
    };
    studio.bridge.screenPoint = (x, y, z) => {
      const v = hit.set(x, y, z).project(camera);
      if (v.z > 1) return null;
      const r = gl.domElement.getBoundingClientRect();
      return { x: r.left + ((v.x + 1) / 2) * r.width, y: r.top + ((1 - v.y) / 2) * r.height };
    };
    // The picture a visitor would see: without the gizmo, outlines, ghost plinths and cursors; from
    // where a visitor arriving in this room stands, when asked (the publish preview).
    const saved = { p: new Vector3(), q: new Quaternion() };
    const euler = new Euler(0, 0, 0, "YXZ");
    studio.bridge.snapshot = (from) => {
      const tools = tools3d.current;
      if (tools) tools.visible = false;
      saved.p.copy(camera.position);
      saved.q.copy(camera.quaternion);
      if (from) {
        camera.position.set(from.x, EYE_HEIGHT, from.z);
        camera.quaternion.setFromEuler(euler.set(ARRIVAL_PITCH, from.yaw, 0));
        camera.updateMatrixWorld();
      }
      gl.render(scene, camera);
      const jpeg = gl.domElement.toDataURL("image/jpeg", 0.82);
      camera.position.copy(saved.p);
      camera.quaternion.copy(saved.q);
      camera.updateMatrixWorld();
      if (tools) tools.visible = true;
      return jpeg;
    };

    studio.bridge.panorama = (from) => panoramaJpeg(renderPanorama(gl, scene, from, tools3d.current));

    // Pointer presence: remember the last screen point; a timer raycasts it at most 10x a second.
    let last: { x: number; y: number } | null = null;
    let dirty = false;
    const onMove = (e: PointerEvent) => {
      last = { x: e.clientX, y: e.clientY };
      dirty = true;
    };
    const onLeave = () => {
      last = null;
      dirty = true;
    };
    gl.domElement.addEventListener("pointermove", onMove);
    gl.domElement.addEventListener("pointerleave", onLeave);
    const timer = setInterval(() => {
      if (!dirty) return;
      dirty = false;
      if (!last) return studio.presence.update({ cursor: null });
      toNdc(last.x, last.y);
      ray.setFromCamera(ndc, camera);
      const first = ray.intersectObjects(scene.children, true).find((h) => (h.object.visible || isMirrored(h.object)) && !h.object.name.startsWith("cursor"));
      const p = first?.point;
      studio.presence.update({ cursor: p ? [round(p.x), round(p.y), round(p.z)] : null });
    }, 100);
    return () => {
      clearInterval(timer);
      gl.domElement.removeEventListener("pointermove", onMove);
      gl.domElement.removeEventListener("pointerleave", onLeave);
      studio.bridge.floorPointAt = studio.bridge.cameraPose = studio.bridge.snapshot = studio.bridge.screenPoint = studio.bridge.framePose = studio.bridge.viewedPlacement = studio.bridge.panorama = null;
    };
  }, [studio, camera, gl, scene]);

  if (!room) return null;
  const me = studio?.editor.user;
  return (
    <group ref={tools3d} name="studio-tools">
      <GhostSpots roomId={room} />
      {selected.map((pid) => (
        <SelectionBox key={pid} id={pid} colour={pid === picked ? "#ffffff" : "#9fd3ff"} />
      ))}
      {picked && <PlacementGizmo key={picked} id={picked} selected={selected.includes(picked) ? selected : [picked]} />}
      {me &&
        peers
          .filter((p) => p.room === room)
          .map((p) => (
            <group key={p.clientId}>
              {p.selection && <SelectionBox id={p.selection} colour={p.user.colour} label={p.user.name} />}
              {p.cursor && <PeerCursor at={p.cursor} colour={p.user.colour} name={p.user.name} />}
            </group>
          ))}
    </group>
  );
}
