/**
 * What the AR view has done, for the probe and tests: whether a surface is under the reticle,
 * where the artefact was placed, at what scale (real size from the record), and its turn.
 */
export const arState = {
  placement: null as string | null,
  surface: false,
  placed: false,
  position: [0, 0, 0] as [number, number, number],
  scale: 1,
  yaw: 0,
  /** The artefact's height as shown, in metres (its record's height when it has one). */
  height: 0,
};

/** Drag (radians of the pointer's turn) under which a select is a tap that places, not a turn. */
export const TAP_TURN = 0.03;

/** How much a sideways drag turns the artefact: a small finger movement gives a useful turn. */
export const TURN_GAIN = 4;

/** The turn about the vertical of a ray direction (x, z), in three's yaw convention. */
export const rayYaw = (x: number, z: number) => Math.atan2(-x, -z);
