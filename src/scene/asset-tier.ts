import type { ItemAsset, ModelAsset } from "../shared/exhibition";

/** Which quality tier to show: `auto` takes the lighter tier for walking, like dpo-voyager's derivatives. */
export type Quality = "auto" | "low" | "high";

/** The URL of the tier to load for `quality`, falling back to whichever tier exists. */
export function chooseTier(asset: ModelAsset, quality: Quality): string {
  const { low, high } = asset.tiers;
  const url = quality === "high" ? (high ?? low) : (low ?? high);
  // The schema guarantees one of low/high.
  return url!;
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
