/**
 * Generates the tea ware models of the "Tea and its vessels" sample exhibition: lathe geometry
 * (three) written to GLB with @gltf-transform, one mesh and one material per object so each
 * artefact costs one draw call. Sizes follow the Carnegie Museum of Art records the items cite.
 * These are illustrative models made by Atrium (CC0), not scans of the museum's objects; the
 * exhibition says so on each label.
 *
 *   npm run models        # writes models/tea/*.glb
 */
import { Document, NodeIO } from "@gltf-transform/core";
import { weld } from "@gltf-transform/functions";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as THREE from "three";
import { mergeGeometries } from "three/examples/jsm/utils/BufferGeometryUtils.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(root, "models/tea");

type Profile = [radius: number, height: number][];
type Shade = (y: number, x: number, z: number) => [number, number, number];

/** A closed-wall vessel: outer profile up to the rim, then the inner profile back down, in cm. */
function vessel(outer: Profile, inner: Profile, segments = 72): THREE.BufferGeometry {
  const pts = [...outer, ...inner].map(([r, y]) => new THREE.Vector2(r / 100, y / 100));
  return new THREE.LatheGeometry(pts, segments);
}

function solid(profile: Profile, segments = 48): THREE.BufferGeometry {
  return new THREE.LatheGeometry(profile.map(([r, y]) => new THREE.Vector2(r / 100, y / 100)), segments);
}

function tube(points: [number, number, number][], radiusCm: number, tubular = 32, radial = 12): THREE.BufferGeometry {
  const curve = new THREE.CatmullRomCurve3(points.map(([x, y, z]) => new THREE.Vector3(x / 100, y / 100, z / 100)));
  return new THREE.TubeGeometry(curve, tubular, radiusCm / 100, radial, false);
}

function hex(c: string): [number, number, number] {
  const col = new THREE.Color(c); // sRGB hex -> linear, as glTF vertex colours are linear
  return [col.r, col.g, col.b];
}

function paint(geom: THREE.BufferGeometry, shade: Shade): void {
  const pos = geom.getAttribute("position");
  const colours = new Float32Array(pos.count * 3);
  for (let i = 0; i < pos.count; i++) {
    const [r, g, b] = shade(pos.getY(i) * 100, pos.getX(i) * 100, pos.getZ(i) * 100);
    colours.set([r, g, b], i * 3);
  }
  geom.setAttribute("color", new THREE.BufferAttribute(colours, 3));
}

interface Spec {
  file: string;
  name: string;
  parts: THREE.BufferGeometry[];
  shade: Shade;
  roughness: number;
  metalness?: number;
}

async function write(spec: Spec): Promise<void> {
  const geoms = spec.parts.map((g) => (g.index ? g.toNonIndexed() : g));
  for (const g of geoms) {
    g.deleteAttribute("uv");
    if (!g.getAttribute("normal")) g.computeVertexNormals();
    paint(g, spec.shade);
  }
  const merged = mergeGeometries(geoms, false);
  if (!merged) throw new Error(`could not merge ${spec.name}`);
  const doc = new Document();
  doc.getRoot().getAsset().generator = "Atrium scripts/make-teaware.ts";
  doc.getRoot().getAsset().copyright = "Atrium contributors, CC0 1.0 (illustrative model)";
  const buffer = doc.createBuffer();
  const attr = (name: string, size: "VEC3") =>
    doc.createAccessor().setType(size).setArray(merged.getAttribute(name).array as Float32Array).setBuffer(buffer);
  const prim = doc
    .createPrimitive()
    .setAttribute("POSITION", attr("position", "VEC3"))
    .setAttribute("NORMAL", attr("normal", "VEC3"))
    .setAttribute("COLOR_0", attr("color", "VEC3"))
    .setMaterial(
      doc
        .createMaterial(`${spec.name} glaze`)
        .setBaseColorFactor([1, 1, 1, 1])
        .setRoughnessFactor(spec.roughness)
        .setMetallicFactor(spec.metalness ?? 0),
    );
  const mesh = doc.createMesh(spec.name).addPrimitive(prim);
  const node = doc.createNode(spec.name).setMesh(mesh);
  doc.createScene(spec.name).addChild(node);
  // Lathe seams and merged parts leave duplicate vertices: weld restores an index buffer (~2x smaller).
  await doc.transform(weld());
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, spec.file);
  await new NodeIO().write(path, doc);
  console.log(`wrote models/tea/${spec.file} (${merged.getAttribute("position").count} vertices)`);
}

const lerp = (a: [number, number, number], b: [number, number, number], t: number): [number, number, number] => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
  a[2] + (b[2] - a[2]) * t,
];
const clamp01 = (t: number) => Math.min(1, Math.max(0, t));

// Jian ware "hare's fur" tea bowl, Song dynasty: 15.9 cm across, 6.7 cm high (CMOA 4bd7f86a).
const tenmoku: Spec = {
  file: "tenmoku-bowl.glb",
  name: "Tenmoku tea bowl",
  parts: [
    vessel(
      [[0, 0], [2.6, 0], [2.7, 0.2], [2.7, 0.9], [3.4, 1.1], [5.2, 2.2], [6.8, 3.8], [7.7, 5.4], [7.8, 6.2], [7.95, 6.7]],
      [[7.6, 6.7], [7.3, 5.6], [6.4, 4.0], [4.7, 2.6], [2.5, 1.7], [0, 1.5]],
    ),
  ],
  // Unglazed iron-rich foot, dark glaze thinning to rust-brown at the rim, with fine streaks.
  shade: (y, x, z) => {
    if (y < 1.0) return hex("#6b4a36");
    const a = Math.atan2(z, x);
    const streak = 0.5 + 0.5 * Math.sin(a * 90 + y * 0.7);
    const base = lerp(hex("#1c1410"), hex("#5a3418"), clamp01((y - 4.5) / 2.2));
    return lerp(base, hex("#7a4a22"), streak * 0.25 * clamp01((y - 2) / 5));
  },
  roughness: 0.18,
};

// Qingbai (ch'ing-pai) cup, Song dynasty: 11.1 cm across, 6.7 cm high (CMOA 9b40a34d).
const qingbai: Spec = {
  file: "qingbai-cup.glb",
  name: "Qingbai cup",
  parts: [
    vessel(
      [[0, 0], [2.0, 0], [2.1, 0.9], [2.6, 1.1], [3.9, 2.2], [4.9, 3.8], [5.4, 5.4], [5.55, 6.7]],
      [[5.3, 6.7], [5.1, 5.4], [4.6, 3.9], [3.6, 2.5], [1.8, 1.6], [0, 1.4]],
    ),
  ],
  shade: (y) => (y < 0.9 ? hex("#e9e2d4") : lerp(hex("#cfe3df"), hex("#a9cfc9"), clamp01((3 - y) / 3))),
  roughness: 0.08,
};

// Goryeo celadon bowl, 11th-14th century: 17.1 cm across, 8.6 cm high (CMOA 77e3772f).
const celadon: Spec = {
  file: "celadon-bowl.glb",
  name: "Celadon bowl",
  parts: [
    vessel(
      [[0, 0], [2.9, 0], [3.0, 1.0], [3.6, 1.2], [5.6, 2.6], [7.3, 4.6], [8.2, 6.6], [8.55, 8.6]],
      [[8.25, 8.6], [7.9, 6.7], [7.0, 4.8], [5.3, 3.0], [2.8, 1.9], [0, 1.7]],
    ),
  ],
  shade: (y, x, z) => {
    if (y < 1.0) return hex("#b8a892");
    const a = Math.atan2(z, x);
    const inlay = y > 5.8 && y < 6.6 && Math.sin(a * 24) > 0.6; // a band of inlaid white crane-and-cloud marks
    return inlay ? hex("#e8e6da") : lerp(hex("#7f9c82"), hex("#9fb9a0"), clamp01(y / 8.6));
  },
  roughness: 0.12,
};

// Yixing-style stoneware teapot, c. 1900: 17.1 cm wide with spout and handle, 7.9 cm high (CMOA 0f34ac1d).
const teapotBody = vessel(
  [[0, 0], [4.0, 0], [4.2, 0.4], [5.4, 1.4], [6.0, 3.0], [5.9, 4.8], [5.0, 6.0], [3.6, 6.4], [3.5, 6.6]],
  [[3.2, 6.6], [3.2, 6.3], [0, 6.3]],
  64,
);
const teapotLid = solid([[0, 6.3], [3.55, 6.3], [3.6, 6.6], [3.0, 7.0], [1.2, 7.2], [0.9, 7.3], [1.0, 7.7], [0.7, 7.95], [0, 7.95]], 48);
const spout = tube([[5.6, 2.4, 0], [7.0, 3.0, 0], [8.0, 4.6, 0], [8.7, 5.9, 0]], 0.65);
const handle = tube([[-5.6, 4.9, 0], [-7.6, 5.2, 0], [-8.4, 3.6, 0], [-7.4, 2.1, 0], [-5.8, 1.9, 0]], 0.5);
const teapot: Spec = {
  file: "yixing-teapot.glb",
  name: "Stoneware teapot",
  parts: [teapotBody, teapotLid, spout, handle],
  shade: (y) => lerp(hex("#7a3b22"), hex("#8e4a2b"), clamp01(y / 8)),
  roughness: 0.55,
};

// Tea caddy (cha-ire), 16th-17th century, with ivory lid: 5.7 cm across, 7.6 cm high (CMOA 63a2f3e2).
const caddy: Spec = {
  file: "tea-caddy.glb",
  name: "Tea caddy",
  parts: [
    solid([[0, 0], [1.8, 0], [2.1, 0.3], [2.6, 1.4], [2.85, 3.2], [2.7, 4.8], [2.1, 5.8], [1.55, 6.2], [1.5, 6.9], [0, 6.9]], 56),
    solid([[0, 6.9], [1.75, 6.9], [1.8, 7.2], [1.7, 7.45], [0.5, 7.6], [0, 7.6]], 40),
  ],
  shade: (y, x, z) => {
    if (y > 6.9) return hex("#efe6d2"); // ivory lid
    if (y < 1.2) return hex("#8c6a4a");
    const drip = Math.sin(Math.atan2(z, x) * 7) > 0.2 && y < 3.4 ? 0.6 : 0;
    return lerp(lerp(hex("#3a2414"), hex("#6b4220"), clamp01((y - 1) / 5)), hex("#b08a4a"), drip);
  },
  roughness: 0.2,
};

// Blue-and-white porcelain water jar, Kangxi period: 12.4 cm across, 10.2 cm high (CMOA 5e06190d).
const waterJar: Spec = {
  file: "water-jar.glb",
  name: "Blue-and-white water jar",
  parts: [
    vessel(
      [[0, 0], [3.9, 0], [4.0, 0.6], [5.3, 1.8], [6.2, 4.2], [6.0, 7.0], [5.0, 8.9], [4.3, 9.6], [4.35, 10.2]],
      [[4.0, 10.2], [3.95, 9.5], [4.7, 8.7], [5.7, 6.9], [5.8, 4.2], [4.9, 2.2], [0, 0.9]],
    ),
  ],
  shade: (y, x, z) => {
    const white = hex("#f4f4f0");
    const blue = hex("#1f3f8f");
    const a = Math.atan2(z, x);
    if ((y > 8.6 && y < 9.2) || (y > 1.0 && y < 1.5)) return blue; // bands at shoulder and foot
    if (y > 2.2 && y < 7.8) {
      const petals = Math.sin(a * 6 + Math.sin(y * 0.9) * 1.2);
      if (petals > 0.82 || (Math.abs(y - 5) < 1.3 && Math.sin(a * 18) > 0.7)) return lerp(blue, white, 0.15);
    }
    return white;
  },
  roughness: 0.1,
};

// Bamboo tea whisk (chasen): a Japanese tea-ceremony tool, modelled by Atrium; no museum record.
const whiskTines = solid([[0.0, 5.2], [1.1, 5.2], [1.3, 6.0], [2.2, 7.4], [2.9, 8.6], [3.0, 9.4], [2.6, 9.5], [2.2, 8.8], [1.5, 7.6], [0.9, 6.8], [0, 6.7]], 96);
const whisk: Spec = {
  file: "tea-whisk.glb",
  name: "Tea whisk",
  parts: [solid([[0, 0], [1.3, 0], [1.35, 0.3], [1.2, 5.4], [0, 5.4]], 32), whiskTines],
  shade: (y, x, z) => {
    const a = Math.atan2(z, x);
    const tine = y > 6.2 && Math.sin(a * 48) > 0.3;
    return tine ? hex("#d9c48e") : y > 6.2 ? hex("#a48a52") : hex("#c8b07a");
  },
  roughness: 0.6,
};

for (const spec of [tenmoku, qingbai, celadon, teapot, caddy, waterJar, whisk]) await write(spec);
