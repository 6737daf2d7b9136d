import { useCallback, useEffect, useMemo, type ReactNode } from "react";
import { colourFor, type LiveExhibition } from "../collab";
import { pickText } from "../shared/exhibition";
import { ownCollectionId } from "../shared/exhibition/permissions";
import { useSession } from "../account/session";
import { pageSeat } from "../state/class-seat";
import { seatUserId } from "../shared/class-groups";
import { navigate } from "../state/router";
import { ArtefactClickContext, type ArtefactClick } from "../viewer/artefact-interaction";
import { useLocalStore } from "../state/local-store";
import type { ViewerRole } from "../visit/load-exhibition";
import type { ViewerExtension } from "../viewer/extension";
import { VisitPage } from "../visit/VisitPage";
import { StudioEditor } from "./editor";
import { StudioPanels } from "./StudioPanels";
import { StudioSceneTools } from "./StudioSceneTools";
import { StudioContext, type Studio } from "./studio-context";
import { reportRefusal } from "./studio-hooks";
import { useStudioNotice, useStudioStore } from "./studio-store";
import { studioText } from "./studio-strings";
import { editLanguageOf } from "./fields";

/** Picks objects before the live document is there (no editing yet). */
const pickOnly: ArtefactClick = (id) => useStudioStore.getState().pick(id);

/** Builds the studio around the live document once it and the user are known. */
function StudioWrapper({ id, live, role, children }: { id: string; live: LiveExhibition | null; role: ViewerRole; children: ReactNode }) {
  const signedIn = useSession((s) => s.me);
  const seat = useMemo(classSeat, []);
  // Who edits: the signed-in user, or a class seat in its group's show (no account, no museum).
  const me = useMemo(() => (signedIn ? { user: signedIn.user, museums: signedIn.museums } : seat ? { user: { id: seatUserId(seat.seat), name: seat.nickname }, museums: [] } : null), [signedIn, seat]);
  const studio = useMemo<Studio | null>(() => {
    if (!live || !me) return null;
    const museums = me.museums.map((m) => ({ id: m.id, name: m.name ?? { en: m.id } }));
    // The user acts for their museums and their own collection (what their uploads are credited to); a seat for none.
    const collections = signedIn ? [...museums.map((m) => m.id), ownCollectionId(me.user.id)] : [];
    const editor = new StudioEditor(live.store, { id: me.user.id, name: me.user.name, museums: collections, role });
    return { id, editor, presence: live.presence, live, museums, seat: !signedIn, bridge: { floorPointAt: null, cameraPose: null, snapshot: null, screenPoint: null, framePose: null, viewedPlacement: null, panorama: null } };
  }, [live, me, role, id, signedIn]);

  useEffect(() => {
    if (!studio || !me) return;
    const institution = studio.museums[0] ? pickText(studio.museums[0].name, "en") : undefined;
    studio.presence.join(
      { id: me.user.id, name: me.user.name, colour: colourFor(me.user.id), ...(institution ? { institution } : {}) },
      { role, room: useLocalStore.getState().room, selection: useStudioStore.getState().picked },
    );
    // Presence follows the local room and selection.
    const offRoom = useLocalStore.subscribe((s, prev) => s.room !== prev.room && studio.presence.update({ room: s.room, cursor: null }));
    const offPick = useStudioStore.subscribe((s, prev) => s.picked !== prev.picked && studio.presence.update({ selection: s.picked }));
    // The headless editor, for tests and the console, as in `window.atrium` for the scene.
    const w = window as unknown as { atriumStudio?: Studio };
    w.atriumStudio = studio;
    document.body.dataset.studioReady = "true";
    return () => {
      offRoom();
      offPick();
      if (w.atriumStudio === studio) delete w.atriumStudio;
      delete document.body.dataset.studioReady;
      studio.editor.destroy();
    };
  }, [studio, me, role]);

  const onClick = useCallback<ArtefactClick>(
    (pid, hit) => {
      const { tool } = useStudioStore.getState();
      if (!studio || tool !== "annotate") return hit.additive ? useStudioStore.getState().togglePick(pid) : useStudioStore.getState().pick(pid);
      const item = studio.editor.doc.placements[pid]?.item;
      if (!item) return;
      // No point on the model's surface: the press took the model but the release missed it (the
      // view moved between them), or Enter came before the model loaded. Say so, rather than
      // leave the click without an answer.
      if (!hit.modelPoint) return useStudioNotice.getState().show(studioText(useLocalStore.getState().language, "pinNoteMissed"));
      const lang = editLanguageOf(useStudioStore.getState().editLanguage, useLocalStore.getState().language, studio.editor.doc.meta.languages);
      try {
        const note = studio.editor.annotate(item, hit.modelPoint, { [lang]: "…" });
        useStudioStore.setState({ picked: pid, selected: [pid], tool: "move" });
        requestAnimationFrame(() => document.querySelector<HTMLTextAreaElement>(`[data-note="${note}"]`)?.focus());
      } catch (e) {
        reportRefusal(e);
      }
    },
    [studio],
  );

  return (
    <StudioContext.Provider value={studio}>
      <ArtefactClickContext.Provider value={studio ? onClick : pickOnly}>{children}</ArtefactClickContext.Provider>
    </StudioContext.Provider>
  );
}

const STUDIO: ViewerExtension = { name: "studio", Wrapper: StudioWrapper, SceneTools: StudioSceneTools, Panels: StudioPanels, className: "studio", editsLabels: true };
const STUDIO_EXTENSIONS = [STUDIO];

/**
 * `/studio/<id>`: the visitor view of the exhibition plus the curation tools. Signing in is
 * required; the server decides what the user may change (the tools follow its role).
 */
export function StudioPage({ id }: { id: string }) {
  const session = useSession();
  const seat = useMemo(classSeat, []);
  useEffect(() => {
    if (!session.known) void session.refresh();
  }, [session]);
  useEffect(() => {
    if (session.known && !session.me && !seat) navigate(`/signin?next=${encodeURIComponent(`/studio/${id}`)}`);
  }, [session.known, session.me, id, seat]);
  useEffect(() => {
    useStudioStore.setState({ picked: null, selected: [], tool: "move", panel: null });
  }, [id]);
  if (!session.me && !(seat && session.known)) return null;
  return <VisitPage id={id} extensions={STUDIO_EXTENSIONS} />;
}

/**
 * The class seat this tab holds when the studio was opened for a group's show
 * (`/studio/<show>?class=<session>`): the server decides what it may change (its group's show,
 * while the class runs and the group is not locked).
 */
function classSeat() {
  const seat = pageSeat();
  return seat?.seat ? seat : null;
}
