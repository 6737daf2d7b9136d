import { creditText, pickText, roomsInOrder, type Exhibition, type LessonPlan } from "../../src/shared/exhibition";
import type { QuestionResult } from "../../src/shared/class-protocol";
import { escapeHtml as esc, LESSON_PLAN_CSS, lessonPlanSection } from "../print/lesson-plan";

/** What a lesson sheet says about the class itself (never anything about the students). */
export interface LessonInfo {
  teacher: string;
  startedAt: Date;
  endedAt: Date | null;
  /** How many students took part (a count only). */
  students: number;
  /** The questions asked and how the class answered: counts and texts, never who. */
  questions?: QuestionResult[];
  /**
   * A class of several classrooms: each one's name and its answers to the same questions (same
   * order as `questions`), counts only. Absent or one: no breakdown.
   */
  classrooms?: { name: string; questions: QuestionResult[] }[];
  /** The lesson plan the class ran, printed whole (as it reads now in the show). */
  plan?: LessonPlan;
}

const WORDS: Record<string, Record<string, string>> = {
  en: { sheet: "Lesson sheet", teacher: "Teacher", date: "Date", length: "Length", minutes: "min", students: "Students", tour: "Tour", items: "Objects", print: "Print or save as PDF", credit: "Credit", maker: "Maker", made: "Date", material: "Material", notes: "Notes", questions: "Questions asked", answered: "answered", step: "tour stop", shortAnswers: "Short answers", byClassroom: "By classroom" },
  ja: { sheet: "授業資料", teacher: "先生", date: "日付", length: "時間", minutes: "分", students: "生徒数", tour: "ツアー", items: "展示品", print: "印刷または PDF で保存", credit: "クレジット", maker: "作者", made: "年代", material: "素材", notes: "メモ", questions: "出した質問", answered: "人が回答", step: "ツアーの地点", shortAnswers: "記述の回答", byClassroom: "教室ごと" },
  "zh-Hant": { sheet: "課程講義", teacher: "教師", date: "日期", length: "時長", minutes: "分鐘", students: "學生人數", tour: "導覽", items: "展品", print: "列印或存成 PDF", credit: "出處", maker: "作者", made: "年代", material: "材質", notes: "筆記", questions: "課堂提問", answered: "人作答", step: "導覽站", shortAnswers: "簡答", byClassroom: "各教室" },
};


/**
 * The one-page lesson sheet a teacher downloads after class: the exhibition, its tour steps with
 * their text, and every object shown with its full credit line and licence. Printable HTML (the
 * browser's print dialog makes the PDF); no script, no outside resources.
 */
export function lessonSheetHtml(doc: Exhibition, info: LessonInfo, lang: string): string {
  const w = WORDS[lang] ?? WORDS.en!;
  const fall = doc.meta.languages;
  const text = (m: Parameters<typeof pickText>[0]) => esc(pickText(m, lang, fall));
  const museums = new Map(doc.meta.museums.map((m) => [m.id, m]));
  const rooms = roomsInOrder(doc);
  const roomName = (id: string) => text(doc.rooms[id]?.name);
  const minutes = info.endedAt ? Math.max(1, Math.round((info.endedAt.getTime() - info.startedAt.getTime()) / 60_000)) : null;
  const date = info.startedAt.toISOString().slice(0, 10);

  const steps = doc.tour
    .map((s) => `<li><span class="room">${roomName(s.room)}</span><p>${text(s.text)}</p></li>`)
    .join("\n");
  // Objects in the order a visitor meets them: room by room, then by placement id.
  const shown: string[] = [];
  for (const [roomId] of rooms)
    for (const [, p] of Object.entries(doc.placements)
      .filter(([, p]) => p.room === roomId)
      .sort((a, b) => a[0].localeCompare(b[0])))
      if (!shown.includes(p.item)) shown.push(p.item);
  const items = shown
    .map((id) => {
      const it = doc.items[id];
      if (!it) return "";
      const facts = [
        it.maker ? `${w.maker}: ${text(it.maker)}` : "",
        it.date ? `${w.made}: ${text(it.date)}` : "",
        it.material ? `${w.material}: ${text(it.material)}` : "",
      ].filter(Boolean);
      return `<li><strong>${text(it.title)}</strong>${facts.length ? `<br><span class="facts">${facts.join(" · ")}</span>` : ""}<br><span class="credit">${esc(creditText(it, museums.get(it.institution), lang))}</span></li>`;
    })
    .join("\n");

  // Each question with its spread (a bar of the share per choice, drawn in CSS) or its short answers, unnamed.
  const classrooms = info.classrooms && info.classrooms.length > 1 ? info.classrooms : [];
  // Per classroom: how many answered and, for several choices, the count per choice (never who).
  const byClassroom = (index: number, kind: string, options: string[]): string =>
    classrooms.length === 0
      ? ""
      : `<table class="by-classroom"><caption>${w.byClassroom}</caption>${kind === "choice" ? `<tr><td></td><td></td>${options.map((o) => `<th scope="col">${esc(o)}</th>`).join("")}</tr>` : ""}${classrooms
          .map((r) => {
            const res = r.questions[index];
            const cells = kind === "choice" ? (res?.counts ?? []).map((n) => `<td>${n}</td>`).join("") : "";
            return `<tr><th scope="row">${esc(r.name)}</th><td>${res?.answered ?? 0} ${w.answered}</td>${cells}</tr>`;
          })
          .join("")}</table>`;
  const questions = (info.questions ?? [])
    .map(({ question: q, answered, counts, texts }, index) => {
      const at = q.step !== null ? ` <span class="room">(${w.step} ${q.step + 1})</span>` : "";
      const body =
        q.kind === "choice"
          ? `<ul class="choices">${q.options
              .map((o, i) => {
                const n = counts[i] ?? 0;
                const pct = answered ? Math.round((100 * n) / answered) : 0;
                return `<li><span class="bar" style="width:${pct}%"></span><span class="choice">${esc(o)}</span> <strong>${n}</strong> (${pct}%)</li>`;
              })
              .join("")}</ul>`
          : texts.length
            ? `<ul class="texts">${texts.map((t) => `<li>${esc(t)}</li>`).join("")}</ul>`
            : "";
      return `<li class="question"><p><strong>${esc(q.prompt)}</strong>${at} · ${answered} ${w.answered}</p>${body}${byClassroom(index, q.kind, q.options)}</li>`;
    })
    .join("\n");

  return `<!doctype html>
<html lang="${esc(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${w.sheet}: ${text(doc.meta.title)}</title>
<style>
  @page { size: A4; margin: 14mm; }
  body { font: 10.5pt/1.4 system-ui, "Noto Sans TC", "PingFang TC", sans-serif; color: #1b1a18; max-width: 180mm; margin: 0 auto; padding: 12px; }
  h1 { font-size: 17pt; margin: 0 0 2px; }
  h2 { font-size: 12pt; margin: 14px 0 4px; border-bottom: 1px solid #bbb; }
  .kind { text-transform: uppercase; letter-spacing: .08em; font-size: 8.5pt; color: #6b5d4a; margin: 0; }
  .meta { display: flex; gap: 18px; flex-wrap: wrap; font-size: 9.5pt; color: #444; margin: 6px 0; }
  .intro { margin: 6px 0; }
  ol, ul { padding-left: 20px; margin: 4px 0; }
  li { margin: 4px 0; break-inside: avoid; }
  li p { margin: 1px 0; }
  .room, .facts { font-size: 9pt; color: #555; }
  .credit { font-size: 8.5pt; color: #444; }
  .choices { list-style: none; padding: 0; }
  .choices li { position: relative; padding: 1px 4px; }
  .by-classroom { border-collapse: collapse; margin: 2px 0 6px; font-size: 10pt; }
  .by-classroom caption { text-align: left; color: #555; }
  .by-classroom th, .by-classroom td { border: 1px solid #ccc; padding: 1px 6px; text-align: left; }
  .bar { position: absolute; inset: 0 auto 0 0; background: #e9dfcf; z-index: -1; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  .texts li { font-style: italic; }
  .notes { border: 1px solid #bbb; min-height: 28mm; margin-top: 4px; }
  .print { position: fixed; top: 10px; right: 10px; font: inherit; padding: 6px 12px; }
  @media print { .print { display: none; } body { padding: 0; } }
  .lesson-plan { border: 1px solid #d8cdb8; padding: 4px 10px; margin: 8px 0; }
  .lesson-plan .plan-title { font-size: 12pt; border: 0; margin: 0; }
  ${LESSON_PLAN_CSS}
</style>
</head>
<body>
<p class="kind">Atrium · ${w.sheet}</p>
<h1>${text(doc.meta.title)}</h1>
<div class="meta"><span>${w.teacher}: ${esc(info.teacher)}</span><span>${w.date}: ${date}</span>${minutes !== null ? `<span>${w.length}: ${minutes} ${w.minutes}</span>` : ""}<span>${w.students}: ${info.students}</span></div>
${doc.meta.intro ? `<p class="intro">${text(doc.meta.intro)}</p>` : ""}
${info.plan ? `<section class="lesson-plan">${lessonPlanSection(doc, info.plan, lang, "h2")}</section>` : ""}
${doc.tour.length ? `<h2>${w.tour}</h2>\n<ol class="tour">\n${steps}\n</ol>` : ""}
<h2>${w.items}</h2>
<ul class="items">
${items}
</ul>
${questions ? `<h2>${w.questions}</h2>\n<ol class="questions">\n${questions}\n</ol>` : ""}
<h2>${w.notes}</h2>
<div class="notes"></div>
<button class="print" onclick="window.print()">${w.print}</button>
</body>
</html>
`;
}
