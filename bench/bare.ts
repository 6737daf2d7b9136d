/**
 * The benchmark's baseline: a bare three.js page that loads the same models with the same
 * loader settings and draws them from the same viewpoint, with nothing else (no room, labels,
 * spotlights, React). `?scene=` carries the models and camera as JSON.
 */
import { ACESFilmicToneMapping, Box3, DirectionalLight, HemisphereLight, PerspectiveCamera, Scene, SRGBColorSpace, Vector3, WebGLRenderer } from "three";
import { gltfLoader, loadGltf } from "../src/viewer/gltf-loading";

interface BareScene {
  models: { url: string; position: [number, number, number]; rotationY: number; scale: number }[];
  camera: { position: [number, number, number]; yaw: number; pitch: number };
}

const spec = JSON.parse(new URLSearchParams(location.search).get("scene") ?? "{}") as BareScene;
const renderer = new WebGLRenderer({ antialias: true, powerPreference: "high-performance" });
renderer.setPixelRatio(Math.min(2, devicePixelRatio));
renderer.setSize(innerWidth, innerHeight);
renderer.toneMapping = ACESFilmicToneMapping;
renderer.outputColorSpace = SRGBColorSpace;
document.body.appendChild(renderer.domElement);
gltfLoader(renderer);
const scene = new Scene();
scene.add(new HemisphereLight("#ffffff", "#888888", 1));
const key = new DirectionalLight("#ffffff", 1.5);
key.position.set(2, 6, 4);
scene.add(key);
const camera = new PerspectiveCamera(60, innerWidth / innerHeight, 0.03, 200);
camera.position.set(...spec.camera.position);
camera.rotation.set(spec.camera.pitch, spec.camera.yaw, 0, "YXZ");

const times = new Float64Array(600);
let count = 0;
(window as unknown as { bare: unknown }).bare = {
  stats: () => ({ drawCalls: renderer.info.render.calls, triangles: renderer.info.render.triangles, textures: renderer.info.memory.textures }),
  frameTimes: () => Array.from(times.subarray(0, Math.min(count, 600))),
  reset: () => (count = 0),
};

Promise.all(spec.models.map((m) => loadGltf(m.url))).then((loaded) => {
  loaded.forEach((gltf, i) => {
    const m = spec.models[i]!;
    const object = gltf.scene.clone(true);
    const box = new Box3().setFromObject(object);
    const centre = box.getCenter(new Vector3());
    object.position.set(-centre.x, -box.min.y, -centre.z);
    object.updateMatrix();
    const holder = new Scene();
    holder.add(object);
    holder.position.set(...m.position);
    holder.rotation.y = m.rotationY;
    holder.scale.setScalar(m.scale);
    scene.add(holder);
  });
  const frame = () => {
    const t0 = performance.now();
    renderer.render(scene, camera);
    times[count % 600] = performance.now() - t0;
    count++;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  document.body.dataset.bareReady = "true";
});
