import { Canvas } from "@react-three/fiber";
import { useEffect, type ReactNode } from "react";
import { ACESFilmicToneMapping, SRGBColorSpace } from "three";
import type { LiveExhibition } from "../collab";
import { chooseQuality } from "../shared/exhibition/tiers";
import { useLocalStore } from "../state/local-store";
import { ExtensionsContext, type ViewerExtension } from "./extension";
import { GalleryScene } from "./GalleryScene";
import { gltfLoader } from "./gltf-loading";
import { Hud } from "./panels/Hud";
import { InspectPanel } from "./panels/InspectPanel";
import { LiveStatus } from "./panels/LiveStatus";
import { TourPanel } from "./panels/TourPanel";
import { Announcer } from "./panels/Announcer";
import { PlanView } from "./panels/PlanView";
import { Hotspots } from "./panels/Hotspots";
import { RestWhenStill } from "./rest-when-still";
import { TEXT_VERSION_ID, TextVersion } from "./panels/TextVersion";
import { browserSavesData, chooseView, hasWebGL, isWeakDevice, usePreferences } from "../state/preferences";
import { useExhibition } from "../collab";
import { pickText } from "../shared/exhibition";
import { placementsIn } from "../shared/exhibition/tiers";
import { useT } from "../i18n/strings";
import { useTextFallbacks } from "./text-fallbacks";

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
  const dataSaver = usePreferences((s) => s.dataSaver);
  const quality = chooseQuality(window.location.search, dataSaver, browserSavesData());
  const bench = new URLSearchParams(window.location.search).get("bench") === "1";
  const t = useT();
  const chosenView = usePreferences((s) => s.view);
  const textOpen = usePreferences((s) => s.textVersion);
  const view = chooseView(window.location.search, chosenView, hasWebGL(), isWeakDevice());
  // Shown as a plan only because the device is weak: say so, and let the visitor try 3D.
  const weakPlan = view === "2d" && chooseView(window.location.search, chosenView, hasWebGL(), false) === "3d";
  if (!room) return null;

  const Gallery = extensions.find((e) => e.Gallery)?.Gallery ?? GalleryScene;
  let scene: ReactNode = (
    <>
      <Gallery roomId={room} quality={quality} bench={bench} />
      <RestWhenStill />
      {extensions.map((e) => e.SceneTools && <e.SceneTools key={e.name} />)}
    </>
  );
  for (const e of [...extensions].reverse()) if (e.SceneWrapper) scene = <e.SceneWrapper key={e.name}>{scene}</e.SceneWrapper>;
  const classes = extensions.map((e) => e.className).filter(Boolean);
  return (
    <ExtensionsContext.Provider value={extensions}>
      <main className={["visit", `mode-${mode}`, `view-${view}`, ...classes].join(" ")}>
        {/* The first Tab stop: straight to the words, for those who cannot use the picture. */}
        {/* A button, not a link: the text version it opens is not on the page until it is asked for. */}
        <button
          className="skip-link"
          aria-controls={textOpen || view === "2d" ? TEXT_VERSION_ID : undefined}
          onClick={() => {
            usePreferences.getState().set({ textVersion: true });
            requestAnimationFrame(() => document.getElementById(TEXT_VERSION_ID)?.focus());
          }}
        >
          {t("skipToText")}
        </button>
        {view === "2d" ? (
          <div className="plan-main">
            {!hasWebGL() ? (
              <p className="no-3d" role="note">
                {t("no3d")}
              </p>
            ) : (
              weakPlan && (
                <p className="no-3d" role="note">
                  {t("weakDevice")}{" "}
                  <button name="show-3d" onClick={() => usePreferences.getState().set({ view: "3d" })}>
                    {t("show3dAnyway")}
                  </button>
                </p>
              )
            )}
            <PlanView roomId={room} />
          </div>
        ) : (
        <Canvas
          className="gallery-canvas gallery-view"
          // The 3D view as one control: it takes the walking keys when focused, and says what it shows.
          role="application"
          aria-roledescription="3D"
          tabIndex={0}
          camera={{ fov: 60, near: 0.03, far: 200, position: [0, 1.6, 0] }}
          dpr={[1, 2]}
          // Drawn while something moves or just changed, not sixty times a second (frame-rest.ts);
          // the benchmark times every frame.
          frameloop={bench ? "always" : "demand"}
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
        )}
        {view === "3d" && <Hotspots roomId={room} />}
        <Hud roomId={room} quality={quality} exhibition={exhibition} plan={view === "2d"} />
        {(textOpen || view === "2d") && <TextVersion roomId={room} onClose={view === "2d" ? undefined : () => usePreferences.getState().set({ textVersion: false })} />}
        <Announcer />
        <ViewName roomId={room} />
        {live && <LiveStatus live={live} canEdit={canEdit} />}
        {mode === "inspect" && selected && <InspectPanel placementId={selected} canEdit={canEdit && !extensions.some((e) => e.editsLabels || e.presenting)} />}
        {mode === "tour" && <TourPanel />}
        {extensions.map((e) => e.Panels && <e.Panels key={e.name} />)}
      </main>
    </ExtensionsContext.Provider>
  );
}

/**
 * Names the 3D view after what it shows ("3D view of Room 1: 4 objects…"), set on the element
 * rather than passed to the canvas: a new prop re-renders the canvas root, which re-applies its
 * size, and the label changes with every object placed.
 */
function ViewName({ roomId }: { roomId: string }) {
  const t = useT();
  const language = useLocalStore((s) => s.language);
  const fallbacks = useTextFallbacks();
  const roomName = useExhibition((d) => pickText(d.rooms[roomId]?.name, language, fallbacks));
  const count = useExhibition((d) => placementsIn(d, roomId).length);
  const label = t("viewLabel", { room: roomName, n: count });
  useEffect(() => {
    document.querySelector(".gallery-view")?.setAttribute("aria-label", label);
  });
  return null;
}
