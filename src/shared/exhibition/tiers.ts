import { roomsInOrder, type Exhibition, type ItemAsset, type ModelAsset, type Placement } from "./schema";

/**
 * Which quality tier to show: `auto` takes the lighter tier for walking, like dpo-voyager's
 * derivatives; `thumb` is the low-bandwidth mode (each artefact's lightest tier, always).
 */
export type Quality = "auto" | "thumb" | "low" | "high";

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
  const { thumb, low, high } = asset.tiers;
  if (quality === "thumb") return (thumb ?? low ?? high)!;
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

/** The first-party cookie ("on" / "off", nothing else) by which a page tells the server the visitor's data-saver choice. */
export const DATA_SAVER_COOKIE = "atrium-save-data";

/**
 * Whether a request's page should preload light models: the visitor's choice (the cookie),
 * else the browser's `Save-Data: on` hint; the server's counterpart of `chooseQuality`'s inputs.
 */
export function requestSavesData(cookieHeader: string | undefined, saveDataHeader: string | undefined): boolean {
  const choice = new RegExp(`(?:^|;\\s*)${DATA_SAVER_COOKIE}=(on|off)(?:;|$)`).exec(cookieHeader ?? "")?.[1];
  return choice ? choice === "on" : saveDataHeader === "on";
}

/** The URL of the tier a room loads for `quality` before anyone is close: the one rule, `tierFor`, for a visitor walking. */
export function chooseTier(asset: ModelAsset, quality: Quality): string {
  return tierFor(asset, quality, { device: "desktop", close: false });
}

/** Reads `?quality=` from a query string. */
export function qualityFromSearch(search: string): Quality {
  const q = new URLSearchParams(search).get("quality");
  return q === "thumb" || q === "low" || q === "high" ? q : "auto";
}

/**
 * The quality a page loads: `?quality=` when given, else the low-bandwidth `thumb` when the
 * visitor (or, without a choice of theirs, the browser's data-saver hint) asks to save data.
 * The server's preloads use the same rule with the `Save-Data` request header as the hint.
 */
export function chooseQuality(search: string, dataSaver: boolean | null, browserSavesData: boolean): Quality {
  const asked = qualityFromSearch(search);
  if (asked !== "auto") return asked;
  return (dataSaver ?? browserSavesData) ? "thumb" : "auto";
}

/** The URL a 3D view loads for an item: a model tier, a performance's file, or null for a wall-hung image. */
export function modelUrl(asset: ItemAsset, quality: Quality): string | null {
  return asset.kind === "model" ? chooseTier(asset, quality) : asset.kind === "motion" ? asset.src : null;
}

type Entry = [string, Placement];

/** The placements standing in `room`, in id order. */
export function placementsIn(doc: Pick<Exhibition, "placements">, room: string): Entry[] {
  return Object.entries(doc.placements)
    .filter(([, p]) => p.room === room)
    .sort((a, b) => a[0].localeCompare(b[0]));
}

/** Every placement's id in visiting order: room by room (their order), each room's in id order. */
export function placementsInVisitingOrder(doc: Pick<Exhibition, "placements" | "rooms">): string[] {
  return roomsInOrder(doc).flatMap(([room]) => placementsIn(doc, room).map(([id]) => id));
}

/** The model URL each placement in `placements` loads at `quality` (the room's downloads). */
export function modelUrls(placements: Entry[], items: Exhibition["items"], quality: Quality): string[] {
  return placements.flatMap(([, p]) => {
    const it = items[p.item];
    const url = it ? modelUrl(it.asset, quality) : null;
    return url ? [url] : [];
  });
}

/**
 * What a visitor's 3D view downloads on entering `room` (default: the first room) at `quality`,
 * each URL once. The viewer waits for these before the room counts as ready; the server names
 * them in the page so the browser fetches them while the app starts.
 */
export function roomDownloads(doc: Exhibition, quality: Quality, room = roomsInOrder(doc)[0]?.[0]): string[] {
  return room === undefined ? [] : [...new Set(modelUrls(placementsIn(doc, room), doc.items, quality))];
}

/** The picture file of a shipped model: `whale_cranium.glb` -> `whale_cranium.poster.webp` (made by `npm run posters`). */
export const posterFileOf = (glb: string) => glb.replace(/\.glb$/, ".poster.webp");
