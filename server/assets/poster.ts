import type { Document, Material, Texture } from "@gltf-transform/core";
import sharp from "sharp";

/** Size of the poster image, in pixels (square). */
export const POSTER_SIZE = 256;

// Three-quarter view from the front right, a little above: how objects are photographed for a catalogue.
const AZIMUTH = (30 * Math.PI) / 180;
const ELEVATION = (20 * Math.PI) / 180;
const LIGHT = normalise([-0.4, 0.8, 0.6]);

type Vec3 = [number, number, number];
function normalise(v: Vec3): Vec3 {
  const l = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / l, v[1] / l, v[2] / l];
}
const toLinear = (c: number) => Math.pow(c, 2.2);
const toSrgb = (c: number) => Math.round(255 * Math.pow(Math.min(1, Math.max(0, c)), 1 / 2.2));

/** A material's colour in linear RGB: its base colour factor times its texture's mean colour. */
async function colourOf(material: Material | null, textureMeans: Map<Texture, Vec3>): Promise<Vec3> {
  if (!material) return [0.8, 0.8, 0.8];
  const f = material.getBaseColorFactor();
  let mean: Vec3 = [1, 1, 1];
  const tex = material.getBaseColorTexture();
  const image = tex?.getImage();
  if (tex && image) {
    let m = textureMeans.get(tex);
    if (!m) {
      try {
        const stats = await sharp(image).stats();
        m = [0, 1, 2].map((i) => toLinear((stats.channels[i] ?? stats.channels[0]!).mean / 255)) as Vec3;
      } catch {
        m = [0.7, 0.7, 0.7]; // an image format sharp cannot read (KTX2): a neutral grey
      }
      textureMeans.set(tex, m);
    }
    mean = m;
  }
  return [f[0] * mean[0], f[1] * mean[1], f[2] * mean[2]];
}

/**
 * A catalogue picture of a model, drawn without a GPU: every triangle of the (small) thumb tier is
 * projected orthographically from a three-quarter view, lit by one soft light, sorted back to front
 * and written as an SVG polygon, which sharp rasterises to a WebP with a transparent background.
 * Textures contribute their mean colour, which is enough to tell a celadon bowl from a bronze at
 * list size. Meant for a few thousand triangles (the thumb tier); cost grows linearly.
 */
export async function renderPoster(doc: Document, size = POSTER_SIZE): Promise<Buffer> {
  const ca = Math.cos(AZIMUTH);
  const sa = Math.sin(AZIMUTH);
  const ce = Math.cos(ELEVATION);
  const se = Math.sin(ELEVATION);
  // View basis: right, up, towards the viewer.
  const right: Vec3 = [ca, 0, -sa];
  const back: Vec3 = [sa * ce, se, ca * ce];
  const up: Vec3 = [-sa * se, ce, -ca * se];
  const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

  interface Tri {
    pts: number[];
    depth: number;
    fill: string;
  }
  const tris: Tri[] = [];
  const textureMeans = new Map<Texture, Vec3>();
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  const scene = doc.getRoot().getDefaultScene() ?? doc.getRoot().listScenes()[0];
  const nodes: import("@gltf-transform/core").Node[] = [];
  scene?.traverse((n) => void nodes.push(n));
  const p = [[0, 0, 0], [0, 0, 0], [0, 0, 0]] as Vec3[];
  for (const node of nodes) {
    const mesh = node.getMesh();
    if (!mesh) continue;
    const m = node.getWorldMatrix();
    for (const prim of mesh.listPrimitives()) {
      if (prim.getMode() !== 4) continue; // triangles only
      const pos = prim.getAttribute("POSITION");
      if (!pos) continue;
      const material = prim.getMaterial();
      const base = await colourOf(material, textureMeans);
      const doubleSided = material?.getDoubleSided() ?? false;
      const idx = prim.getIndices();
      const count = idx ? idx.getCount() : pos.getCount();
      // Vertex colours (linear RGB, as glTF stores them) tint the material: lathe-made vessels are painted this way.
      const colours = prim.getAttribute("COLOR_0");
      const c: number[] = [0, 0, 0, 1];
      const tint: Vec3 = [1, 1, 1];
      const v: number[] = [0, 0, 0];
      for (let t = 0; t + 2 < count; t += 3) {
        if (colours) tint[0] = tint[1] = tint[2] = 0;
        for (let k = 0; k < 3; k++) {
          const vi = idx ? idx.getScalar(t + k) : t + k;
          if (colours) {
            colours.getElement(vi, c);
            tint[0] += c[0]! / 3;
            tint[1] += c[1]! / 3;
            tint[2] += c[2]! / 3;
          }
          pos.getElement(vi, v);
          const [x, y, z] = v as Vec3;
          p[k]![0] = m[0] * x + m[4] * y + m[8] * z + m[12];
          p[k]![1] = m[1] * x + m[5] * y + m[9] * z + m[13];
          p[k]![2] = m[2] * x + m[6] * y + m[10] * z + m[14];
        }
        const e1: Vec3 = [p[1]![0] - p[0]![0], p[1]![1] - p[0]![1], p[1]![2] - p[0]![2]];
        const e2: Vec3 = [p[2]![0] - p[0]![0], p[2]![1] - p[0]![1], p[2]![2] - p[0]![2]];
        let n: Vec3 = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]];
        if (Math.hypot(n[0], n[1], n[2]) === 0) continue; // degenerate
        n = normalise(n);
        let facing = dot(n, back);
        if (facing < 0) {
          if (!doubleSided) continue;
          n = [-n[0], -n[1], -n[2]];
          facing = -facing;
        }
        const light = 0.35 + 0.65 * Math.max(0, dot(n, LIGHT));
        const pts: number[] = [];
        let depth = 0;
        for (const q of p) {
          const sx = dot(q, right);
          const sy = dot(q, up);
          pts.push(sx, sy);
          depth += dot(q, back);
          if (sx < minX) minX = sx;
          if (sx > maxX) maxX = sx;
          if (sy < minY) minY = sy;
          if (sy > maxY) maxY = sy;
        }
        tris.push({ pts, depth, fill: `rgb(${toSrgb(base[0] * tint[0] * light)},${toSrgb(base[1] * tint[1] * light)},${toSrgb(base[2] * tint[2] * light)})` });
      }
    }
  }
  const margin = size * 0.06;
  const span = Math.max(maxX - minX, maxY - minY) || 1;
  const scale = (size - 2 * margin) / span;
  const ox = margin + ((size - 2 * margin) - (maxX - minX) * scale) / 2;
  const oy = margin + ((size - 2 * margin) - (maxY - minY) * scale) / 2;
  tris.sort((a, b) => a.depth - b.depth); // far first (depth grows towards the viewer)
  const polys = tris.map((t) => {
    const xy: string[] = [];
    for (let i = 0; i < 6; i += 2) xy.push(`${(ox + (t.pts[i]! - minX) * scale).toFixed(1)},${(size - oy - (t.pts[i + 1]! - minY) * scale).toFixed(1)}`);
    // A hairline stroke in the same colour closes the seams between neighbouring triangles.
    return `<polygon points="${xy.join(" ")}" fill="${t.fill}" stroke="${t.fill}" stroke-width="0.6" stroke-linejoin="round"/>`;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">${polys.join("")}</svg>`;
  return sharp(Buffer.from(svg)).webp({ quality: 82, alphaQuality: 90 }).toBuffer();
}
