import { Canvas } from "@react-three/fiber";
import type { ReactNode } from "react";
import { ACESFilmicToneMapping, SRGBColorSpace } from "three";
import type { LiveExhibition } from "../collab";
import { qualityFromSearch } from "../shared/exhibition/tiers";
import { useLocalStore } from "../state/local-store";
import { ExtensionsContext, type ViewerExtension } from "./extension";
import { GalleryScene } from "./GalleryScene";
import { gltfLoader } from "./gltf-loading";
import { Hud } from "./panels/Hud";
import { InspectPanel } from "./panels/InspectPanel";
import { LiveStatus } from "./panels/LiveStatus";
import { TourPanel } from "./panels/TourPanel";

/**
 * The viewer: the 3D gallery of the room on show with the visitor's HUD, the inspect and tour
 * panels, and whatever the page's extensions add (in their order: the first wraps the others).
 * It reads the exhibition from the surrounding `ExhibitionProvider` and the room, mode and
 * selection from the local store; `?quality=` forces a tier, `?bench=1` times frames.
 */
export function Viewer({ exhibition, live, canEdit, extensions }: { exhibition: string; live: LiveExhibition | null; canEdit: boolean; extensions: readonly ViewerExtension[] }) {
  const room = useLocalStore((s) => s.room);
  const mode = useLocalStore((s) => s.mode);
  const selected = useLocalStore((s) => s.selected);
  const quality = qualityFromSearch(window.location.search);
  const bench = new URLSearchParams(window.location.search).get("bench") === "1";
  if (!room) return null;

  const Gallery = extensions.find((e) => e.Gallery)?.Gallery ?? GalleryScene;
  let scene: ReactNode = (
    <>
      <Gallery roomId={room} quality={quality} bench={bench} />
      {extensions.map((e) => e.SceneTools && <e.SceneTools key={e.name} />)}
    </>
  );
  for (const e of [...extensions].reverse()) if (e.SceneWrapper) scene = <e.SceneWrapper key={e.name}>{scene}</e.SceneWrapper>;
  const classes = extensions.map((e) => e.className).filter(Boolean);
  return (
    <ExtensionsContext.Provider value={extensions}>
      <div className={["visit", `mode-${mode}`, ...classes].join(" ")}>
        <Canvas
          className="gallery-canvas"
          camera={{ fov: 60, near: 0.03, far: 200, position: [0, 1.6, 0] }}
          dpr={[1, 2]}
          gl={{ antialias: true, powerPreference: "high-performance" }}
          onCreated={({ gl }) => {
            gl.toneMapping = ACESFilmicToneMapping;
            gl.toneMappingExposure = 1.05;
            gl.outputColorSpace = SRGBColorSpace;
            gltfLoader(gl);
          }}
        >
          {scene}
        </Canvas>
        <Hud roomId={room} quality={quality} exhibition={exhibition} />
        {live && <LiveStatus live={live} canEdit={canEdit} />}
        {mode === "inspect" && selected && <InspectPanel placementId={selected} canEdit={canEdit && !extensions.some((e) => e.editsLabels || e.presenting)} />}
        {mode === "tour" && <TourPanel />}
        {extensions.map((e) => e.Panels && <e.Panels key={e.name} />)}
      </div>
    </ExtensionsContext.Provider>
  );
}
