/** The vertical field of view (degrees) of a landscape screen. */
export const BASE_FOV = 60;
/** The narrowest horizontal view a visitor gets (degrees), so a portrait phone still sees a room's width. */
const MIN_HORIZONTAL_FOV = 56;
/** The widest vertical view (degrees): beyond it, a tall phone's picture bends too much at the edges. */
const MAX_FOV = 90;

/**
 * The vertical field of view for a screen of this aspect (width / height). A fixed 60 degrees
 * gives a portrait phone (aspect ~0.46) a 30-degree slit: from the entrance, a room's two objects
 * sat at the edges of the screen. Narrow screens get a taller view instead, within limits.
 */
export function fovForAspect(aspect: number): number {
  if (!(aspect > 0)) return BASE_FOV;
  const halfH = (MIN_HORIZONTAL_FOV * Math.PI) / 360;
  const needed = (2 * Math.atan(Math.tan(halfH) / aspect) * 180) / Math.PI;
  return Math.min(MAX_FOV, Math.max(BASE_FOV, needed));
}
