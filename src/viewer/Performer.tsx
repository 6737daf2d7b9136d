import { useFrame } from "@react-three/fiber";
import { reducedMotion } from "../state/preferences";
import { use, useEffect, useMemo, useRef, useSyncExternalStore } from "react";
import { AnimationMixer, BufferAttribute, BufferGeometry, Line, LineBasicMaterial, Vector3, type AnimationAction, type Bone, type Group, type Mesh, type Object3D } from "three";
import { clone as cloneSkinned } from "three/examples/jsm/utils/SkeletonUtils.js";
import type { MotionAsset } from "../shared/exhibition";
import { artefactObjects, useRegistered } from "./artefact-registry";
import { cachedGltf } from "./gltf-loading";
import { PerformanceClock, performanceClocks } from "./performance-clock";
import { frameRest } from "./frame-rest";

const TRAIL_RATE = 30; // samples a second along the hand's path
const TRAIL_MAX_SECONDS = 20; // longer clips: the 20 s around the playhead
const scratch = new Vector3();

/** The joint a trail follows: the asset's choice, else a right hand or wrist, else the last joint. */
function trailBone(bones: Bone[], wanted: string | undefined): Bone | undefined {
  return (wanted ? bones.find((b) => b.name === wanted) : undefined) ?? bones.find((b) => /^right ?hand$|^rhand$|right_?wrist/i.test(b.name)) ?? bones.find((b) => /hand|wrist/i.test(b.name)) ?? bones[bones.length - 1];
}

/**
 * A motion-capture performance on its figure, at life size (glTF metres, scaled only by the
 * placement). Its playback clock (`performanceClocks`) is advanced in the frame loop and the
 * figure posed from it — no React state per frame, no allocation per frame. With the trail on,
 * the path of a hand over the loop (or the clip) is drawn as a line.
 */
export function Performer({ placementId, asset, scale, area }: { placementId: string; asset: MotionAsset; scale: number; area: [number, number] }) {
  const gltf = use(cachedGltf(asset.src));
  const { object, mixer, actions, bones, offset } = useMemo(() => {
    const object = cloneSkinned(gltf.scene);
    const bones: Bone[] = [];
    object.traverse((o) => {
      if ((o as Mesh).isMesh) {
        o.frustumCulled = false; // a skinned figure moves outside its rest bounds
        // Skinned raycasting is costly and tests stale bounds: the stage's hit volume takes clicks.
        o.raycast = () => {};
      }
      if ((o as Bone).isBone) bones.push(o as Bone);
    });
    const mixer = new AnimationMixer(object);
    const actions = new Map<string, AnimationAction>();
    for (const clip of gltf.animations) actions.set(clip.name, mixer.clipAction(clip));
    // Stand the figure on the stage: its lowest point over the clip's first frame at y = 0.
    gltf.animations[0] && mixer.clipAction(gltf.animations[0]).play();
    mixer.setTime(0);
    object.updateMatrixWorld(true);
    let minY = Infinity;
    for (const b of bones) minY = Math.min(minY, b.getWorldPosition(scratch).y);
    mixer.stopAllAction();
    return { object, mixer, actions, bones, offset: Number.isFinite(minY) ? -minY : 0 };
  }, [gltf, placementId]);

  const first = asset.playback.clip && actions.has(asset.playback.clip) ? asset.playback.clip : (gltf.animations[0]?.name ?? "");
  // One clock per figure and playback defaults: a document update that rebuilds the item record
  // (same values, new object) must not reset the visitor's playback.
  const defaults = JSON.stringify(asset.playback);
  const clock = useMemo(() => {
    const duration = actions.get(first)?.getClip().duration ?? asset.clips[0]?.duration ?? 1;
    const p = JSON.parse(defaults) as MotionAsset["playback"];
    return new PerformanceClock({ clip: first, duration, speed: p.speed, loop: p.loop ?? null, playing: p.autoplay && !reducedMotion() });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- asset.clips only matters through `first`
  }, [actions, first, defaults]);
  // A seek, a pause, a new take or speed, from the timeline, a headset panel or a class: draw it.
  useEffect(() => clock.subscribe(() => frameRest.wake()), [clock]);
  useEffect(() => {
    performanceClocks.set(placementId, clock);
    return () => {
      if (performanceClocks.get(placementId) === clock) performanceClocks.delete(placementId);
    };
  }, [placementId, clock]);

  const state = useRef({ clip: "", applied: -1 });
  useFrame((_, delta) => {
    clock.advance(Math.min(delta, 0.1)); // a stalled tab does not jump the performance
    if (clock.playing) frameRest.keepAwake(); // a performance playing is never a still picture
    const s = state.current;
    if (s.clip !== clock.clip) {
      mixer.stopAllAction();
      actions.get(clock.clip)?.play();
      s.clip = clock.clip;
      s.applied = -1;
    }
    if (clock.time === s.applied) return;
    const action = actions.get(clock.clip);
    if (!action) return;
    action.time = clock.time;
    mixer.update(0);
    s.applied = clock.time;
  });

  const frame = useRef<Group>(null);
  useRegistered(artefactObjects, placementId, frame);
  useEffect(() => {
    if (frame.current) frame.current.userData.url = asset.src;
  }, [asset.src]);

  const trailMaterial = useMemo(() => new LineBasicMaterial({ color: "#f0a35e" }), []);
  // The hand's path: sampled once when the trail is switched on (or the loop/clip changes).
  const trailOn = useSyncExternalStore((l) => clock.subscribe(l), () => clock.trail);
  const loopKey = useSyncExternalStore((l) => clock.subscribe(l), () => `${clock.clip}|${clock.loop?.join(",") ?? ""}`);
  const trail = useMemo(() => {
    if (!trailOn) return null;
    const action = actions.get(clock.clip);
    const bone = trailBone(bones, asset.trailJoint);
    if (!action || !bone || !frame.current) return null;
    const [from, to] = clock.loop ?? (clock.duration <= TRAIL_MAX_SECONDS ? [0, clock.duration] : [Math.max(0, clock.time - TRAIL_MAX_SECONDS / 2), Math.min(clock.duration, clock.time + TRAIL_MAX_SECONDS / 2)]);
    const n = Math.max(2, Math.round((to - from) * TRAIL_RATE));
    const points = new Float32Array(n * 3);
    const root: Object3D = frame.current;
    const wasPlaying = action.isRunning();
    action.play();
    for (let i = 0; i < n; i++) {
      action.time = from + ((to - from) * i) / (n - 1);
      mixer.update(0);
      root.updateMatrixWorld(true);
      root.worldToLocal(bone.getWorldPosition(scratch)).toArray(points, i * 3);
    }
    if (!wasPlaying) action.stop();
    state.current.applied = -1; // re-pose at the playhead next frame
    const geometry = new BufferGeometry().setAttribute("position", new BufferAttribute(points, 3));
    const line = new Line(geometry, trailMaterial);
    line.name = `trail:${bone.name}`;
    line.raycast = () => {}; // the path is to look at, not to click
    return line;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- recomputed when the trail, clip or loop change
  }, [trailOn, loopKey, actions, bones, trailMaterial]);
  useEffect(() => () => trail?.geometry.dispose(), [trail]);
  useEffect(() => () => trailMaterial.dispose(), [trailMaterial]);

  return (
    <group ref={frame} scale={scale} name={`artefact:${placementId}`}>
      {/* Centred on the stage: the recording's floor area, not its capture origin. */}
      <group position={[-(asset.floor?.centre[0] ?? 0), offset, -(asset.floor?.centre[1] ?? 0)]}>
        <primitive object={object} />
      </group>
      {trail && <primitive object={trail} />}
      {/* The volume above the stage takes pointer events for the moving figure (never drawn). */}
      <mesh position-y={(asset.figureHeight + 0.3) / 2} name="performance-hit" userData={{ placement: placementId }}>
        <boxGeometry args={[area[0], asset.figureHeight + 0.3, area[1]]} />
        <meshBasicMaterial visible={false} />
      </mesh>
    </group>
  );
}
