import { Euler, PerspectiveCamera, Vector2, type Object3D, type Scene, type WebGLRenderer } from "three";
import { EYE_HEIGHT } from "./walk-physics";

/** The cube faces of a room panorama, in their order in the picture (left to right). */
export const PANORAMA_FACES = ["front", "right", "back", "left", "up", "down"] as const;
export type PanoramaFace = (typeof PANORAMA_FACES)[number];

/** Yaw offset from the arrival direction and pitch of each face's camera (radians; three's cameras look down -z, yaw turns left). */
const AIM: Record<PanoramaFace, [number, number]> = {
  front: [0, 0],
  right: [-Math.PI / 2, 0],
  back: [Math.PI, 0],
  left: [Math.PI / 2, 0],
  up: [0, Math.PI / 2],
  down: [0, -Math.PI / 2],
};

/** The largest face drawn (pixels): 6 x 512 x 512 is a ~200 kB JPEG, sharp on a phone. */
export const PANORAMA_FACE_MAX = 512;

/**
 * Draws a 360° panorama of the room on show from a floor pose at eye height (`Room.panorama`):
 * six 90° square views (`PANORAMA_FACES`) drawn one after another into a corner of the renderer's
 * own canvas, each copied out at once into one strip. The canvas itself is used, not a render
 * target, so the pictures get the same tone mapping and colour space as the screen. `hide` (the
 * studio's gizmo, ghosts, cursors) is hidden meanwhile. Runs once, at publish: allocation is fine.
 */
export function renderPanorama(gl: WebGLRenderer, scene: Scene, from: { x: number; z: number; yaw: number }, hide: Object3D | null = null, maxFace = PANORAMA_FACE_MAX): HTMLCanvasElement {
  const canvas = gl.domElement;
  const pixelRatio = gl.getPixelRatio();
  const size = gl.getSize(new Vector2());
  // Whole device pixels that fit the canvas, and a viewport (CSS pixels) that covers them exactly.
  const face = Math.min(maxFace, Math.floor(Math.min(canvas.width, canvas.height)));
  const strip = document.createElement("canvas");
  strip.width = face * PANORAMA_FACES.length;
  strip.height = face;
  const out = strip.getContext("2d");
  if (!out) throw new Error("no 2D canvas to assemble the panorama");
  const camera = new PerspectiveCamera(90, 1, 0.03, 200);
  camera.position.set(from.x, EYE_HEIGHT, from.z);
  const euler = new Euler(0, 0, 0, "YXZ");
  const wasVisible = hide?.visible ?? false;
  if (hide) hide.visible = false;
  try {
    gl.setViewport(0, 0, face / pixelRatio, face / pixelRatio);
    PANORAMA_FACES.forEach((name, i) => {
      const [yaw, pitch] = AIM[name];
      camera.quaternion.setFromEuler(euler.set(pitch, from.yaw + yaw, 0));
      camera.updateMatrixWorld();
      gl.render(scene, camera);
      // WebGL's viewport starts at the bottom left; the canvas as an image at the top left.
      out.drawImage(canvas, 0, canvas.height - face, face, face, i * face, 0, face, face);
    });
  } finally {
    gl.setViewport(0, 0, size.x, size.y);
    if (hide) hide.visible = wasVisible;
  }
  return strip;
}

/** The strip as a JPEG file. */
export function panoramaJpeg(strip: HTMLCanvasElement, quality = 0.85): Promise<Blob> {
  return new Promise((resolve, reject) => strip.toBlob((b) => (b ? resolve(b) : reject(new Error("the panorama could not be encoded"))), "image/jpeg", quality));
}
