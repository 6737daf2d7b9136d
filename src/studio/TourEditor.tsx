import { useState } from "react";
import { useExhibition } from "../collab";
import { pickText } from "../shared/exhibition";
import { useLocalStore } from "../state/local-store";
import { LanguageTabs, useEditLanguage } from "./fields";
import { captureTourStep } from "./tour-capture";
import { attempt, reportRefusal, usePeers } from "./studio-hooks";
import { useStudio } from "./studio-context";
import { CoTextField } from "./co-text-field";
import { useStudioStore } from "./studio-store";
import { useStudioT } from "./studio-strings";
import { api } from "../api/client";

/**
 * The tour editor: capture the current view as a step (focused on the selected object, if any),
 * write its text per language, attach an audio guide file per language, reorder by dragging
 * (or the arrows), re-capture and remove.
 */
export function TourEditor() {
  const t = useStudioT();
  const studio = useStudio();
  const tour = useExhibition((d) => d.tour);
  const rooms = useExhibition((d) => d.rooms);
  const language = useLocalStore((s) => s.language);
  const lang = useEditLanguage();
  const peers = usePeers(studio?.presence);
  const [dragging, setDragging] = useState<string | null>(null);
  const placements = useExhibition((d) => d.placements);
  const items = useExhibition((d) => d.items);
  const titleOf = (pid: string) => {
    const item = items[placements[pid]?.item ?? ""];
    return item ? pickText(item.title, language) : null;
  };
  if (!studio) return null;
  const { editor } = studio;
  const disabled = !editor.canEdit();
  const capture = () => attempt(() => void captureTourStep(studio, lang, useStudioStore.getState().picked));
  const uploadAudio = async (stepId: string, file: File) => {
    try {
      const body = await api.upload(new URLSearchParams({ title: file.name, licence: "CC-BY-4.0" }), file);
      if (body.kind !== "audio") return reportRefusal(new Error("that file is not a sound Atrium can play"));
      attempt(() => editor.setStepAudio(stepId, lang, body.url));
    } catch (e) {
      reportRefusal(e);
    }
  };
  return (
    <aside className="studio-drawer panel tour-editor" aria-label={t("tour")}>
      <h2>{t("tour")}</h2>
      <LanguageTabs />
      {!disabled && (
        <button name="capture-step" onClick={capture}>
          + {t("captureStep")}
        </button>
      )}
      {tour.length === 0 && <p className="muted">{t("noSteps")}</p>}
      <ol className="tour-steps">
        {tour.map((s, i) => (
          <li
            key={s.id}
            data-step={s.id}
            draggable={!disabled}
            className={dragging === s.id ? "dragging" : ""}
            onDragStart={(e) => {
              setDragging(s.id);
              e.dataTransfer.setData("text/x-atrium-step", s.id);
            }}
            onDragEnd={() => setDragging(null)}
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              const id = e.dataTransfer.getData("text/x-atrium-step");
              if (id && id !== s.id) attempt(() => editor.moveTourStep(id, i));
            }}
          >
            <div className="step-head">
              <span className="step-no">{i + 1}</span>
              <button className="link step-shows" onClick={() => useLocalStore.getState().startTour(i)} title={pickText(rooms[s.room]?.name ?? {}, language)}>
                {/* What the step shows: its object, else its room. */}
                {s.focus && titleOf(s.focus) ? titleOf(s.focus) : pickText(rooms[s.room]?.name ?? { en: s.room }, language)}
              </button>
              {!disabled && (
                <span className="step-tools">
                  <button className="icon" aria-label="↑" disabled={i === 0} onClick={() => attempt(() => editor.moveTourStep(s.id, i - 1))}>
                    ↑
                  </button>
                  <button className="icon" aria-label="↓" disabled={i === tour.length - 1} onClick={() => attempt(() => editor.moveTourStep(s.id, i + 1))}>
                    ↓
                  </button>
                  <button
                    className="icon"
                    title={t("recapture")}
                    onClick={() => attempt(() => studio.bridge.cameraPose && editor.recaptureTourStep(s.id, useLocalStore.getState().room!, studio.bridge.cameraPose()))}
                  >
                    ◉
                  </button>
                  <button className="icon" aria-label={t("remove")} onClick={() => attempt(() => editor.removeTourStep(s.id))}>
                    ×
                  </button>
                </span>
              )}
            </div>
            <CoTextField multiline rows={2} target={{ kind: "tour", id: s.id }} lang={lang} name={`step-text-${i}`} label={t("stepText").replace("{n}", String(i + 1))} value={s.text[lang] ?? ""} presence={studio.presence} peers={peers} disabled={disabled} onText={(v) => attempt(() => editor.setText({ kind: "tour", id: s.id }, lang, v))} />
            <div className="row">
              <span className="muted">{t("audio")}:</span>
              {s.audio?.[lang] ? <audio controls src={s.audio[lang]} preload="none" /> : <span className="muted">—</span>}
              {!disabled && <input type="file" accept="audio/mpeg,audio/ogg,audio/wav,.mp3,.ogg,.wav" aria-label={t("audio")} onChange={(e) => e.target.files?.[0] && void uploadAudio(s.id, e.target.files[0])} />}
            </div>
            {/* Captions belong to a recording: offered once the step has one in this language. */}
            {s.audio?.[lang] && <StepCaptions stepId={s.id} lang={lang} vtt={s.captions?.[lang] ?? ""} disabled={disabled} label={`${t("captions")} · ${i + 1}`} />}
          </li>
        ))}
      </ol>
    </aside>
  );
}

/**
 * A step's captions in the language being edited: a WebVTT file to load, or the WebVTT text to write
 * and correct by hand (it doubles as the transcript). Applied when the field is left; a text that
 * is not WebVTT is refused with the line at fault and stays in the field to be fixed.
 */
function StepCaptions({ stepId, lang, vtt, disabled, label }: { stepId: string; lang: string; vtt: string; disabled: boolean; label: string }) {
  const t = useStudioT();
  const studio = useStudio();
  const [draft, setDraft] = useState<string | null>(null);
  if (!studio) return null;
  const apply = (text: string) => {
    try {
      studio.editor.setStepCaptions(stepId, lang, text);
      setDraft(null);
    } catch (e) {
      reportRefusal(e);
    }
  };
  return (
    <details className="step-captions" open={vtt !== "" || draft !== null}>
      <summary>
        {t("captions")} {vtt ? "✓" : ""}
      </summary>
      <textarea
        rows={4}
        lang={lang}
        name="step-captions"
        aria-label={label}
        placeholder={"WEBVTT\n\n00:00.000 --> 00:04.000\n…"}
        value={draft ?? vtt}
        disabled={disabled}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => draft !== null && draft !== vtt && apply(draft)}
      />
      {!disabled && (
        <input
          type="file"
          accept=".vtt,text/vtt"
          aria-label={t("captionsFile")}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void file.text().then((text) => (setDraft(text), apply(text)));
          }}
        />
      )}
    </details>
  );
}
