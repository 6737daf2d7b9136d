import type { ItemAsset, ModelAsset } from "../shared/exhibition";
import { tierFor, type Quality } from "./tier-choice";

export type { Quality };

/** The URL of the tier a room loads for `quality` before anyone is close: the one rule, `tierFor`, for a visitor walking. */
export function chooseTier(asset: ModelAsset, quality: Quality): string {
  return tierFor(asset, quality, { device: "desktop", close: false });
}

/** Reads `?quality=` from a query string. */
export function qualityFromSearch(search: string): Quality {
  const q = new URLSearchParams(search).get("quality");
  return q === "low" || q === "high" ? q : "auto";
}

/** The URL a 3D view loads for an item: a model tier, a performance's file, or null for a wall-hung image. */
export function modelUrl(asset: ItemAsset, quality: Quality): string | null {
  return asset.kind === "model" ? chooseTier(asset, quality) : asset.kind === "motion" ? asset.src : null;
}
