import type { Document, Node as GltfNode } from "@gltf-transform/core";
import { strToU8, zipSync } from "fflate";
import Module from "manifold-3d";
import { gltfIO } from "../gltf/io";

/** Printed sizes a visitor may ask for (mm, the longest side): a hand-sized touch copy up to a printer's bed. */
export const PRINT_SIZE = { min: 30, max: 250, step: 10, default: 120 } as const;

/** Cells along the object's longest side when it is solidified: detail a hand can feel, bounded work. */
const GRID = 96;

/** What a tactile copy is made of, and figures for the label and the tests. */
export interface TactileCopy {
  stl: Buffer;
  /** The same mesh as 3MF (indexed, with its unit and title), the format slicers and printers prefer. */
  threeMf: Buffer;
  triangles: number;
  /** Size of the print (x, y, z) in mm, z up. */
  size: [number, number, number];
  /** Printed size over the object's real size (from its model, in metres): 0.5 is half size. */
  scale: number;
  ms: number;
}

let manifold: Promise<Awaited<ReturnType<typeof Module>>> | null = null;
function manifoldKernel() {
  manifold ??= Module().then((wasm) => {
    wasm.setup();
    return wasm;
  });
  return manifold;
}

/** Every triangle of the model's default scene in world space, z up (glTF is y up), in metres. */
function worldTriangles(doc: Document, unitsPerMeter: number): Float32Array {
  const scene = doc.getRoot().getDefaultScene() ?? doc.getRoot().listScenes()[0];
  const nodes: GltfNode[] = [];
  scene?.traverse((n) => void nodes.push(n));
  const out: number[] = [];
  const v = [0, 0, 0];
  for (const node of nodes) {
    const mesh = node.getMesh();
    if (!mesh) continue;
    const m = node.getWorldMatrix();
    for (const prim of mesh.listPrimitives()) {
      if (prim.getMode() !== 4) continue; // triangles only
      const pos = prim.getAttribute("POSITION");
      if (!pos) continue;
      const idx = prim.getIndices();
      const count = idx ? idx.getCount() : pos.getCount();
      for (let i = 0; i + 2 < count; i += 3) {
        for (let k = 0; k < 3; k++) {
          pos.getElement(idx ? idx.getScalar(i + k) : i + k, v);
          const x = m[0] * v[0]! + m[4] * v[1]! + m[8] * v[2]! + m[12];
          const y = m[1] * v[0]! + m[5] * v[1]! + m[9] * v[2]! + m[13];
          const z = m[2] * v[0]! + m[6] * v[1]! + m[10] * v[2]! + m[14];
          // y up -> z up (x stays, z becomes -y): the object stands on the print bed as in the gallery.
          out.push(x / unitsPerMeter, -z / unitsPerMeter, y / unitsPerMeter);
        }
      }
    }
  }
  return Float32Array.from(out);
}

/**
 * A solid of the model: its surface drawn into a grid, the outside flood-filled from the border,
 * and everything not outside kept. A scan's holes narrower than a cell close, inner surfaces and
 * self-intersections vanish; what is left is one closed volume. Returns occupancy (0 or 1) per cell.
 */
function solidify(tris: Float32Array, min: number[], cell: number, dims: [number, number, number]): Uint8Array {
  const [nx, ny, nz] = dims;
  const at = (i: number, j: number, k: number) => i + nx * (j + ny * k);
  const surface = new Uint8Array(nx * ny * nz);
  const mark = (x: number, y: number, z: number) => {
    const i = Math.floor((x - min[0]!) / cell);
    const j = Math.floor((y - min[1]!) / cell);
    const k = Math.floor((z - min[2]!) / cell);
    if (i >= 0 && j >= 0 && k >= 0 && i < nx && j < ny && k < nz) surface[at(i, j, k)] = 1;
  };
  for (let t = 0; t < tris.length; t += 9) {
    const ax = tris[t]!, ay = tris[t + 1]!, az = tris[t + 2]!;
    const bx = tris[t + 3]!, by = tris[t + 4]!, bz = tris[t + 5]!;
    const cx = tris[t + 6]!, cy = tris[t + 7]!, cz = tris[t + 8]!;
    // Sample the triangle at under half a cell apart, so no cell it crosses is missed.
    const longest = Math.max(Math.hypot(bx - ax, by - ay, bz - az), Math.hypot(cx - ax, cy - ay, cz - az), Math.hypot(cx - bx, cy - by, cz - bz));
    const n = Math.max(1, Math.ceil(longest / (cell * 0.45)));
    for (let a = 0; a <= n; a++)
      for (let b = 0; a + b <= n; b++) {
        const u = a / n, w = b / n, s = 1 - u - w;
        mark(s * ax + u * bx + w * cx, s * ay + u * by + w * cy, s * az + u * bz + w * cz);
      }
  }
  // Flood the outside from every border cell (6-connected), stopping at the surface.
  const outside = new Uint8Array(nx * ny * nz);
  const stack: number[] = [];
  const push = (i: number, j: number, k: number) => {
    if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) return;
    const c = at(i, j, k);
    if (outside[c] || surface[c]) return;
    outside[c] = 1;
    stack.push(c);
  };
  for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) (push(i, j, 0), push(i, j, nz - 1));
  for (let i = 0; i < nx; i++) for (let k = 0; k < nz; k++) (push(i, 0, k), push(i, ny - 1, k));
  for (let j = 0; j < ny; j++) for (let k = 0; k < nz; k++) (push(0, j, k), push(nx - 1, j, k));
  while (stack.length) {
    const c = stack.pop()!;
    const i = c % nx, j = Math.floor(c / nx) % ny, k = Math.floor(c / (nx * ny));
    push(i + 1, j, k), push(i - 1, j, k), push(i, j + 1, k), push(i, j - 1, k), push(i, j, k + 1), push(i, j, k - 1);
  }
  const solid = new Uint8Array(nx * ny * nz);
  for (let c = 0; c < solid.length; c++) solid[c] = outside[c] ? 0 : 1;
  return solid;
}

/** Binary STL (little-endian: 80-byte header, count, then normal + three vertices + 2 bytes a triangle). */
export function binaryStl(vertices: Float32Array, triangles: Uint32Array, stride: number, header: string): Buffer {
  const n = triangles.length / 3;
  const b = Buffer.alloc(84 + n * 50);
  b.write(header.slice(0, 79), 0, "ascii");
  b.writeUInt32LE(n, 80);
  let o = 84;
  const p = (i: number, k: number) => vertices[triangles[i]! * stride + k]!;
  for (let t = 0; t < triangles.length; t += 3) {
    const ux = p(t + 1, 0) - p(t, 0), uy = p(t + 1, 1) - p(t, 1), uz = p(t + 1, 2) - p(t, 2);
    const vx = p(t + 2, 0) - p(t, 0), vy = p(t + 2, 1) - p(t, 1), vz = p(t + 2, 2) - p(t, 2);
    let nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const len = Math.hypot(nx, ny, nz) || 1;
    nx /= len, ny /= len, nz /= len;
    b.writeFloatLE(nx, o), b.writeFloatLE(ny, o + 4), b.writeFloatLE(nz, o + 8);
    o += 12;
    for (let k = 0; k < 3; k++) {
      b.writeFloatLE(p(t + k, 0), o), b.writeFloatLE(p(t + k, 1), o + 4), b.writeFloatLE(p(t + k, 2), o + 8);
      o += 12;
    }
    o += 2;
  }
  return b;
}

const xmlText = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/**
 * A 3MF package (3MF Core Specification 1.3: an OPC zip with the content types, the root
 * relationship and one model part) holding one indexed mesh in millimetres. Unlike STL it keeps
 * the shared vertices, so a slicer does not have to weld them, and it says its unit. Zipped with
 * fflate (deflate), as the format asks.
 */
export function threeMf(vertices: Float32Array, triangles: Uint32Array, stride: number, title: string): Buffer {
  const v: string[] = [];
  for (let i = 0; i < vertices.length; i += stride) v.push(`<vertex x="${+vertices[i]!.toFixed(4)}" y="${+vertices[i + 1]!.toFixed(4)}" z="${+vertices[i + 2]!.toFixed(4)}"/>`);
  const t: string[] = [];
  for (let i = 0; i < triangles.length; i += 3) t.push(`<triangle v1="${triangles[i]}" v2="${triangles[i + 1]}" v3="${triangles[i + 2]}"/>`);
  const model = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<model unit="millimeter" xml:lang="en-US" xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02">',
    `<metadata name="Title">${xmlText(title)}</metadata>`,
    '<metadata name="Application">Atrium</metadata>',
    `<resources><object id="1" type="model"><mesh><vertices>${v.join("")}</vertices><triangles>${t.join("")}</triangles></mesh></object></resources>`,
    '<build><item objectid="1"/></build>',
    "</model>",
  ].join("\n");
  const contentTypes =
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="model" ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"/></Types>';
  const rels =
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    '<Relationship Target="/3D/3dmodel.model" Id="rel0" Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/></Relationships>';
  return Buffer.from(zipSync({ "[Content_Types].xml": strToU8(contentTypes), "_rels/.rels": strToU8(rels), "3D/3dmodel.model": strToU8(model) }, { level: 6 }));
}

/**
 * A watertight, printable copy of a model, `sizeMm` along its longest side, standing on a flat base: the model is
 * solidified on a grid (its holes closed, inner shells dropped), the solid's surface is rebuilt as
 * a guaranteed-manifold mesh by the Manifold library's level set, and the bottom is cut flat.
 * Runs in the asset sandbox (a process of its own with memory and time limits).
 */
export async function tactileCopy(glb: Uint8Array, sizeMm: number, unitsPerMeter = 1, title = "Atrium tactile copy"): Promise<TactileCopy> {
  const started = performance.now();
  const doc = await (await gltfIO()).readBinary(glb);
  const tris = worldTriangles(doc, unitsPerMeter);
  if (tris.length === 0) throw new Error("the model has no triangles to print");
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < tris.length; i += 3)
    for (let k = 0; k < 3; k++) {
      min[k] = Math.min(min[k]!, tris[i + k]!);
      max[k] = Math.max(max[k]!, tris[i + k]!);
    }
  const extent = [max[0]! - min[0]!, max[1]! - min[1]!, max[2]! - min[2]!];
  const longest = Math.max(...extent);
  if (!(extent[2]! > 0) || !(longest > 0)) throw new Error("the model is flat: it has no height to print");
  const scale = sizeMm / 1000 / longest;
  // Work in printed millimetres from here: the grid, the level set and the file.
  for (let i = 0; i < tris.length; i += 3) for (let k = 0; k < 3; k++) tris[i + k] = (tris[i + k]! - min[k]!) * scale * 1000;
  const size = extent.map((e) => e * scale * 1000);
  const cell = Math.max(...size) / GRID;
  // One empty cell of margin around the object, so the outside surrounds it.
  const origin = [-cell * 1.5, -cell * 1.5, -cell * 1.5];
  const dims = size.map((s) => Math.ceil(s / cell) + 3) as [number, number, number];
  const solid = solidify(tris, origin, cell, dims);
  const [nx, ny, nz] = dims;
  const occ = (i: number, j: number, k: number) => (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz ? 0 : solid[i + nx * (j + ny * k)]!);
  // Positive inside: trilinear occupancy around each point, less one half (the surface).
  const sdf = (p: readonly number[]) => {
    const x = (p[0]! - origin[0]!) / cell - 0.5, y = (p[1]! - origin[1]!) / cell - 0.5, z = (p[2]! - origin[2]!) / cell - 0.5;
    const i = Math.floor(x), j = Math.floor(y), k = Math.floor(z);
    const fx = x - i, fy = y - j, fz = z - k;
    let v = 0;
    for (let dk = 0; dk < 2; dk++)
      for (let dj = 0; dj < 2; dj++)
        for (let di = 0; di < 2; di++) v += occ(i + di, j + dj, k + dk) * (di ? fx : 1 - fx) * (dj ? fy : 1 - fy) * (dk ? fz : 1 - fz);
    return v - 0.5;
  };
  const { Manifold } = await manifoldKernel();
  const bounds = { min: origin as [number, number, number], max: [origin[0]! + nx * cell, origin[1]! + ny * cell, origin[2]! + nz * cell] as [number, number, number] };
  let solidMesh = Manifold.levelSet(sdf, bounds, cell);
  // A flat base: cut just above the lowest point, so the copy stands without support.
  const bottom = solidMesh.boundingBox().min[2];
  const flat = solidMesh.trimByPlane([0, 0, 1], bottom + Math.max(0.6, cell * 0.75));
  solidMesh.delete();
  solidMesh = flat.translate([0, 0, -(bottom + Math.max(0.6, cell * 0.75))]);
  flat.delete();
  if (solidMesh.status() !== "NoError" || solidMesh.isEmpty()) throw new Error(`the model could not be made into a solid (${solidMesh.status()})`);
  // Fewer triangles where the surface is flat, within a tenth of a cell (finer than a print's layer).
  const simpler = solidMesh.simplify(cell * 0.1);
  solidMesh.delete();
  solidMesh = simpler;
  const mesh = solidMesh.getMesh();
  const box = solidMesh.boundingBox();
  solidMesh.delete();
  const stl = binaryStl(mesh.vertProperties, mesh.triVerts, mesh.numProp, "Atrium tactile copy (binary STL, millimetres, z up)");
  return {
    stl,
    threeMf: threeMf(mesh.vertProperties, mesh.triVerts, mesh.numProp, title),
    triangles: mesh.triVerts.length / 3,
    size: [box.max[0] - box.min[0], box.max[1] - box.min[1], box.max[2] - box.min[2]],
    scale,
    ms: Math.round(performance.now() - started),
  };
}
