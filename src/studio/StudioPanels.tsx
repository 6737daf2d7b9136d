import { useEffect, useState, useSyncExternalStore } from "react";
import { navigate } from "../state/router";
import { useExhibition } from "../collab";
import { licenceLabel, pickText, publishProblems, roomsInOrder } from "../shared/exhibition";
import { arrivalPose } from "../viewer/room-layout";
import { useLocalStore } from "../state/local-store";
import { CatalogueDrawer, ENTRY_MIME, shownEntries } from "./CatalogueDrawer";
import { ItemInspector } from "./ItemInspector";
import { attachBoxSelect } from "./box-select";
import { RoomsPanel } from "./RoomsPanel";
import { reportRefusal, usePeers, useUndoState } from "./studio-hooks";
import { makeRoomPanoramas } from "./room-panoramas";
import { pageSeat } from "../state/class-seat";
import { useStudioNotice } from "./studio-store";
import { useStudio, type Studio } from "./studio-context";
import { useStudioStore, type StudioTool } from "./studio-store";
import { countText, useStudioT } from "./studio-strings";
import { TourEditor } from "./TourEditor";
import { LessonPlansPanel } from "./LessonPlansPanel";
import { VersionsPanel } from "./VersionsPanel";
import { ShowPanel } from "./ShowPanel";
import { CommentNotices, CommentsPanel, useUnreadCount } from "./comments-panel";
import { api } from "../api/client";


function PresenceList() {
  const t = useStudioT();
  const studio = useStudio();
  const peers = usePeers(studio?.presence);
  if (!studio) return null;
  const me = studio.editor.user;
  return (
    <ul className="presence" aria-label={t("people")}>
      <li className="peer me" title={`${me.name} (${t("you")}) · ${me.role}`}>
        <span className="dot" style={{ background: studio.presence.awareness.getLocalState()?.user?.colour }} />
        {me.name} <span className="muted">({t("you")})</span>
      </li>
      {peers.map((p) => (
        <li key={p.clientId} className="peer" data-peer={p.user.name} title={[p.user.name, p.user.institution, p.role].filter(Boolean).join(" · ")}>
          <span className="dot" style={{ background: p.user.colour }} />
          {p.user.name}
          {p.user.institution && <span className="muted"> · {p.user.institution}</span>}
        </li>
      ))}
    </ul>
  );
}

function PublishDialog({ onClose }: { onClose: () => void }) {
  const t = useStudioT();
  const studio = useStudio();
  const doc = useExhibition((d) => d);
  const language = useLocalStore((s) => s.language);
  // What visitors see first: the first room from where they arrive (from the studio's view when
  // another room is on show, which the canvas is drawing instead).
  const [preview] = useState(() => {
    const first = roomsInOrder(doc)[0];
    const here = useLocalStore.getState().room;
    const arriving = first && first[0] === here;
    return { src: studio?.bridge.snapshot?.(arriving ? arrivalPose(first[1], null) : undefined) ?? null, arriving };
  });
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ n: number; total: number } | null>(null);
  if (!studio) return null;
  // The same gate the server applies: these items keep the show private.
  const blocking = publishProblems(doc);
  return (
    <div className="dialog-backdrop" role="dialog" aria-modal="true" aria-label={t("publishTitle")}>
      <div className="dialog publish-dialog">
        {preview.src && <img src={preview.src} alt={pickText(doc.meta.title, language)} className="publish-preview" />}
        <div className="publish-text">
        <h2>{t("publishTitle")}</h2>
        <p className="publish-show-title">
          <strong>{pickText(doc.meta.title, language)}</strong>
        </p>
        <p className="muted">
          {countText(language, Object.keys(doc.rooms).length, "room")} · {countText(language, Object.keys(doc.placements).length, "object")} · {countText(language, doc.tour.length, "step")}
        </p>
        <p>{t("publishExplain")}</p>
        {preview.src && <p className="muted">{preview.arriving ? t("previewArrival") : t("previewHere")}</p>}
        {blocking.length > 0 && (
          <>
            <p className="lock-note" role="alert">
              {t("itemsBlockingNote")}
            </p>
            <ul className="publish-problems">
              {blocking.map((p) => (
                <li key={p.item} data-item={p.item}>
                  <strong>{pickText(doc.items[p.item]!.title, language)}</strong> — {licenceLabel(doc.items[p.item]!.licences.object, language)}: {p.reason}
                </li>
              ))}
            </ul>
          </>
        )}
        {progress && (
          <p className="muted" role="status" data-panoramas={`${progress.n}/${progress.total}`}>
            {t("makingPanoramas").replace("{n}", String(progress.n)).replace("{total}", String(progress.total))}
          </p>
        )}
        <div className="buttons">
          <button onClick={onClose} disabled={busy}>{t("cancel")}</button>
          <button
            className="primary"
            disabled={busy || blocking.length > 0}
            name="confirm-publish"
            onClick={() => {
              setBusy(true);
              // First each room's 360° picture for devices without 3D; a failure there does not stop publishing.
              makeRoomPanoramas(studio, (n, total) => setProgress({ n: Math.min(n + 1, total), total }))
                .catch((e) => {
                  console.warn("[atrium] room panoramas:", e);
                  reportRefusal(new Error(t("panoramasFailed")));
                })
                .then(() => api.publish(studio.id))
                .then(onClose)
                .catch(reportRefusal)
                .finally(() => {
                  setBusy(false);
                  setProgress(null);
                });
            }}
          >
            {t("publishConfirm")}
          </button>
        </div>
        </div>
      </div>
    </div>
  );
}

/** A class seat's way back from its group's show to the class (the class's own show, following the teacher again). */
function BackToClass() {
  const t = useStudioT();
  const seat = pageSeat();
  if (!seat?.exhibition) return null;
  const href = `/visit/${encodeURIComponent(seat.exhibition)}?class=${encodeURIComponent(seat.session)}`;
  return (
    <a href={href} className="button" data-class="back-to-class" onClick={(e) => (e.preventDefault(), navigate(href))}>
      {t("backToClass")}
    </a>
  );
}

/** The toolbar's way to the show's threads, with what this user has not read in open ones. */
function CommentsButton({ studio, active }: { studio: Studio; active: boolean }) {
  const t = useStudioT();
  const unread = useUnreadCount(studio);
  return (
    <button name="panel-comments" className={active ? "active" : ""} onClick={() => useStudioStore.getState().togglePanel("comments")} aria-label={unread > 0 ? `${t("comments")}: ${unread} ${t("unread")}` : t("comments")}>
      {t("comments")}
      {unread > 0 && (
        <span className="badge" aria-hidden="true" data-unread={unread}>
          {unread}
        </span>
      )}
    </button>
  );
}

function Toolbar() {
  const t = useStudioT();
  const studio = useStudio();
  const undo = useUndoState(studio?.editor.history);
  const tool = useStudioStore((s) => s.tool);
  const panel = useStudioStore((s) => s.panel);
  const title = useExhibition((d) => d.meta.title);
  const published = useExhibition((d) => d.meta.published);
  const language = useLocalStore((s) => s.language);
  const [publishing, setPublishing] = useState(false);
  const tools: [StudioTool, string][] = [
    ["move", t("move")],
    ["turn", t("turn")],
    ["scale", t("scale")],
    ["annotate", t("pinNote")],
  ];
  const canEdit = studio?.editor.canEdit() ?? false;
  const owner = studio?.editor.user.role === "owner";
  return (
    // A div: a <header> may not take the toolbar role (axe aria-allowed-role).
    <div className="studio-toolbar" role="toolbar" aria-label={t("studio")}>
      <a href="/" className="brand" onClick={(e) => (e.preventDefault(), navigate("/"))}>
        Atrium
      </a>
      <strong className="show-title">{pickText(title, language)}</strong>
      {studio ? (
        <>
          <span className="group">
            <button name="undo" disabled={!undo.canUndo} onClick={() => studio.editor.undo()} title="Ctrl+Z">
              ↶ {t("undo")}
            </button>
            <button name="redo" disabled={!undo.canRedo} onClick={() => studio.editor.redo()} title="Ctrl+Shift+Z">
              ↷ {t("redo")}
            </button>
          </span>
          <span className="group" role="radiogroup">
            {tools.map(([id, label]) => (
              <button key={id} role="radio" aria-checked={tool === id} className={tool === id ? "active" : ""} disabled={!canEdit} onClick={() => useStudioStore.getState().setTool(id)} name={`tool-${id}`}>
                {label}
              </button>
            ))}
          </span>
          <span className="group">
            {/* A class seat has no account: no lesson plans or versions (the teacher's), no catalogue. */}
            {(studio.seat ? (["show", "rooms", "tour"] as const) : (["show", "rooms", "tour", "plans", "versions"] as const)).map((p) => (
              <button key={p} className={panel === p ? "active" : ""} onClick={() => useStudioStore.getState().togglePanel(p)} name={`panel-${p}`}>
                {t(p === "show" ? "showPanel" : p)}
              </button>
            ))}
          </span>
          <CommentsButton studio={studio} active={panel === "comments"} />
          <PresenceList />
          <span className="group right">
            {studio.seat ? (
              <BackToClass />
            ) : (
              <a href={`/visit/${studio.id}`} className="button" target="_blank" rel="noreferrer">
                {t("visitorView")}
              </a>
            )}
            {owner &&
              (published ? (
                <button onClick={() => api.unpublish(studio.id).catch(reportRefusal)}>✓ {t("published")} · {t("unpublish")}</button>
              ) : (
                <button className="primary" name="publish" onClick={() => setPublishing(true)}>
                  {t("publish")}
                </button>
              ))}
          </span>
          {publishing && <PublishDialog onClose={() => setPublishing(false)} />}
        </>
      ) : (
        <span className="muted">{t("connecting")}</span>
      )}
    </div>
  );
}

/**
 * The studio's panels over the viewer: toolbar (undo/redo, tools, panels, people, publish), the
 * catalogue drawer, the inspector of the selection, one side panel (rooms, tour or versions) and
 * a notice line for refusals. Also makes the canvas a drop target for catalogue items and adds
 * keyboard shortcuts (Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y, Delete, Esc).
 */
export function StudioPanels() {
  const t = useStudioT();
  const studio = useStudio();
  const picked = useStudioStore((s) => s.picked);
  const panel = useStudioStore((s) => s.panel);
  const notice = useStudioNotice((s) => s.text);
  const pickedExists = useExhibition((d) => (picked ? d.placements[picked] !== undefined : false));

  useEffect(() => {
    if (!studio) return;
    const canvas = document.querySelector<HTMLElement>(".gallery-canvas");
    if (!canvas) return;
    const over = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes(ENTRY_MIME)) {
        e.preventDefault();
        e.dataTransfer.dropEffect = "copy";
      }
    };
    const drop = (e: DragEvent) => {
      const id = e.dataTransfer?.getData(ENTRY_MIME);
      const entry = id ? shownEntries.get(id) : undefined;
      if (!entry) return;
      e.preventDefault();
      const at = studio.bridge.floorPointAt?.(e.clientX, e.clientY) ?? [0, 0];
      try {
        const pid = studio.editor.place(entry, useLocalStore.getState().room!, at);
        useStudioStore.getState().pick(pid);
      } catch (err) {
        reportRefusal(err);
      }
    };
    const keys = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable)) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === "z") {
        e.preventDefault();
        if (e.shiftKey) studio.editor.redo();
        else studio.editor.undo();
      } else if (mod && e.key.toLowerCase() === "y") {
        e.preventDefault();
        studio.editor.redo();
      } else if ((e.key === "Delete" || e.key === "Backspace") && useStudioStore.getState().picked) {
        try {
          const { selected, picked } = useStudioStore.getState();
          if (selected.length > 1) studio.editor.removeMany(selected);
          else studio.editor.remove(picked!);
          useStudioStore.getState().pick(null);
        } catch (err) {
          reportRefusal(err);
        }
      } else if (e.key === "Escape") useStudioStore.getState().pick(null);
    };
    const offBox = attachBoxSelect(canvas, studio);
    canvas.addEventListener("dragover", over);
    canvas.addEventListener("drop", drop);
    window.addEventListener("keydown", keys);
    return () => {
      offBox();
      canvas.removeEventListener("dragover", over);
      canvas.removeEventListener("drop", drop);
      window.removeEventListener("keydown", keys);
    };
  }, [studio]);

  return (
    <>
      <Toolbar />
      {studio && !studio.seat && <CatalogueDrawer />}
      {studio && panel === "show" && <ShowPanel />}
      {studio && panel === "rooms" && <RoomsPanel />}
      {studio && panel === "tour" && <TourEditor />}
      {studio && panel === "plans" && <LessonPlansPanel />}
      {studio && panel === "versions" && <VersionsPanel />}
      {studio && panel === "comments" && <CommentsPanel studio={studio} />}
      {studio && <CommentNotices studio={studio} />}
      {studio && picked && pickedExists && !panel && <ItemInspector placementId={picked} />}
      {studio && !picked && !panel && <p className="studio-hint">{t("selectHint")}</p>}
      {notice && (
        <p className="studio-notice" role="status">
          {notice}
        </p>
      )}
    </>
  );
}
