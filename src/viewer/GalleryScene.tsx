import { useContext, useEffect, useMemo, useRef, type ReactNode } from "react";
import { useThree } from "@react-three/fiber";
import { Vector3 } from "three";
import { viewCamera } from "./view-camera";
import { useExhibition } from "../collab";
import { roomsInOrder, type Exhibition, type Placement, type TourStep } from "../shared/exhibition";
import { useLocalStore } from "../state/local-store";
import { CameraDirector, createRig, type VisitorRig } from "./CameraDirector";
import { useGuide } from "./guide";
import { walkArea, type WalkArea } from "./walk-physics";
import { Artefact } from "./Artefact";
import { ArtefactClickContext, CLICK_SLOP, PressContext, type PressMemory } from "./artefact-interaction";
import { Batched } from "./Batched";
import { modelUrls, placementsIn, type Quality } from "../shared/exhibition/tiers";
import { Lighting } from "./Lighting";
import { arrivalPose, type Doorway } from "./room-layout";
import { RoomShell } from "./RoomShell";
import { SceneProbe } from "./SceneProbe";
import { TierDirector } from "./TierDirector";
import { useTextFallbacks } from "./text-fallbacks";

type Entry = [string, Placement];
/** Equality for `placementsIn` selections: same ids, same (identical) records. */
export const sameEntries = (a: Entry[], b: Entry[]) => a.length === b.length && a.every((e, i) => e[0] === b[i]![0] && e[1] === b[i]![1]);


/** What drives the viewpoint in a room: the walking camera on screens, the VR rig in a headset. */
export interface ViewpointContext {
  rig: VisitorRig;
  area: WalkArea;
  /** Where to stand on entering the room; a new object on every entry. */
  arrival: { x: number; z: number; yaw: number };
  tourStep: TourStep | null;
  goTo: (room: string) => void;
}

/**
 * One room of the exhibition, built from the document: architecture, lighting, artefacts, and the
 * camera. Only the room on show is in the scene; the next one loads when the visitor walks in.
 * In VR the headset layer gives its own viewpoint (`renderViewpoint`) and teleports to floor
 * points selected with a ray (`onFloorPoint`); the room itself is the same.
 */
export function GalleryScene({
  roomId,
  quality,
  bench,
  renderViewpoint,
  onFloorPoint,
}: {
  roomId: string;
  quality: Quality;
  bench: boolean;
  renderViewpoint?: (ctx: ViewpointContext) => ReactNode;
  /** What selecting a floor point does instead of walking there (VR: teleport). */
  onFloorPoint?: (x: number, z: number) => void;
}) {
  const room = useExhibition((d) => d.rooms[roomId]);
  const rooms = useExhibition((d) => d.rooms);
  const languages = useTextFallbacks();
  const tour = useExhibition((d) => d.tour);
  const placements = useExhibition((d) => placementsIn(d, roomId), sameEntries);
  const items = useExhibition((d) => d.items);
  const language = useLocalStore((s) => s.language);
  const mode = useLocalStore((s) => s.mode);
  const tourIndex = useLocalStore((s) => s.tourIndex);
  const models = useLocalStore((s) => s.models);
  const guide = useGuide();
  const rig = useMemo(createRig, []);
  const cameFrom = useRef<string | null>(null);
  const onArtefactClick = useContext(ArtefactClickContext);
  const press = useMemo<PressMemory>(() => ({ id: null, x: 0, y: 0 }), []);
  // The panels outside the canvas say where things are from this camera (read on demand, view-camera.ts).
  const camera = useThree((s) => s.camera);
  useEffect(() => {
    viewCamera.current = camera;
    return () => {
      if (viewCamera.current === camera) viewCamera.current = null;
    };
  }, [camera]);
  // Every press starts afresh; an artefact's own pointer-down (R3F's handler, which runs after this
  // capturing listener) then names it. A click that nothing in the scene took (the artefact slid
  // away and nothing with a handler is under the pointer now) still inspects the pressed artefact,
  // unless the pointer travelled (a look-around drag).
  useEffect(() => {
    const down = (e: PointerEvent) => {
      press.id = null;
      press.x = e.clientX;
      press.y = e.clientY;
    };
    const click = (e: MouseEvent) => {
      const id = press.id;
      press.id = null;
      if (id && Math.hypot(e.clientX - press.x, e.clientY - press.y) <= CLICK_SLOP) onArtefactClick(id, { point: new Vector3(), modelPoint: null, additive: e.shiftKey });
    };
    window.addEventListener("pointerdown", down, { capture: true });
    window.addEventListener("click", click); // after R3F's own click handling, which consumes `press.id` when it hits
    return () => {
      window.removeEventListener("pointerdown", down, { capture: true });
      window.removeEventListener("click", click);
    };
  }, [press, onArtefactClick]);

  const area = useMemo(() => (room ? walkArea(room, placements.map(([, p]) => p)) : null), [room, placements]);
  // A new object on every room entry, so the camera director re-seats the visitor.
  const hasRoom = room !== undefined;
  const arrival = useMemo(() => (room ? arrivalPose(room, cameFrom.current) : { x: 0, z: 0, yaw: 0 }), [roomId, hasRoom]);
  const urls = useMemo(() => modelUrls(placements, items, quality), [placements, items, quality]);
  const ready = urls.every((u) => models[u]?.status === "loaded" || models[u]?.status === "failed");
  const tourStep = mode === "tour" ? (tour[tourIndex] ?? null) : null;

  if (!room || !area) return null;
  const goTo = (to: string) => {
    // A guided visitor (a class student) may not leave the room while the guide holds them.
    if (!guide.mayMove()) return;
    cameFrom.current = roomId;
    useLocalStore.getState().enterRoom(to);
  };
  return (
    <PressContext.Provider value={press}>
      <color attach="background" args={["#121110"]} />
      <Lighting room={room} placements={placements} />
      <Batched>
      <RoomShell
        room={room}
        rooms={rooms}
        language={language}
        fallbacks={languages}
        onFloorClick={(x, z, screen) => {
          if (screen && press.id) {
            // Pressed on an artefact, released over the floor: the camera moved it away, not the visitor.
            const id = press.id;
            press.id = null;
            return onArtefactClick(id, { point: new Vector3(x, 0, z), modelPoint: null });
          }
          if (onFloorPoint) onFloorPoint(x, z);
          else if (useLocalStore.getState().mode === "walk") rig.walkTo = { x, z };
        }}
        onDoorClick={goTo}
      />
      {placements.map(([id]) => (
        <Artefact key={id} id={id} quality={quality} />
      ))}
      </Batched>
      {renderViewpoint ? (
        renderViewpoint({ rig, area, arrival, tourStep, goTo })
      ) : (
        <CameraDirector rig={rig} area={area} arrival={arrival} tourStep={tourStep} onDoorway={(way: Doorway) => goTo(way.door.to)} />
      )}
      <SceneProbe ready={ready} bench={bench} />
      <TierDirector />
    </PressContext.Provider>
  );
}


/** The id of the first room, for a visitor arriving without `?room=`. */
export function firstRoomId(doc: Exhibition): string {
  return roomsInOrder(doc)[0]![0];
}
