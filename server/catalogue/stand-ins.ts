import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getBounds, NodeIO } from "@gltf-transform/core";

/**
 * Atrium's illustrative vessel models (models/tea/), used to show a museum record that has no 3D
 * scan of its own. Each is labelled as illustrative wherever it appears.
 */
export const STAND_INS = {
  bowl: "/models/tea/celadon-bowl.glb",
  "tea-bowl": "/models/tea/tenmoku-bowl.glb",
  cup: "/models/tea/qingbai-cup.glb",
  teapot: "/models/tea/yixing-teapot.glb",
  jar: "/models/tea/water-jar.glb",
  caddy: "/models/tea/tea-caddy.glb",
  whisk: "/models/tea/tea-whisk.glb",
} as const;
export type StandIn = keyof typeof STAND_INS;

/** Which stand-in shape suits a record's title (first match wins), or null when none fits. */
export function standInFor(title: string): StandIn | null {
  const t = title.toLowerCase();
  if (/\btea ?bowl\b|temmoku|tenmoku|chawan/.test(t)) return "tea-bowl";
  if (/\bteapot|\bewer\b|\bkettle\b|\bpot\b/.test(t)) return "teapot";
  if (/\b(tea ?cup|cup|wine cup|teacup)s?\b/.test(t)) return "cup";
  if (/\bcaddy\b|\btea jar\b|\bbox\b/.test(t)) return "caddy";
  if (/\bwhisk\b/.test(t)) return "whisk";
  if (/\bbowls?\b|\bdish\b|\bsaucer\b|\bplate\b|\bcharger\b/.test(t)) return "bowl";
  if (/\bjar\b|\bvase\b|\bbottle\b|\bflask\b|\burn\b|\bbucket\b|\bwater\b|\bholder\b/.test(t)) return "jar";
  return null;
}

/** Height in metres of each stand-in model, measured from the files (so sizes follow the models). */
export async function measureStandIns(modelsDir: string): Promise<Record<StandIn, number>> {
  const io = new NodeIO();
  const out = {} as Record<StandIn, number>;
  for (const [key, url] of Object.entries(STAND_INS) as [StandIn, string][]) {
    const doc = await io.readBinary(new Uint8Array(readFileSync(join(modelsDir, url.replace(/^\/models\//, "")))));
    const scene = doc.getRoot().getDefaultScene() ?? doc.getRoot().listScenes()[0]!;
    const { min, max } = getBounds(scene);
    out[key] = max[1] - min[1];
  }
  return out;
}
