import { useThree } from "@react-three/fiber";
import { useEffect, useMemo } from "react";
import { Object3D, PMREMGenerator } from "three";
import { RoomEnvironment } from "three/examples/jsm/environments/RoomEnvironment.js";
import type { LightingPreset, Placement, Room } from "../shared/exhibition";

interface PresetValues {
  sky: string;
  ground: string;
  hemi: number;
  key: string;
  keyIntensity: number;
  environment: number;
  spot: number;
  spotColour: string;
}

/**
 * Lighting presets a curator picks per room. Scans need image-based light to look like objects, not
 * plastic. Only the dramatic preset has spotlights (`spot` > 0): in the brighter presets they
 * changed at most 0.03 % of the pixels of a walking view by more than 24/255 (screenshots of the
 * samples' first rooms with and without) while costing every lit material's uniforms and every
 * lit pixel each frame, so those rooms' lighting no longer grows with their artefacts (issue 24).
 */
export const LIGHTING: Record<LightingPreset, PresetValues> = {
  gallery: { sky: "#ffffff", ground: "#8a8a8a", hemi: 0.4, key: "#ffffff", keyIntensity: 0.6, environment: 0.45, spot: 0, spotColour: "#fff6e8" },
  warm: { sky: "#ffe9cf", ground: "#5a4a3a", hemi: 0.45, key: "#ffd9a8", keyIntensity: 0.7, environment: 0.5, spot: 0, spotColour: "#ffe2b8" },
  daylight: { sky: "#e4f0ff", ground: "#7d7d7d", hemi: 0.8, key: "#ffffff", keyIntensity: 1.5, environment: 0.95, spot: 0, spotColour: "#ffffff" },
  dramatic: { sky: "#d8dce8", ground: "#202020", hemi: 0.18, key: "#c8d0ff", keyIntensity: 0.25, environment: 0.3, spot: 40, spotColour: "#ffe8c8" },
};

/** At most this many artefact spotlights in a dramatic room: each light costs every lit pixel and material. */
export const MAX_SPOTS = 6;

/**
 * Room lighting: a neutral studio environment map (three's RoomEnvironment, generated on the GPU,
 * nothing downloaded) for reflections, a hemisphere fill, a soft key light, and, in a dramatic
 * room, a spotlight over each plinth (at most `MAX_SPOTS`) as in a darkened gallery.
 */
export function Lighting({ room, placements }: { room: Room; placements: [string, Placement][] }) {
  const preset = LIGHTING[room.lighting];
  const gl = useThree((s) => s.gl);
  const scene = useThree((s) => s.scene);
  useEffect(() => {
    const pmrem = new PMREMGenerator(gl);
    const env = pmrem.fromScene(new RoomEnvironment(), 0.04).texture;
    scene.environment = env;
    return () => {
      scene.environment = null;
      env.dispose();
      pmrem.dispose();
    };
  }, [gl, scene]);
  useEffect(() => {
    scene.environmentIntensity = preset.environment;
  }, [scene, preset.environment]);

  const spots = useMemo(
    () =>
      placements
        .filter(([, p]) => preset.spot > 0 && p.mount === "plinth")
        .slice(0, MAX_SPOTS)
        .map(([id, p]) => {
          const target = new Object3D();
          target.position.set(p.position[0], (p.plinth?.height ?? 1) + 0.05, p.position[2]);
          return { id, p, target };
        }),
    [placements, preset.spot],
  );

  return (
    <>
      <hemisphereLight args={[preset.sky, preset.ground, preset.hemi]} />
      <directionalLight color={preset.key} intensity={preset.keyIntensity} position={[room.size.w * 0.2, room.size.h * 2, room.size.d * 0.5]} />
      {spots.map(({ id, p, target }) => (
        <group key={id}>
          <primitive object={target} />
          <spotLight
            position={[p.position[0] + 0.4, room.size.h - 0.1, p.position[2] + 1.2]}
            target={target}
            color={preset.spotColour}
            intensity={preset.spot}
            angle={0.32}
            penumbra={0.7}
            distance={room.size.h * 2.5}
            decay={2}
          />
        </group>
      ))}
    </>
  );
}
