import type { SqlDb } from "../db/sql";
import { isPositive, type SurveyAnswer, type SurveyConfig, type SurveyDay, type SurveyResults, type TeacherSurvey, type TeacherSurveyResults } from "../../src/shared/api/survey";
import { SMALLEST_SHOWN } from "../../src/shared/api/stats";
import { dayOf, daysBetween, shown } from "./visit-stats";

/**
 * Visitor surveys (issue 23): a show's survey (`surveys`: whether it is on, which questions) and
 * its answers (`survey_answers`: the day and the answers, nothing about who gave them). SQLite
 * beside the accounts; PostgreSQL schema step 7.
 */
export class Surveys {
  constructor(
    private readonly db: SqlDb,
    private readonly now: () => number = Date.now,
  ) {}

  /** The show's survey, or null when its owner never set one. */
  async config(exhibition: string): Promise<SurveyConfig | null> {
    const row = await this.db.one<{ enabled: number | boolean; questions: string }>("SELECT enabled, questions FROM surveys WHERE exhibition_id = ?", [exhibition]);
    return row ? { enabled: !!Number(row.enabled), questions: JSON.parse(row.questions) as SurveyConfig["questions"] } : null;
  }

  async setConfig(exhibition: string, config: SurveyConfig): Promise<void> {
    await this.db.run(
      "INSERT INTO surveys (exhibition_id, enabled, questions, updated) VALUES (?, ?, ?, ?) ON CONFLICT (exhibition_id) DO UPDATE SET enabled = excluded.enabled, questions = excluded.questions, updated = excluded.updated",
      [exhibition, config.enabled ? 1 : 0, JSON.stringify(config.questions), this.now()],
    );
  }

  async answer(exhibition: string, answer: SurveyAnswer): Promise<void> {
    await this.db.run("INSERT INTO survey_answers (exhibition_id, day, answers) VALUES (?, ?, ?)", [exhibition, dayOf(this.now()), JSON.stringify(answer)]);
  }

  /** A teacher's answer after a class; false when that class was answered for already (one answer per class). */
  async teacherAnswer(classId: string, exhibition: string, answer: TeacherSurvey, lessonPlan: string | null = null): Promise<boolean> {
    const changed = await this.db.run("INSERT INTO teacher_surveys (class_id, exhibition_id, day, score, comment, lesson_plan) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (class_id) DO NOTHING", [
      classId,
      exhibition,
      dayOf(this.now()),
      answer.score,
      answer.comment || null,
      lessonPlan,
    ]);
    return changed === 1;
  }

  /** Whether the class's teacher has answered. */
  async teacherAnswered(classId: string): Promise<boolean> {
    return !!(await this.db.one("SELECT 1 AS found FROM teacher_surveys WHERE class_id = ?", [classId]));
  }

  private async teacherResults(exhibition: string, from: string, to: string, planTitles: (id: string) => Record<string, string> | null): Promise<TeacherSurveyResults> {
    const rows = await this.db.all<{ day: string; score: number; comment: string | null; lesson_plan: string | null }>(
      "SELECT day, score, comment, lesson_plan FROM teacher_surveys WHERE exhibition_id = ? AND day >= ? AND day <= ? ORDER BY day, class_id",
      [exhibition, from, to],
    );
    const scores = [1, 2, 3, 4, 5].map((v) => rows.filter((r) => Number(r.score) === v).length);
    const positive = (of: typeof rows) => (of.length >= SMALLEST_SHOWN ? +(of.filter((r) => Number(r.score) >= 4).length / of.length).toFixed(3) : null);
    const planIds = [...new Set(rows.map((r) => r.lesson_plan).filter((p): p is string => !!p))].sort();
    return {
      answers: shown(rows.length),
      scores: scores.map(shown),
      positiveShare: positive(rows),
      plans: planIds.map((id) => {
        const of = rows.filter((r) => r.lesson_plan === id);
        return { id, title: planTitles(id), answers: shown(of.length), positiveShare: positive(of) };
      }),
      comments: rows
        .filter((r) => r.comment)
        .reverse()
        .slice(0, 200)
        .map((r) => ({ day: r.day, text: r.comment! })),
    };
  }

  /** Answers per day from `from` to `to`, and over the range; counts from 1 to 4 shown as "< 5". */
  async results(exhibition: string, from: string, to: string, planTitles: (id: string) => Record<string, string> | null = () => null): Promise<SurveyResults> {
    const rows = await this.db.all<{ day: string; answers: string }>("SELECT day, answers FROM survey_answers WHERE exhibition_id = ? AND day >= ? AND day <= ? ORDER BY day", [exhibition, from, to]);
    const parsed = rows.map((r) => ({ day: r.day, a: JSON.parse(r.answers) as SurveyAnswer }));
    const summary = (d: string | null, answers: SurveyAnswer[]): SurveyDay => {
      const enjoy = [1, 2, 3, 4, 5].map((v) => answers.filter((a) => a.enjoy === v).length);
      const judged = answers.map(isPositive).filter((p): p is boolean => p !== null);
      return {
        day: d,
        answers: shown(answers.length),
        enjoy: enjoy.map(shown),
        recommendYes: shown(answers.filter((a) => a.recommend === true).length),
        recommendNo: shown(answers.filter((a) => a.recommend === false).length),
        positiveShare: judged.length >= SMALLEST_SHOWN ? +(judged.filter(Boolean).length / judged.length).toFixed(3) : null,
      };
    };
    return {
      from,
      to,
      config: await this.config(exhibition),
      days: daysBetween(from, to).map((d) => summary(d, parsed.filter((p) => p.day === d).map((p) => p.a))),
      total: summary(null, parsed.map((p) => p.a)),
      learned: parsed
        .filter((p) => p.a.learned)
        .reverse()
        .slice(0, 200)
        .map((p) => ({ day: p.day, text: p.a.learned! })),
      teachers: await this.teacherResults(exhibition, from, to, planTitles),
    };
  }
}
