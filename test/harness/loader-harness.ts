import type { Mesh, Object3D, SkinnedMesh, Texture } from "three";
import { WebGLRenderer } from "three";
import { gltfLoader, loadGltf, ModelLoadError } from "../../src/viewer/gltf-loading";

/** What a loaded model contains, as the tests compare it with what the fixture is known to hold. */
export interface LoadSummary {
  ok: true;
  meshes: number;
  triangles: number;
  skinnedMeshes: number;
  animations: string[];
  morphTargets: number;
  textures: number;
  extensionsUsed: string[];
}
export type LoadOutcome = LoadSummary | { ok: false; name: string; message: string };

async function loadFixture(url: string): Promise<LoadOutcome> {
  try {
    const gltf = await loadGltf(url);
    let meshes = 0;
    let triangles = 0;
    let skinnedMeshes = 0;
    let morphTargets = 0;
    const textures = new Set<Texture>();
    gltf.scene.traverse((o: Object3D) => {
      const mesh = o as Mesh;
      if (!mesh.isMesh) return;
      meshes++;
      if ((o as SkinnedMesh).isSkinnedMesh) skinnedMeshes++;
      const g = mesh.geometry;
      triangles += (g.index ? g.index.count : g.getAttribute("position").count) / 3;
      morphTargets += g.morphAttributes.position?.length ?? 0;
      for (const m of Array.isArray(mesh.material) ? mesh.material : [mesh.material])
        for (const v of Object.values(m)) if (v && (v as Texture).isTexture) textures.add(v as Texture);
    });
    return {
      ok: true,
      meshes,
      triangles,
      skinnedMeshes,
      animations: gltf.animations.map((a) => a.name),
      morphTargets,
      textures: textures.size,
      extensionsUsed: (gltf.parser.json.extensionsUsed as string[] | undefined) ?? [],
    };
  } catch (e) {
    const err = e as Error;
    return { ok: false, name: err instanceof ModelLoadError ? "ModelLoadError" : err.name, message: err.message };
  }
}

// KTX2 needs a renderer to pick a GPU format, as in the app.
gltfLoader(new WebGLRenderer());
(window as unknown as { loadFixture: typeof loadFixture }).loadFixture = loadFixture;
document.body.dataset.harnessReady = "true";
