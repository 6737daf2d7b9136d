import type { ModelAsset } from "../shared/exhibition";

/** Which quality tier to show: `auto` takes the lighter tier for walking, like dpo-voyager's derivatives. */
export type Quality = "auto" | "low" | "high";

/**
 * What kind of device draws the scene: a handheld never gets the heavy tier on its own, and
 * neither does a headset: the walking tier's 1024 px textures on a 30 cm object held at 0.5 m
 * give ~1,000 texels across ~33° of view, more than the ~25 pixels per degree a Quest 3 shows,
 * so the light tier is already sharp at arm's length and keeps the Quest's budget.
 */
export type DeviceClass = "desktop" | "handheld" | "headset";

/** Whether this browser is a phone or tablet (coarse pointer, touch, small or mobile UA). */
export function deviceClass(env: { maxTouchPoints: number; coarsePointer: boolean; userAgent: string }): DeviceClass {
  if (/Android|iPhone|iPad|Mobile/i.test(env.userAgent)) return "handheld";
  return env.maxTouchPoints > 0 && env.coarsePointer ? "handheld" : "desktop";
}

/** Distances (metres, camera to artefact) at which the detailed tier is wanted, with hysteresis. */
export const CLOSE_ENTER = 1.8;
export const CLOSE_LEAVE = 2.6;

/**
 * The tier an artefact should show (after dpo-voyager's derivatives): `low` for walking, `high`
 * when the visitor is close to it or inspecting it, on desktops. Phones and tablets keep `low`
 * unless the visitor asked for `?quality=high`; an explicit quality always wins.
 */
export function tierFor(asset: ModelAsset, quality: Quality, ctx: { device: DeviceClass; close: boolean }): string {
  const { low, high } = asset.tiers;
  const detailed = quality === "high" || (quality === "auto" && ctx.device === "desktop" && ctx.close);
  return (detailed ? (high ?? low) : (low ?? high))!;
}

/**
 * The artefacts the camera is close to, updated with hysteresis (enter within `enter`, leave
 * beyond `leave`) so a visitor standing at the threshold does not make a model flip between tiers.
 * Returns null when nothing changed, so callers only publish real changes.
 */
export function updateCloseSet(previous: ReadonlySet<string>, distances: ReadonlyMap<string, number>, enter = CLOSE_ENTER, leave = CLOSE_LEAVE): Set<string> | null {
  let changed = false;
  const next = new Set<string>();
  for (const [id, d] of distances) {
    const was = previous.has(id);
    const is = was ? d <= leave : d <= enter;
    if (is) next.add(id);
    if (is !== was) changed = true;
  }
  for (const id of previous) if (!distances.has(id)) changed = true; // gone from the room
  return changed ? next : null;
}
