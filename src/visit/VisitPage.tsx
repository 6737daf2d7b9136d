import { Canvas } from "@react-three/fiber";
import { useEffect, useState, type ComponentType, type ReactNode } from "react";
import { ACESFilmicToneMapping, SRGBColorSpace } from "three";
import { connectExhibition, ExhibitionProvider, ExhibitionStore, readExhibition, type LiveExhibition } from "../collab";
import { parseExhibition } from "../shared/exhibition";
import { chooseLanguage, useT } from "../i18n/strings";
import { qualityFromSearch } from "../shared/exhibition/tiers";
import { firstRoomId } from "../scene/GalleryScene";
import { gltfLoader } from "../scene/gltf-loading";
import { useLocalStore } from "../state/local-store";
import { ImmersiveGallery } from "../xr/ImmersiveGallery";
import { ErrorView } from "./ErrorView";
import { Hud } from "./Hud";
import { InspectPanel } from "./InspectPanel";
import { LiveStatus } from "./LiveStatus";
import { loadExhibition, type LoadFailure, type ViewerRole } from "./load-exhibition";
import { TourPanel } from "./TourPanel";
import { ClassLink } from "../session/ClassLink";
import { ClassPanels } from "../session/ClassPanels";
import { ClassScene } from "../session/ClassScene";
import { storedSeat } from "../session/class-store";

/**
 * What a page built on the viewer adds to it (the studio's tools): a wrapper around the page's
 * content once the live document is there, components inside the 3D scene, and panels over it.
 * The viewer itself stays the same: the studio is the viewer plus tools, never a fork.
 */
export interface ViewerExtension {
  /**
   * Wraps scene and panels; gets the live connection (null until it has synced: tools wait for
   * it, since edits go only into the live document) and the user's role. Always rendered, so the
   * canvas is never remounted when the live document arrives.
   */
  Wrapper: ComponentType<{ id: string; live: LiveExhibition | null; role: ViewerRole; children: ReactNode }>;
  /** Rendered inside the 3D canvas (gizmos, cursors, outlines). */
  SceneTools: ComponentType;
  /** Rendered over the canvas (toolbars, drawers, inspectors). */
  Panels: ComponentType;
  /** Class added to the page, for layout. */
  className: string;
}

type PageState =
  | { kind: "loading" }
  | { kind: "failed"; failure: LoadFailure }
  | { kind: "ready"; store: ExhibitionStore; live: LiveExhibition | null; role: ViewerRole };

/**
 * `/visit/<id>`: loads the exhibition into its store, then shows the 3D gallery with the HUD.
 * `?room=` starts in a given room, `?lang=` in a given language, `?quality=low|high` forces a tier,
 * `?bench=1` times frames for the benchmark, `?class=<session>` takes part in a class (as its
 * teacher, or as a student when this tab joined it from the join page).
 */
export function VisitPage({ id, extension }: { id: string; extension?: ViewerExtension }) {
  const t = useT();
  const [state, setState] = useState<PageState>({ kind: "loading" });
  const params = new URLSearchParams(window.location.search);
  const quality = qualityFromSearch(window.location.search);
  const bench = params.get("bench") === "1";
  const classSession = params.get("class");
  const seat = classSession ? (storedSeat(classSession)?.token ?? null) : null;

  useEffect(() => {
    const abort = new AbortController();
    let store: ExhibitionStore | null = null;
    let live: LiveExhibition | null = null;
    loadExhibition(id, abort.signal, seat).then((result) => {
      if (abort.signal.aborted) return;
      if (!result.ok) {
        console.error(`[atrium] ${result.failure.message}`);
        document.body.dataset.sceneError = result.failure.kind;
        setState({ kind: "failed", failure: result.failure });
        return;
      }
      const doc = result.doc;
      store = ExhibitionStore.fromDocument(doc);
      const wanted = params.get("room");
      const local = useLocalStore.getState();
      const language = chooseLanguage(doc.meta.languages, params.get("lang") ?? local.language, navigator.languages ?? []);
      local.reset(wanted && doc.rooms[wanted] ? wanted : firstRoomId(doc));
      if (language !== local.language) useLocalStore.setState({ language });
      document.title = `${doc.meta.title[language] ?? Object.values(doc.meta.title)[0]} · Atrium`;
      const role = result.role;
      setState({ kind: "ready", store, live: null, role });
      // Then follow the live document, so curators' edits appear as they are made. The first
      // paint never waits for it, and a document that fails validation is not swapped in.
      // Editors also keep the document in IndexedDB, so edits made offline survive a reload.
      live = connectExhibition(id, { offline: role === "owner" || role === "curator" || extension !== undefined, seat });
      const connection = live;
      connection.whenSynced.then(() => {
        if (abort.signal.aborted) return;
        const check = parseExhibition(readExhibition(connection.store.ydoc), `/sync/${id}`);
        if (!check.ok) {
          console.error(`[atrium] live document not shown:\n${check.error.message}`);
          return;
        }
        setState({ kind: "ready", store: connection.store, live: connection, role });
      });
    });
    return () => {
      abort.abort();
      live?.destroy();
      store?.destroy();
      delete document.body.dataset.sceneError;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);

  const language = useLocalStore((s) => s.language);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") useLocalStore.getState().walk();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const room = useLocalStore((s) => s.room);
  const mode = useLocalStore((s) => s.mode);
  const selected = useLocalStore((s) => s.selected);

  if (state.kind === "failed") return <ErrorView failure={state.failure} />;
  // Edits go only into the live, synced document: never into the first-paint copy.
  const canEdit = state.kind === "ready" && state.live !== null && (state.role === "owner" || state.role === "curator");
  if (state.kind === "loading" || !room)
    return (
      <main className="page loading-page">
        <p>{t("loading")}…</p>
      </main>
    );
  const ext = extension ?? null;
  const page = (
      <div className={`visit mode-${mode}${extension ? ` ${extension.className}` : ""}`}>
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
          <ImmersiveGallery roomId={room} quality={quality} bench={bench}>
            {classSession && <ClassScene />}
            {ext && <ext.SceneTools />}
          </ImmersiveGallery>
        </Canvas>
        <Hud roomId={room} quality={quality} exhibition={id} inClass={classSession !== null} />
        {state.live && <LiveStatus live={state.live} canEdit={canEdit} />}
        {mode === "inspect" && selected && <InspectPanel placementId={selected} canEdit={canEdit && !extension} />}
        {mode === "tour" && <TourPanel />}
        {ext && <ext.Panels />}
        {classSession && <ClassLink session={classSession} />}
        {classSession && <ClassPanels />}
      </div>
  );
  return (
    <ExhibitionProvider store={state.store}>
      {ext ? (
        <ext.Wrapper id={id} live={state.live} role={state.role}>
          {page}
        </ext.Wrapper>
      ) : (
        page
      )}
    </ExhibitionProvider>
  );
}
