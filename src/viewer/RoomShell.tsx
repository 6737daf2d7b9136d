import type { ThreeEvent } from "@react-three/fiber";
import { useEffect, useMemo } from "react";
import { BoxGeometry, BufferGeometry, Color, Float32BufferAttribute, Matrix4, PlaneGeometry } from "three";
import { mergeGeometries } from "three/examples/jsm/utils/BufferGeometryUtils.js";
import { pickText, type Exhibition, type Room } from "../shared/exhibition";
import { fromScreen, wasDrag } from "./artefact-interaction";
import { doorObjects } from "./artefact-registry";
import { LabelCard } from "./LabelCard";
import { DOOR_HEIGHT, WALL_THICKNESS, doorways, wallBoxes, type Doorway } from "./room-layout";
import { floorTexture } from "./surface-textures";


const CEILING = "#f4f2ee";
const REVEAL = "#17150f";

/** `geometry` with every vertex coloured `colour` (a vertex-colour attribute, in linear RGB). */
function painted(geometry: BufferGeometry, colour: string): BufferGeometry {
  const c = new Color(colour);
  const n = geometry.getAttribute("position").count;
  const rgb = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) c.toArray(rgb, i * 3);
  geometry.setAttribute("color", new Float32BufferAttribute(rgb, 3));
  return geometry;
}

/** How far the passage seen through a doorway reaches beyond the wall (m). */
const PASSAGE_DEPTH = 1.4;

/**
 * The short passage seen through a doorway, towards the next room: its floor, walls and far wall
 * in the next room's colours (or a dark reveal when the next room is unknown), facing inwards and
 * open towards this room. A doorway used to be a black hole; now it looks like the way on.
 */
function passageGeometry(way: Doorway, next: Room | undefined): BufferGeometry {
  const depth = WALL_THICKNESS + PASSAGE_DEPTH;
  // A centimetre inside the opening's jambs, lintel and the floor, so no face shares a plane with them (no flicker).
  const height = DOOR_HEIGHT - 0.012;
  const box = new BoxGeometry(way.door.width - 0.02, height, depth).translate(0, 0.002 + height / 2, -depth / 2);
  // Faces in BoxGeometry's order: +x, -x, +y (ceiling), -y (floor), +z (towards this room: left open), -z (far wall).
  const wall = next?.walls.colour ?? REVEAL;
  const faces = [
    { colour: wall, shade: 0.8 },
    { colour: wall, shade: 0.8 },
    { colour: next ? CEILING : REVEAL, shade: 0.85 },
    { colour: next?.floor.colour ?? REVEAL, shade: 0.9 },
    null,
    { colour: wall, shade: 1 },
  ];
  const index = box.getIndex()!;
  const kept: number[] = [];
  const normal = box.getAttribute("normal");
  for (let n = 0; n < normal.count; n++) normal.setXYZ(n, -normal.getX(n), -normal.getY(n), -normal.getZ(n)); // inside faces
  const rgb = new Float32Array(box.getAttribute("position").count * 3);
  const c = new Color();
  faces.forEach((face, f) => {
    if (!face) return;
    c.set(face.colour).multiplyScalar(face.shade);
    for (let v = f * 4; v < f * 4 + 4; v++) c.toArray(rgb, v * 3);
    for (let i = f * 6; i < f * 6 + 6; i += 3) kept.push(index.getX(i), index.getX(i + 2), index.getX(i + 1)); // reversed winding
  });
  box.setIndex(kept);
  box.setAttribute("color", new Float32BufferAttribute(rgb, 3));
  const yaw = Math.atan2(-way.outward[0], -way.outward[1]);
  return box.applyMatrix4(new Matrix4().makeRotationY(yaw).setPosition(way.center[0], 0, way.center[1]));
}

/**
 * The room's shell as one geometry, coloured per vertex: walls (with their doorway openings),
 * ceiling and the passages seen through the doorways. One draw call however many doorways the
 * room has; the doorways' own meshes stay, hidden, to take clicks.
 */
function shellGeometry(room: Room, rooms: Exhibition["rooms"]): BufferGeometry {
  const { w, d, h } = room.size;
  const parts = [
    ...wallBoxes(room).map((b) => painted(new BoxGeometry(...b.size).translate(...b.center), room.walls.colour)),
    painted(new PlaneGeometry(w + WALL_THICKNESS * 2, d + WALL_THICKNESS * 2).rotateX(Math.PI / 2).translate(0, h, 0), CEILING),
    ...doorways(room).map((way) => passageGeometry(way, rooms[way.door.to])),
  ];
  const merged = mergeGeometries(parts, false)!;
  for (const p of parts) p.dispose();
  return merged;
}

/**
 * The architecture of one room: floor, walls with doorway openings, ceiling with light panels,
 * and a sign over each doorway naming the room it leads to. Clicking the floor walks there;
 * clicking a doorway sign goes through it.
 */
export function RoomShell({
  room,
  rooms,
  language,
  fallbacks,
  onFloorClick,
  onDoorClick,
}: {
  room: Room;
  rooms: Exhibition["rooms"];
  language: string;
  fallbacks: string[];
  /** `screen`: from a screen's pointer, not an XR ray or hand. */
  onFloorClick: (x: number, z: number, screen: boolean) => void;
  onDoorClick: (to: string) => void;
}) {
  const { w, d, h } = room.size;
  const walls = useMemo(() => shellGeometry(room, rooms), [room, rooms]);
  useEffect(() => () => walls.dispose(), [walls]);
  const floor = useMemo(() => floorTexture(room.floor), [room.floor]);
  useEffect(() => {
    if (!floor) return;
    floor.texture.repeat.set(w / floor.metres, d / floor.metres);
    return () => floor.texture.dispose();
  }, [floor, w, d]);
  const panels = useMemo(() => {
    const out: [number, number][] = [];
    const nx = Math.max(1, Math.round(w / 3));
    const nz = Math.max(1, Math.round(d / 3));
    for (let i = 0; i < nx; i++) for (let j = 0; j < nz; j++) out.push([((i + 0.5) / nx - 0.5) * w, ((j + 0.5) / nz - 0.5) * d]);
    return out;
  }, [w, d]);
  const wallRoughness = room.walls.material === "concrete" ? 0.95 : room.walls.material === "wood" ? 0.7 : 0.88;

  const floorClick = (e: ThreeEvent<MouseEvent>) => {
    if (wasDrag(e)) return;
    e.stopPropagation();
    onFloorClick(e.point.x, e.point.z, fromScreen(e));
  };

  return (
    <group>
      <mesh rotation-x={-Math.PI / 2} onClick={floorClick} name="floor">
        <planeGeometry args={[w + WALL_THICKNESS * 2, d + WALL_THICKNESS * 2]} />
        <meshStandardMaterial color={floor ? "#ffffff" : room.floor.colour} map={floor?.texture ?? null} roughness={room.floor.material === "stone" ? 0.55 : 0.75} />
      </mesh>
      <mesh geometry={walls} name="walls">
        <meshStandardMaterial vertexColors roughness={wallRoughness} />
      </mesh>
      <instancedMesh args={[undefined, undefined, panels.length]} name="light-panels" ref={(m) => {
        if (!m) return;
        const at = new Matrix4();
        panels.forEach(([x, z], i) => m.setMatrixAt(i, at.makeTranslation(x, h - 0.01, z)));
        m.instanceMatrix.needsUpdate = true;
      }}>
        <boxGeometry args={[1.2, 0.02, 1.2]} />
        <meshBasicMaterial color="#fffaf0" toneMapped={false} />
      </instancedMesh>
      {doorways(room).map((way, i) => {
        const target = rooms[way.door.to];
        if (!target) return null;
        const yaw = Math.atan2(-way.outward[0], -way.outward[1]);
        const signY = Math.min(DOOR_HEIGHT + 0.25, h - 0.2);
        return (
          <group key={i} position={[way.center[0], 0, way.center[1]]} rotation-y={yaw}>
            {/* The opening's click target (the passage beyond is drawn with the shell). */}
            <mesh
              visible={false}
              position={[0, DOOR_HEIGHT / 2, -WALL_THICKNESS / 2]}
              ref={(m) => {
                if (m) doorObjects.set(way.door.to, m);
                else doorObjects.delete(way.door.to);
              }}
              onClick={(e) => {
              if (wasDrag(e)) return;
              e.stopPropagation();
              onDoorClick(way.door.to);
            }}>
              <boxGeometry args={[way.door.width, DOOR_HEIGHT, WALL_THICKNESS * 0.98]} />
            </mesh>
            <group position={[0, signY, 0.01]} onClick={(e) => {
              if (wasDrag(e)) return;
              e.stopPropagation();
              onDoorClick(way.door.to);
            }}>
              <LabelCard
                width={Math.min(1.6, way.door.width + 0.4)}
                height={0.26}
                pxPerMetre={900}
                background="#2a2622"
                lines={[{ text: `→ ${pickText(target.name, language, fallbacks)}`, size: 300, weight: 600, colour: "#f4efe4" }]}
                userData={{ door: way.door.to }}
              />
            </group>
          </group>
        );
      })}
    </group>
  );
}
