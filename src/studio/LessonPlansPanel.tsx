import { useEffect, useState } from "react";
import { useExhibition } from "../collab";
import { pickText, type LangMap, type LessonPlan, type LessonQuestion, type LessonStep } from "../shared/exhibition";
import { useLocalStore } from "../state/local-store";
import { LangLabel, LanguageTabs, NumberField, useEditLanguage } from "./fields";
import { attempt } from "./studio-hooks";
import { useStudio } from "./studio-context";
import { useStudioT } from "./studio-strings";

/**
 * The lesson plans of the show (issue 22), edited like any record of the document: every field is
 * written when it is left (Enter or Tab), validated whole by `setLessonPlan`, and a refusal names
 * the field in the studio's notice line. Texts are written in the language of the tab; lists
 * (objectives, materials, choices) are one entry a line, each line one entry in every language.
 */
export function LessonPlansPanel() {
  const t = useStudioT();
  const studio = useStudio();
  const plans = useExhibition((d) => d.lessonPlans);
  const language = useLocalStore((s) => s.language);
  const lang = useEditLanguage();
  const [chosen, setChosen] = useState<string | null>(null);
  if (!studio) return null;
  const { editor } = studio;
  const disabled = !editor.canEdit();
  const ids = Object.keys(plans);
  const current = chosen && plans[chosen] ? chosen : (ids[0] ?? null);
  const add = () => attempt(() => setChosen(editor.addLessonPlan(lang, t("newPlanTitle"), t("firstStep"))));
  return (
    <aside className="studio-drawer panel plans-editor" aria-label={t("plans")}>
      <h2>{t("plans")}</h2>
      <LanguageTabs />
      {ids.length === 0 && <p className="muted">{t("noPlans")}</p>}
      <div className="row plan-picker">
        {ids.length > 0 && (
          <select name="plan" aria-label={t("plans")} value={current ?? ""} onChange={(e) => setChosen(e.target.value)}>
            {ids.map((id) => (
              <option key={id} value={id}>
                {pickText(plans[id]!.title, language)}
              </option>
            ))}
          </select>
        )}
        {!disabled && (
          <button name="new-plan" onClick={add}>
            + {t("newPlan")}
          </button>
        )}
      </div>
      {current && <PlanEditor key={current} id={current} plan={plans[current]!} lang={lang} disabled={disabled} />}
    </aside>
  );
}

/** A text written when the field is left, not on every keystroke (each write is one validated record). */
function TextField({ value, onCommit, label, name, lang, multiline, disabled, placeholder }: { value: string; onCommit: (v: string) => void; label: string; name: string; lang: string; multiline?: boolean; disabled: boolean; placeholder?: string }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const common = {
    name,
    lang,
    disabled,
    value: text,
    placeholder,
    "aria-label": label,
    onBlur: () => text !== value && onCommit(text),
  };
  return multiline ? (
    <textarea rows={Math.min(6, Math.max(2, text.split("\n").length))} {...common} onChange={(e) => setText(e.target.value)} />
  ) : (
    <input {...common} onChange={(e) => setText(e.target.value)} onKeyDown={(e) => e.key === "Enter" && (e.target as HTMLInputElement).blur()} />
  );
}

/** A language map with `lang` set to `text` (removed when empty). */
function withText(map: LangMap | undefined, lang: string, text: string): LangMap {
  const out: LangMap = { ...(map ?? {}) };
  if (text.trim()) out[lang] = text.trim();
  else delete out[lang];
  return out;
}

/** One entry a line, in `lang`, for a list of language maps. */
const linesOf = (list: readonly LangMap[], lang: string) => list.map((m) => m[lang] ?? "").join("\n");

/** The list with line i written into entry i's `lang`; entries left with no text in any language are dropped. */
function withLines(list: readonly LangMap[], lang: string, text: string): LangMap[] {
  const lines = text.split("\n");
  const out: LangMap[] = [];
  for (let i = 0; i < Math.max(lines.length, list.length); i++) {
    const entry = withText(list[i], lang, lines[i] ?? "");
    if (Object.values(entry).some((v) => v.trim())) out.push(entry);
  }
  return out;
}

function PlanEditor({ id, plan, lang, disabled }: { id: string; plan: LessonPlan; lang: string; disabled: boolean }) {
  const t = useStudioT();
  const studio = useStudio()!;
  const tour = useExhibition((d) => d.tour);
  const rooms = useExhibition((d) => d.rooms);
  const placements = useExhibition((d) => d.placements);
  const items = useExhibition((d) => d.items);
  const language = useLocalStore((s) => s.language);
  const update = (change: (p: LessonPlan) => LessonPlan) => attempt(() => studio.editor.updateLessonPlan(id, change));
  const updateStep = (i: number, change: (s: LessonStep) => LessonStep) => update((p) => ({ ...p, steps: p.steps.map((s, j) => (j === i ? change(s) : s)) }));
  const moveStep = (i: number, to: number) =>
    update((p) => {
      const steps = p.steps.slice();
      const [s] = steps.splice(i, 1);
      steps.splice(to, 0, s!);
      return { ...p, steps };
    });
  const stopName = (i: number) => {
    const s = tour[i]!;
    const focus = s.focus ? items[placements[s.focus]?.item ?? ""]?.title : undefined;
    return `${i + 1}. ${pickText(focus ?? rooms[s.room]?.name ?? { en: s.room }, language)}`;
  };
  const stepLabel = (i: number) => t("stepTitleN").replace("{n}", String(i + 1));
  return (
    <div className="plan-editor" data-plan={id}>
      <label className="field">
        <LangLabel text={t("planTitle")} lang={lang} />
        <TextField name="plan-title" lang={lang} label={t("planTitle")} value={plan.title[lang] ?? ""} disabled={disabled} onCommit={(v) => update((p) => ({ ...p, title: withText(p.title, lang, v) }))} />
      </label>
      <label className="field">
        <LangLabel text={t("planSummary")} lang={lang} />
        <TextField multiline name="plan-summary" lang={lang} label={t("planSummary")} value={plan.summary[lang] ?? ""} disabled={disabled} onCommit={(v) => update((p) => ({ ...p, summary: withText(p.summary, lang, v) }))} />
      </label>
      <div className="row plan-numbers">
        <label>
          {t("agesFrom")} <NumberField name="plan-age-from" step={1} label={t("agesFrom")} value={plan.ages[0]} disabled={disabled} onCommit={(v) => update((p) => ({ ...p, ages: [v, p.ages[1]] }))} />
        </label>
        <label>
          {t("agesTo")} <NumberField name="plan-age-to" step={1} label={t("agesTo")} value={plan.ages[1]} disabled={disabled} onCommit={(v) => update((p) => ({ ...p, ages: [p.ages[0], v] }))} />
        </label>
        <label>
          {t("planLength")} <NumberField name="plan-minutes" step={5} label={t("planLength")} value={plan.minutes} disabled={disabled} onCommit={(v) => update((p) => ({ ...p, minutes: v }))} />
        </label>
      </div>
      <label className="field">
        <LangLabel text={t("objectivesLines")} lang={lang} />
        <TextField multiline name="plan-objectives" lang={lang} label={t("objectivesLines")} value={linesOf(plan.objectives, lang)} disabled={disabled} onCommit={(v) => update((p) => ({ ...p, objectives: withLines(p.objectives, lang, v) }))} />
      </label>
      <label className="field">
        <LangLabel text={t("materialsLines")} lang={lang} />
        <TextField multiline name="plan-materials" lang={lang} label={t("materialsLines")} value={linesOf(plan.materials, lang)} disabled={disabled} onCommit={(v) => update((p) => ({ ...p, materials: withLines(p.materials, lang, v) }))} />
      </label>
      <h3>{t("planSteps")}</h3>
      <ol className="plan-steps">
        {plan.steps.map((s, i) => (
          <li key={i} data-plan-step={i}>
            <div className="step-head">
              <span className="step-no">{i + 1}</span>
              <TextField name={`plan-step-title-${i}`} lang={lang} label={`${stepLabel(i)} · ${t("planTitle")}`} value={s.title[lang] ?? ""} disabled={disabled} onCommit={(v) => updateStep(i, (x) => ({ ...x, title: withText(x.title, lang, v) }))} />
              {!disabled && (
                <span className="step-tools">
                  <button className="icon" aria-label="↑" disabled={i === 0} onClick={() => moveStep(i, i - 1)}>
                    ↑
                  </button>
                  <button className="icon" aria-label="↓" disabled={i === plan.steps.length - 1} onClick={() => moveStep(i, i + 1)}>
                    ↓
                  </button>
                  <button className="icon" aria-label={t("removeStepN").replace("{n}", String(i + 1))} onClick={() => update((p) => ({ ...p, steps: p.steps.filter((_, j) => j !== i) }))}>
                    ×
                  </button>
                </span>
              )}
            </div>
            <div className="row">
              <label>
                {t("stepMinutes")} <NumberField name={`plan-step-minutes-${i}`} step={1} label={`${stepLabel(i)} · ${t("stepMinutes")}`} value={s.minutes} disabled={disabled} onCommit={(v) => updateStep(i, (x) => ({ ...x, minutes: v }))} />
              </label>
              <label>
                {t("tourStop")}{" "}
                <select
                  name={`plan-step-stop-${i}`}
                  aria-label={`${stepLabel(i)} · ${t("tourStop")}`}
                  value={s.tourStep ?? ""}
                  disabled={disabled}
                  onChange={(e) => updateStep(i, ({ tourStep: _old, ...x }) => (e.target.value ? { ...x, tourStep: e.target.value } : x))}
                >
                  <option value="">{t("noTourStop")}</option>
                  {tour.map((stop, k) => (
                    <option key={stop.id} value={stop.id}>
                      {stopName(k)}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <TextField multiline name={`plan-step-notes-${i}`} lang={lang} placeholder={t("stepNotes")} label={`${stepLabel(i)} · ${t("stepNotes")}`} value={s.notes[lang] ?? ""} disabled={disabled} onCommit={(v) => updateStep(i, (x) => ({ ...x, notes: withText(x.notes, lang, v) }))} />
            <QuestionEditor index={i} label={stepLabel(i)} question={s.question} lang={lang} disabled={disabled} onChange={(q) => updateStep(i, ({ question: _old, ...x }) => (q ? { ...x, question: q } : x))} />
          </li>
        ))}
      </ol>
      {!disabled && (
        <button name="add-plan-step" onClick={() => update((p) => ({ ...p, steps: [...p.steps, { title: { [lang]: t("stepTitleN").replace("{n}", String(p.steps.length + 1)) }, notes: {}, minutes: 5 }] }))}>
          + {t("addPlanStep")}
        </button>
      )}
      <p className="row">
        <a className="button print-plan" href={`/api/exhibitions/${encodeURIComponent(studio.id)}/lesson-plans/${encodeURIComponent(id)}?lang=${encodeURIComponent(lang)}`} target="_blank" rel="noreferrer">
          {t("printPlan")}
        </a>
        {!disabled && (
          <button className="danger" name="remove-plan" onClick={() => window.confirm(`${t("removePlan")}?`) && attempt(() => studio.editor.removeLessonPlan(id))}>
            {t("removePlan")}
          </button>
        )}
      </p>
    </div>
  );
}

/**
 * A step's question: none, several choices or a short answer. The prompt and choices are kept here
 * while being written and go into the plan together, since a question is only valid whole (a
 * prompt, and 2 to 6 choices for several choices).
 */
function QuestionEditor({ index, label, question, lang, disabled, onChange }: { index: number; label: string; question: LessonQuestion | undefined; lang: string; disabled: boolean; onChange: (q: LessonQuestion | undefined) => void }) {
  const t = useStudioT();
  const [kind, setKind] = useState<"none" | "choice" | "text">(question?.kind ?? "none");
  const [prompt, setPrompt] = useState(question?.prompt[lang] ?? "");
  const [choices, setChoices] = useState(linesOf(question?.options ?? [], lang));
  const stored = JSON.stringify(question ?? null);
  useEffect(() => {
    setKind(question?.kind ?? "none");
    setPrompt(question?.prompt[lang] ?? "");
    setChoices(linesOf(question?.options ?? [], lang));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `stored` is the question's value
  }, [stored, lang]);
  const commit = (k: "choice" | "text", p: string, c: string) => {
    if (!p.trim() && !question) return; // nothing written yet
    onChange({ kind: k, prompt: withText(question?.prompt, lang, p), options: k === "choice" ? withLines(question?.options ?? [], lang, c) : [] });
  };
  return (
    <div className="plan-question-editor">
      <label>
        {t("questionKind")}{" "}
        <select
          name={`plan-step-question-${index}`}
          aria-label={`${label} · ${t("questionKind")}`}
          value={kind}
          disabled={disabled}
          onChange={(e) => {
            const k = e.target.value as typeof kind;
            setKind(k);
            if (k === "none") question && onChange(undefined);
            else if (question) commit(k, prompt, choices);
          }}
        >
          <option value="none">{t("noQuestion")}</option>
          <option value="choice">{t("choiceQuestion")}</option>
          <option value="text">{t("textQuestion")}</option>
        </select>
      </label>
      {kind !== "none" && (
        <>
          <input
            name={`plan-step-prompt-${index}`}
            lang={lang}
            aria-label={`${label} · ${t("questionPrompt")}`}
            placeholder={t("questionPrompt")}
            value={prompt}
            disabled={disabled}
            onChange={(e) => setPrompt(e.target.value)}
            onBlur={() => commit(kind, prompt, choices)}
            onKeyDown={(e) => e.key === "Enter" && (e.target as HTMLInputElement).blur()}
          />
          {kind === "choice" && (
            <textarea
              name={`plan-step-choices-${index}`}
              lang={lang}
              rows={3}
              aria-label={`${label} · ${t("choicesLines")}`}
              placeholder={t("choicesLines")}
              value={choices}
              disabled={disabled}
              onChange={(e) => setChoices(e.target.value)}
              onBlur={() => commit(kind, prompt, choices)}
            />
          )}
        </>
      )}
    </div>
  );
}
