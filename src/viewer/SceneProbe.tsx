import { useFrame, useThree } from "@react-three/fiber";
import { useEffect, useRef } from "react";
import { Box3, Quaternion, Vector3 } from "three";
import type { Object3D } from "three";
import { artefactObjects, doorObjects } from "./artefact-registry";
import { useLocalStore } from "../state/local-store";
import { useExhibitionStore } from "../collab";
import { renderPanorama } from "./panorama";
import { arrivalPose } from "./room-layout";
import { frameRest } from "./frame-rest";

/** The Quest budget the reference exhibitions are held to (per frame, both eyes together). */
export const QUEST_BUDGET = { drawCalls: 100, triangles: 400_000 } as const;

/** What `window.atrium.stats()` reports: the figures behind the Quest budget. */
export interface SceneStats {
  artefacts: number;
  drawCalls: number;
  triangles: number;
  textures: number;
  /** The last frame against the Quest budget. */
  budget: { drawCalls: number; triangles: number; within: boolean };
  /** The headset session's display settings (multiview: three's WebGL renderer draws eyes one by one). */
  xr: { presenting: boolean; frameRate: number | null; foveation: number | null; multiview: false };
}

/** The test and benchmark contract, on `window.atrium`. */
export interface AtriumProbe {
  stats(): SceneStats;
  /** Whether the view draws continuously now, and how many frames it has drawn (`frame-rest.ts`); the one call that does not wake the view. */
  rest(): { awake: boolean; frames: number };
  /** CPU time of recent frames in ms (only filled when the page was opened with `?bench=1`). */
  frameTimes(): number[];
  /** Where an artefact's centre is on the page, in CSS pixels, or null if it is not on screen. Lets tests click it for real. */
  artefactScreenPoint(placementId: string): { x: number; y: number } | null;
  /** Where a world point shows on the page (CSS pixels), or null when it is off screen. */
  worldScreenPoint(point: [number, number, number]): { x: number; y: number } | null;
  /** Where the doorway leading to room `to` is on the page, or null if it is not on screen. */
  doorScreenPoint(to: string): { x: number; y: number } | null;
  /** Placement ids of the artefacts loaded in the room on show. */
  artefactIds(): string[];
  /** Current camera position, for tests of walking and the tour. */
  cameraPosition(): [number, number, number];
  /** The page's clock (`performance.now()`, ms) when the scene's last frame began, as the scene's own clock read it: the instant the camera's last move was walked up to. */
  frameStartedAt(): number;
  /** The model URL (quality tier) an artefact shows now, or null. */
  artefactTier(placementId: string): string | null;
  /** World position of a performer's joint (by node name), or null. */
  performerJoint(placementId: string, joint: string): [number, number, number] | null;
  /** World position and quaternion of an artefact's model frame (moves when a VR hand holds it). */
  artefactPose(placementId: string): { position: [number, number, number]; quaternion: [number, number, number, number]; size: [number, number, number] } | null;
  /** The immersive session's state (added by the XR layer; null outside XR code). */
  xr(): unknown;
  /** A VR panel's text and its buttons' world positions (added by the XR layer). */
  xrPanel(name: string): { text: string[]; buttons: Record<string, [number, number, number]> } | null;
  /** The class session as this page takes part in it (added by the class layer; null outside a class). */
  classState(): unknown;
  /** The camera's world orientation (x, y, z, w). */
  cameraQuaternion(): [number, number, number, number];
  /** A 360° panorama of the room on show from where visitors arrive, as a JPEG data URL (`renderPanorama`); for the sample shows' panoramas and the tests. */
  panorama(): string | null;
}

/** Probe functions added by other layers (the XR layer adds `xr`), kept across probe rebuilds. */
export const probeExtensions: { xr?: () => unknown; xrPanel?: AtriumProbe["xrPanel"]; classState?: () => unknown } = {};

declare global {
  interface Window {
    atrium?: AtriumProbe;
  }
}

const FRAME_SAMPLES = 600;

/** The probe with each function waking the view first. */
function wakeful(probe: AtriumProbe): AtriumProbe {
  const out = {} as Record<string, unknown>;
  for (const [name, f] of Object.entries(probe) as [string, (...args: unknown[]) => unknown][])
    out[name] = name === "rest" ? f : (...args: unknown[]) => {
      frameRest.wake();
      return f(...args);
    };
  return out as unknown as AtriumProbe;
}

/**
 * Publishes `window.atrium` and sets `document.body.dataset.sceneReady` to "true" once the room on
 * show has loaded all its models (or given up on broken ones) and has rendered twice since, and
 * back to "false" while another room loads. With `bench`, it renders the frame itself to time it.
 */
export function SceneProbe({ ready, bench }: { ready: boolean; bench: boolean }) {
  const gl = useThree((s) => s.gl);
  const camera = useThree((s) => s.camera);
  const scene = useThree((s) => s.scene);
  const clock = useThree((s) => s.clock);
  // Read through a ref: the page swaps its first-paint store for the live one, and re-running the
  // probe's effect for that would clear `sceneReady` after the room was already ready.
  const exhibitionStore = useExhibitionStore();
  const store = useRef(exhibitionStore);
  store.current = exhibitionStore;
  const framesSinceReady = useRef(0);
  const times = useRef({ buffer: new Float64Array(FRAME_SAMPLES), count: 0, start: 0 });

  useEffect(() => {
    const pageOf = (world: Vector3) => {
      const p = world.project(camera);
      if (p.z > 1 || Math.abs(p.x) > 1 || Math.abs(p.y) > 1) return null;
      const rect = gl.domElement.getBoundingClientRect();
      return { x: rect.left + ((p.x + 1) / 2) * rect.width, y: rect.top + ((1 - p.y) / 2) * rect.height };
    };
    const screenPoint = (object: Object3D | undefined) => (object ? pageOf(new Box3().setFromObject(object).getCenter(new Vector3())) : null);
    // Every call wakes the view (frame-rest.ts): a test that moves something through the probe
    // and looks at the page sees it drawn.
    window.atrium = wakeful({
      rest: () => ({ awake: frameRest.awake, frames: frameRest.frames }),
      stats: () => ({
        artefacts: artefactObjects.size,
        drawCalls: gl.info.render.calls,
        triangles: gl.info.render.triangles,
        textures: gl.info.memory.textures,
        budget: {
          drawCalls: QUEST_BUDGET.drawCalls,
          triangles: QUEST_BUDGET.triangles,
          within: gl.info.render.calls <= QUEST_BUDGET.drawCalls && gl.info.render.triangles <= QUEST_BUDGET.triangles,
        },
        xr: gl.xr.isPresenting
          ? { presenting: true, frameRate: gl.xr.getSession()?.frameRate ?? null, foveation: gl.xr.getFoveation() ?? null, multiview: false }
          : { presenting: false, frameRate: null, foveation: null, multiview: false },
      }),
      frameTimes: () => {
        const t = times.current;
        const n = Math.min(t.count, FRAME_SAMPLES);
        const out: number[] = [];
        for (let i = 0; i < n; i++) out.push(t.buffer[(t.count - n + i) % FRAME_SAMPLES]!);
        return out;
      },
      artefactScreenPoint: (id) => screenPoint(artefactObjects.get(id)),
      worldScreenPoint: (point) => pageOf(new Vector3(...point)),
      doorScreenPoint: (to) => screenPoint(doorObjects.get(to)),
      artefactIds: () => [...artefactObjects.keys()].sort(),
      // From the world matrix: in a headset the camera sits in the play-space origin's frame.
      cameraPosition: () => new Vector3().setFromMatrixPosition(camera.matrixWorld).toArray() as [number, number, number],
      // THREE.Clock keeps the performance.now() of its last getDelta(), which R3F calls as each frame begins.
      frameStartedAt: () => clock.oldTime,
      artefactTier: (id) => (artefactObjects.get(id)?.userData.url as string | undefined) ?? null,
      performerJoint: (id, joint) => {
        const o = artefactObjects.get(id)?.getObjectByName(joint);
        if (!o) return null;
        o.updateWorldMatrix(true, false);
        return o.getWorldPosition(new Vector3()).toArray() as [number, number, number];
      },
      artefactPose: (id) => {
        const o = artefactObjects.get(id);
        if (!o) return null;
        o.updateWorldMatrix(true, true);
        const p = new Vector3();
        const q = new Quaternion();
        o.matrixWorld.decompose(p, q, new Vector3());
        const size = new Box3().setFromObject(o).getSize(new Vector3());
        return { position: p.toArray() as [number, number, number], quaternion: q.toArray() as [number, number, number, number], size: size.toArray() as [number, number, number] };
      },
      cameraQuaternion: () => {
        const q = new Quaternion();
        camera.matrixWorld.decompose(new Vector3(), q, new Vector3());
        return q.toArray() as [number, number, number, number];
      },
      xr: () => probeExtensions.xr?.() ?? null,
      classState: () => probeExtensions.classState?.() ?? null,
      xrPanel: (name) => probeExtensions.xrPanel?.(name) ?? null,
      panorama: () => {
        const roomId = useLocalStore.getState().room;
        const room = roomId ? store.current.getSnapshot().rooms[roomId] : undefined;
        return room ? renderPanorama(gl, scene, arrivalPose(room, null)).toDataURL("image/jpeg", 0.85) : null;
      },
    });
    return () => {
      delete window.atrium;
      delete document.body.dataset.sceneReady;
    };
  }, [gl, camera, scene, clock]);

  useEffect(() => {
    framesSinceReady.current = 0;
    document.body.dataset.sceneReady = "false";
    useLocalStore.setState({ sceneReady: false });
  }, [ready]);

  useFrame(() => {
    if (!ready || framesSinceReady.current > 2) return;
    frameRest.keepAwake(); // the frames that draw the loaded room
    framesSinceReady.current++;
    if (framesSinceReady.current === 2) {
      document.body.dataset.sceneReady = "true";
      useLocalStore.setState({ sceneReady: true }); // once per room, not per frame
    }
  });

  // Timing: mark the start of the frame before every other callback, and render + stop the clock
  // after them. A positive priority makes R3F leave rendering to us, hence bench-only.
  useFrame(() => {
    if (bench) times.current.start = performance.now();
  }, -1000);
  return bench ? <BenchRender times={times} /> : null;
}

function BenchRender({ times }: { times: React.RefObject<{ buffer: Float64Array; count: number; start: number }> }) {
  useFrame((state) => {
    state.gl.render(state.scene, state.camera);
    const t = times.current;
    t.buffer[t.count % FRAME_SAMPLES] = performance.now() - t.start;
    t.count++;
  }, 1);
  return null;
}
