/**
 * Looking around a room panorama without WebGL: each pixel of the view is a direction from the
 * visitor's eye, and the cube face it meets gives its colour (nearest texel). Pure arithmetic on
 * pixel arrays, so it runs on any device with a 2D canvas (and in tests, without a browser).
 *
 * Directions are in the panorama's own frame: "front" (the arrival direction) is -z, up is +y,
 * right is +x, as the faces were drawn (`src/viewer/panorama.ts`, `PANORAMA_FACES` order).
 */

/** Where each face sits in the strip (index) and the basis its camera had: right, up, forward. */
const FACES: { right: [number, number, number]; up: [number, number, number]; forward: [number, number, number] }[] = [
  { right: [1, 0, 0], up: [0, 1, 0], forward: [0, 0, -1] }, // front
  { right: [0, 0, 1], up: [0, 1, 0], forward: [1, 0, 0] }, // right
  { right: [-1, 0, 0], up: [0, 1, 0], forward: [0, 0, 1] }, // back
  { right: [0, 0, -1], up: [0, 1, 0], forward: [-1, 0, 0] }, // left
  { right: [1, 0, 0], up: [0, 0, 1], forward: [0, 1, 0] }, // up
  { right: [1, 0, 0], up: [0, 0, -1], forward: [0, -1, 0] }, // down
];

/** The face a direction meets: the axis it leans along most. */
function faceOf(x: number, y: number, z: number): number {
  const ax = Math.abs(x), ay = Math.abs(y), az = Math.abs(z);
  if (ay >= ax && ay >= az) return y > 0 ? 4 : 5;
  if (ax >= az) return x > 0 ? 1 : 3;
  return z < 0 ? 0 : 2;
}

/**
 * Fills `out` (RGBA, `width` x `height`) with the view from the panorama's centre looking `yaw`
 * degrees to the right of the arrival direction and `pitch` degrees up, `hfov` degrees across.
 * `strip` is the panorama's pixels: six square faces of `face` pixels side by side.
 */
export function projectPanorama(strip: Uint8ClampedArray, face: number, out: Uint8ClampedArray, width: number, height: number, yaw: number, pitch: number, hfov = 90): void {
  const yawR = (yaw * Math.PI) / 180, pitchR = (pitch * Math.PI) / 180;
  // The view's basis in the panorama's frame.
  const fx = Math.sin(yawR) * Math.cos(pitchR), fy = Math.sin(pitchR), fz = -Math.cos(yawR) * Math.cos(pitchR);
  const rx = Math.cos(yawR), ry = 0, rz = Math.sin(yawR);
  // up = right x forward
  const ux = ry * fz - rz * fy, uy = rz * fx - rx * fz, uz = rx * fy - ry * fx;
  const tx = Math.tan((hfov * Math.PI) / 360);
  const ty = (tx * height) / width;
  const stride = face * 6 * 4;
  let o = 0;
  for (let j = 0; j < height; j++) {
    const sy = (1 - ((j + 0.5) / height) * 2) * ty;
    for (let i = 0; i < width; i++) {
      const sx = (((i + 0.5) / width) * 2 - 1) * tx;
      const dx = fx + rx * sx + ux * sy, dy = fy + ry * sx + uy * sy, dz = fz + rz * sx + uz * sy;
      const f = faceOf(dx, dy, dz);
      const b = FACES[f]!;
      const depth = dx * b.forward[0] + dy * b.forward[1] + dz * b.forward[2];
      const u = (dx * b.right[0] + dy * b.right[1] + dz * b.right[2]) / depth;
      const v = (dx * b.up[0] + dy * b.up[1] + dz * b.up[2]) / depth;
      const px = Math.min(face - 1, Math.max(0, Math.floor(((u + 1) / 2) * face)));
      const py = Math.min(face - 1, Math.max(0, Math.floor(((1 - v) / 2) * face)));
      const s = py * stride + (f * face + px) * 4;
      out[o] = strip[s]!;
      out[o + 1] = strip[s + 1]!;
      out[o + 2] = strip[s + 2]!;
      out[o + 3] = 255;
      o += 4;
    }
  }
}
