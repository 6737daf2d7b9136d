import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { connectExhibition, ExhibitionProvider, ExhibitionStore, readExhibition, type LiveExhibition } from "../collab";
import { parseExhibition } from "../shared/exhibition";
import { UI_LANGUAGES, chooseLanguage, useT } from "../i18n/strings";
import { useLocalStore } from "../state/local-store";
import { inspectWhenReady } from "../viewer/inspect-when-ready";
import { useSessionSupported } from "../state/xr-support";
import { StartClassButton } from "../session/StartClassButton";
import { storedSeat } from "../state/class-seat";
import type { ViewerExtension } from "../viewer/extension";
import { statsExtension } from "../stats/stats-extension";
import { foldersExtension } from "../folders/folders-extension";
import { firstRoomId } from "../viewer/GalleryScene";
import { Viewer } from "../viewer/Viewer";
import { ErrorView } from "./ErrorView";
import { loadExhibition, type LoadFailure, type ViewerRole } from "./load-exhibition";

/** "Start a class" in the HUD of a page that is not in a class (the rest of classes loads only for one). */
const CLASS_START: ViewerExtension = { name: "class-start", HudActions: StartClassButton };

/** A module loaded on demand: undefined while loading (or not asked for), null if it could not load. */
function useLoaded<T>(load: (() => Promise<T>) | null, key: unknown): T | null | undefined {
  const [loaded, setLoaded] = useState<{ key: unknown; value: T | null } | undefined>(undefined);
  useEffect(() => {
    if (!load) return;
    let live = true;
    load().then(
      (value) => live && setLoaded({ key, value }),
      (e: Error) => {
        console.warn(`[atrium] could not load a part of the page: ${e.message}`);
        if (live) setLoaded({ key, value: null });
      },
    );
    return () => void (live = false);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` names what `load` loads
  }, [key]);
  return load && loaded && loaded.key === key ? loaded.value : undefined;
}

type PageState =
  | { kind: "loading" }
  | { kind: "failed"; failure: LoadFailure }
  | { kind: "ready"; store: ExhibitionStore; live: LiveExhibition | null; role: ViewerRole };

/**
 * `/visit/<id>`: loads the exhibition into its store, then shows the 3D gallery with the HUD.
 * `?room=` starts in a given room, `?lang=` in a given language, `?quality=low|high` forces a tier,
 * `?bench=1` times frames for the benchmark, `?class=<session>` takes part in a class (as its
 * teacher, or as a student when this tab joined it from the join page). `embedded`: the page is
 * `/embed/<id>` inside another site (its extension is given; no class can be started there).
 */
export function VisitPage({ id, extensions: given = [], embedded = false }: { id: string; extensions?: readonly ViewerExtension[]; embedded?: boolean }) {
  const t = useT();
  const [state, setState] = useState<PageState>({ kind: "loading" });
  const params = new URLSearchParams(window.location.search);
  const editing = given.length > 0 && !embedded; // the studio: its edits are kept offline too
  // A class's seat reads the class's show and edits its group's show; the class itself (its bar,
  // following the teacher) runs on the visit page only, not in the studio of a group's show.
  const seatOf = params.get("class");
  const classSession = editing ? null : seatOf;
  const seat = seatOf ? (storedSeat(seatOf)?.token ?? null) : null;

  // The layers this page needs, each its own chunk: XR only where the browser offers an
  // immersive session (asked again when a headset is plugged in), a class only in a class.
  const vr = useSessionSupported("immersive-vr");
  const ar = useSessionSupported("immersive-ar");
  const wantsXR = vr === true || ar === true;
  const xr = useLoaded(wantsXR ? () => import("../xr/xr-extension").then((m) => m.xrExtension) : null, wantsXR);
  const inClass = useLoaded(classSession ? () => import("../session/class-extension").then((m) => m.classExtension(classSession)) : null, classSession);
  // Once shown, the viewer stays: a headset plugged in later adds the XR layer to the running page.
  const shown = useRef(false);
  const settled = shown.current || (vr !== undefined && ar !== undefined && (!wantsXR || xr !== undefined) && (!classSession || inClass !== undefined));
  const extensions = useMemo(
    // Embedded in another site's page: no class to start there.
    // Visit statistics on every page a visitor sees (not the studio's). Collection folders for a
    // signed-in visitor on the show's own page (not in a class, the studio or another site).
    () => [
      ...(xr ? [xr] : []),
      ...(classSession ? (inClass ? [inClass] : []) : embedded ? [] : [CLASS_START]),
      ...(classSession || embedded || editing ? [] : [foldersExtension]),
      ...given,
      ...(editing ? [] : [statsExtension(seat)]),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `given` is a constant of the caller
    [xr, inClass, classSession],
  );

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
      // The show's languages, and the interface's own (a Japanese reader keeps a Japanese interface in
      // a show without Japanese texts; the texts then fall back in one order, useTextFallbacks).
      const language = chooseLanguage([...doc.meta.languages, ...UI_LANGUAGES.filter((l) => !doc.meta.languages.includes(l))], params.get("lang") ?? local.language, navigator.languages ?? []);
      // A short link to an artefact (`?artefact=<placement>`): its room, then its close-up once the room is ready.
      const artefact = params.get("artefact");
      const target = artefact ? doc.placements[artefact] : undefined;
      local.reset(target && doc.rooms[target.room] ? target.room : wanted && doc.rooms[wanted] ? wanted : firstRoomId(doc));
      if (target && artefact) inspectWhenReady(artefact, abort.signal);
      if (language !== local.language) useLocalStore.setState({ language });
      document.title = `${doc.meta.title[language] ?? Object.values(doc.meta.title)[0]} · Atrium`;
      const role = result.role;
      setState({ kind: "ready", store, live: null, role });
      // Then follow the live document, so curators' edits appear as they are made. The first
      // paint never waits for it, and a document that fails validation is not swapped in.
      // Editors also keep the document in IndexedDB, so edits made offline survive a reload.
      const follow = (rolledBack: string | null) => {
        const connection = connectExhibition(id, { offline: role === "owner" || role === "curator" || editing, seat, rolledBack });
        live = connection;
        // The server refused this page's changes: they are undone by starting again from the
        // server's document (and forgetting the offline copy that holds them), not sent again.
        const stop = connection.subscribe(() => {
          const refused = connection.getState().refused;
          if (!refused || abort.signal.aborted) return;
          stop();
          void connection.discardLocal().finally(() => {
            if (abort.signal.aborted) return;
            console.warn(`[atrium] refused and rolled back: ${refused}`);
            connection.destroy();
            follow(refused);
          });
        });
        connection.whenSynced.then(() => {
          if (abort.signal.aborted || live !== connection) return;
          const check = parseExhibition(readExhibition(connection.store.ydoc), `/sync/${id}`);
          if (!check.ok) {
            console.error(`[atrium] live document not shown:\n${check.error.message}`);
            return;
          }
          setState({ kind: "ready", store: connection.store, live: connection, role });
        });
      };
      follow(null);
    });
    return () => {
      abort.abort();
      live?.destroy();
      store?.destroy();
      delete document.body.dataset.sceneError;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") useLocalStore.getState().walk();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const room = useLocalStore((s) => s.room);

  if (state.kind === "failed") return <ErrorView failure={state.failure} />;
  // Edits go only into the live, synced document: never into the first-paint copy.
  const canEdit = state.kind === "ready" && state.live !== null && (state.role === "owner" || state.role === "curator");
  if (state.kind === "loading" || !room || !settled)
    return (
      <main className="page loading-page">
        <p>{t("loading")}…</p>
      </main>
    );
  shown.current = true;
  let page: ReactNode = <Viewer exhibition={id} live={state.live} canEdit={canEdit} extensions={extensions} />;
  for (const e of [...extensions].reverse())
    if (e.Wrapper)
      page = (
        <e.Wrapper key={e.name} id={id} live={state.live} role={state.role}>
          {page}
        </e.Wrapper>
      );
  return <ExhibitionProvider store={state.store}>{page}</ExhibitionProvider>;
}
