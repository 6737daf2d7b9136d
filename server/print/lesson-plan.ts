import { pickText, stepMinutes, type Exhibition, type LessonPlan } from "../../src/shared/exhibition";

/** Printed words, per interface language (the plan's own texts come from the document). */
const WORDS: Record<string, Record<string, string>> = {
  en: { plan: "Lesson plan", ages: "Ages", minutes: "min", length: "Length", objectives: "Objectives", materials: "Materials", steps: "Steps", stop: "Tour stop", question: "Question", shortAnswer: "short answer", print: "Print or save as PDF", stepsAdd: "steps add up to" },
  ja: { plan: "授業計画", ages: "対象年齢", minutes: "分", length: "時間", objectives: "ねらい", materials: "準備するもの", steps: "流れ", stop: "ツアーの地点", question: "質問", shortAnswer: "記述", print: "印刷または PDF で保存", stepsAdd: "各段階の合計" },
  "zh-Hant": { plan: "教案", ages: "適合年齡", minutes: "分鐘", length: "時長", objectives: "學習目標", materials: "教材與準備", steps: "教學流程", stop: "導覽站", question: "提問", shortAnswer: "簡答", print: "列印或存成 PDF", stepsAdd: "各步驟合計" },
};

/** HTML-escapes text for printing. */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * The body of a printed lesson plan (title, ages, length, objectives, materials, and each step with
 * its minutes, tour stop, notes and question): the plan page prints it alone, the lesson sheet of a
 * class that ran the plan prints it above what happened.
 */
export function lessonPlanSection(doc: Exhibition, plan: LessonPlan, lang: string, heading: "h1" | "h2" = "h1"): string {
  const w = WORDS[lang] ?? WORDS.en!;
  const fall = doc.meta.languages;
  const text = (m: Parameters<typeof pickText>[0]) => escapeHtml(pickText(m, lang, fall));
  const tourIndex = new Map(doc.tour.map((s, i) => [s.id, i]));
  const list = (items: LessonPlan["objectives"]) => items.map((o) => `<li>${text(o)}</li>`).join("");
  const steps = plan.steps
    .map((s) => {
      const at = s.tourStep !== undefined ? tourIndex.get(s.tourStep) : undefined;
      const stop = at !== undefined ? `<span class="stop">${w.stop} ${at + 1}: ${text(doc.rooms[doc.tour[at]!.room]?.name)}</span>` : "";
      const q = s.question;
      const question = q
        ? `<div class="plan-question"><strong>${w.question}:</strong> ${text(q.prompt)}${q.kind === "choice" ? `<ol type="A">${q.options.map((o) => `<li>${text(o)}</li>`).join("")}</ol>` : ` <em>(${w.shortAnswer})</em>`}</div>`
        : "";
      return `<li class="plan-step"><p><strong>${text(s.title)}</strong> <span class="min">${s.minutes} ${w.minutes}</span> ${stop}</p>${pickText(s.notes, lang, fall) ? `<p>${text(s.notes)}</p>` : ""}${question}</li>`;
    })
    .join("\n");
  const sum = stepMinutes(plan);
  return `<p class="kind">${w.plan}</p>
<${heading} class="plan-title">${text(plan.title)}</${heading}>
<div class="meta"><span>${w.ages}: ${plan.ages[0]}–${plan.ages[1]}</span><span>${w.length}: ${plan.minutes} ${w.minutes}${sum !== plan.minutes ? ` (${w.stepsAdd} ${sum})` : ""}</span></div>
${pickText(plan.summary, lang, fall) ? `<p class="intro">${text(plan.summary)}</p>` : ""}
${plan.objectives.length ? `<h3>${w.objectives}</h3><ul class="objectives">${list(plan.objectives)}</ul>` : ""}
${plan.materials.length ? `<h3>${w.materials}</h3><ul class="materials">${list(plan.materials)}</ul>` : ""}
<h3>${w.steps}</h3>
<ol class="plan-steps">
${steps}
</ol>`;
}

/** Styles of a printed plan (shared with the lesson sheet). */
export const LESSON_PLAN_CSS = `
  h3 { font-size: 11pt; margin: 10px 0 2px; }
  .plan-steps > li { margin: 6px 0; }
  .min, .stop { font-size: 9pt; color: #555; margin-left: 6px; }
  .plan-question { margin: 2px 0 0; padding: 3px 6px; border-left: 3px solid #b08a4a; background: #f6f1e8; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  .plan-question ol { margin: 2px 0; }
`;

/** A lesson plan as a printable A4 page (no script but the print button, no outside resources). */
export function lessonPlanHtml(doc: Exhibition, plan: LessonPlan, lang: string): string {
  const w = WORDS[lang] ?? WORDS.en!;
  const title = escapeHtml(pickText(plan.title, lang, doc.meta.languages));
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${w.plan}: ${title}</title>
<style>
  @page { size: A4; margin: 14mm; }
  body { font: 10.5pt/1.4 system-ui, "Noto Sans TC", "PingFang TC", sans-serif; color: #1b1a18; max-width: 180mm; margin: 0 auto; padding: 12px; }
  h1 { font-size: 17pt; margin: 0 0 2px; }
  .kind { text-transform: uppercase; letter-spacing: .08em; font-size: 8.5pt; color: #6b5d4a; margin: 0; }
  .meta { display: flex; gap: 18px; flex-wrap: wrap; font-size: 9.5pt; color: #444; margin: 6px 0; }
  .show { font-size: 9.5pt; color: #444; margin: 0; }
  ol, ul { padding-left: 20px; margin: 4px 0; }
  li { break-inside: avoid; }
  li p { margin: 1px 0; }
  .print { position: fixed; top: 10px; right: 10px; font: inherit; padding: 6px 12px; }
  @media print { .print { display: none; } body { padding: 0; } }
  ${LESSON_PLAN_CSS}
</style>
</head>
<body>
${lessonPlanSection(doc, plan, lang)}
<p class="show">Atrium · ${escapeHtml(pickText(doc.meta.title, lang, doc.meta.languages))}</p>
<button class="print" onclick="window.print()">${w.print}</button>
</body>
</html>
`;
}
