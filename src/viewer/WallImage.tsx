import { Suspense, use, useRef } from "react";
import { SRGBColorSpace, TextureLoader, type Group, type Texture } from "three";
import { artefactObjects, useRegistered } from "./artefact-registry";
import { ModelErrorBoundary } from "./ModelErrorBoundary";

const textures = new Map<string, Promise<Texture>>();

/** One texture per image URL, shared by every placement of it. */
function cachedTexture(url: string): Promise<Texture> {
  let p = textures.get(url);
  if (!p) {
    p = new TextureLoader().loadAsync(url).then((t) => {
      t.colorSpace = SRGBColorSpace;
      t.anisotropy = 4;
      return t;
    });
    // A failed load is not cached, so a later visit can retry.
    p.catch(() => textures.delete(url));
    textures.set(url, p);
  }
  return p;
}

const FRAME = 0.035;

function Picture({ src, size }: { src: string; size: [number, number] }) {
  const texture = use(cachedTexture(src));
  return (
    <mesh position-z={FRAME / 2 + 0.001} name="picture">
      <planeGeometry args={size} />
      <meshStandardMaterial map={texture} roughness={0.85} />
    </mesh>
  );
}

/**
 * A wall-hung image (painting, print, photograph): a dark frame with the picture on its face.
 * The group's origin is the picture's centre; it faces +z (into the room for a wall placement).
 */
export function WallImage({ placementId, src, size }: { placementId: string; src: string; size: [number, number] }) {
  const ref = useRef<Group>(null);
  useRegistered(artefactObjects, placementId, ref);
  return (
    <group ref={ref} name={`artefact:${placementId}`}>
      <mesh name="frame">
        <boxGeometry args={[size[0] + FRAME * 2, size[1] + FRAME * 2, FRAME]} />
        <meshStandardMaterial color="#2a2521" roughness={0.6} />
      </mesh>
      <ModelErrorBoundary
        fallback={
          <mesh position-z={FRAME / 2 + 0.001} name="missing-picture">
            <planeGeometry args={size} />
            <meshStandardMaterial color="#b3432f" />
          </mesh>
        }
        onError={(e) => console.error(`[atrium] image ${src} could not be loaded: ${e.message}`)}
      >
      <Suspense
        fallback={
          <mesh position-z={FRAME / 2 + 0.001}>
            <planeGeometry args={size} />
            <meshStandardMaterial color="#d8d2c8" />
          </mesh>
        }
      >
        <Picture src={src} size={size} />
      </Suspense>
      </ModelErrorBoundary>
    </group>
  );
}
