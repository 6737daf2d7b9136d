import { Document } from "@gltf-transform/core";
import sharp from "sharp";
import { gltfIO } from "../../server/gltf/io";

/**
 * A model the gentle first try cannot thin: 12,000 separate triangles (nothing to collapse while
 * borders are locked) under four 1024 px noise textures (which compress badly). It stands for the
 * scans whose thumb came out at 228 kB and 10.6 k triangles.
 */
export async function stubbornModel(): Promise<Uint8Array> {
  const doc = new Document();
  const buffer = doc.createBuffer();
  const scene = doc.createScene();
  const n = 3_000; // triangles per material
  for (let m = 0; m < 4; m++) {
    const positions = new Float32Array(n * 9);
    const uvs = new Float32Array(n * 6);
    for (let i = 0; i < n; i++) {
      const x = (i % 60) * 0.02 + m * 1.3;
      const y = Math.floor(i / 60) * 0.02;
      positions.set([x, y, Math.sin(i) * 0.01, x + 0.015, y, 0, x, y + 0.015, Math.cos(i) * 0.01], i * 9);
      uvs.set([(i % 60) / 60, Math.floor(i / 60) / 50, (i % 60) / 60 + 0.01, Math.floor(i / 60) / 50, (i % 60) / 60, Math.floor(i / 60) / 50 + 0.01], i * 6);
    }
    const noise = Buffer.alloc(1024 * 1024 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (Math.imul(i + m * 7919, 2654435761) >>> 24) & 0xff;
    const png = await sharp(noise, { raw: { width: 1024, height: 1024, channels: 3 } }).png().toBuffer();
    const texture = doc.createTexture(`noise-${m}`).setImage(new Uint8Array(png)).setMimeType("image/png");
    const material = doc.createMaterial(`m${m}`).setBaseColorTexture(texture);
    const prim = doc
      .createPrimitive()
      .setAttribute("POSITION", doc.createAccessor().setType("VEC3").setArray(positions).setBuffer(buffer))
      .setAttribute("TEXCOORD_0", doc.createAccessor().setType("VEC2").setArray(uvs).setBuffer(buffer))
      .setMaterial(material);
    scene.addChild(doc.createNode(`part-${m}`).setMesh(doc.createMesh(`part-${m}`).addPrimitive(prim)));
  }
  return (await gltfIO()).writeBinary(doc);
}
