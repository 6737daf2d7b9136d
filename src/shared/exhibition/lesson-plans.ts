import { z } from "zod";
import { QUESTION_LIMITS, type QuestionDraft } from "../class-protocol";
import { langMap, languageTag, pickText, requiredLangMap } from "./lang";

/**
 * Lesson plans (issue 22): a teacher's plan for a class on this exhibition, kept in the document
 * (so curators co-edit it in the studio, it is exported and versioned with the show) and chosen
 * when a class starts; the class then runs through its steps. Each step may show a tour step and
 * ask a question; the question obeys the class's own question sizes (`QUESTION_LIMITS`), so a
 * plan's question is always one the class channel accepts.
 */
export const LESSON_LIMITS = { plans: 20, steps: 30, objectives: 10, materials: 20, minutes: 300, stepMinutes: 120, listText: 300 } as const;

const shortText = (max: number) =>
  z.record(languageTag, z.string().max(max, `must be at most ${max} characters`)).refine(
    (m) => Object.values(m).some((s) => s.trim().length > 0),
    "needs text in at least one language",
  );

/** A question a lesson plan asks at one of its steps (per language). */
export const lessonQuestion = z
  .object({
    kind: z.enum(["choice", "text"]),
    prompt: shortText(QUESTION_LIMITS.prompt),
    options: z.array(shortText(QUESTION_LIMITS.option)).max(QUESTION_LIMITS.maxOptions, `at most ${QUESTION_LIMITS.maxOptions} choices`).default([]),
  })
  .superRefine((q, ctx) => {
    if (q.kind === "choice" && q.options.length < QUESTION_LIMITS.minOptions) ctx.addIssue({ code: "custom", path: ["options"], message: `a multiple-choice question needs at least ${QUESTION_LIMITS.minOptions} choices` });
    if (q.kind === "text" && q.options.length > 0) ctx.addIssue({ code: "custom", path: ["options"], message: "a short-answer question has no choices" });
  });
export type LessonQuestion = z.infer<typeof lessonQuestion>;

/** One step of a lesson: what the teacher does, for how long, which tour step it shows, what it asks. */
export const lessonStep = z.object({
  title: requiredLangMap,
  /** What the teacher says or has the class do (per language). */
  notes: langMap.default({}),
  minutes: z.number().int().min(1).max(LESSON_LIMITS.stepMinutes, `a step lasts at most ${LESSON_LIMITS.stepMinutes} minutes`),
  /** Id of the tour step the class is shown at this step (`tour[].id`), if any. */
  tourStep: z.string().optional(),
  question: lessonQuestion.optional(),
});
export type LessonStep = z.infer<typeof lessonStep>;

/** A lesson plan attached to the exhibition. */
export const lessonPlan = z
  .object({
    title: requiredLangMap,
    /** What the lesson is for, in a sentence or two. */
    summary: langMap.default({}),
    objectives: z.array(shortText(LESSON_LIMITS.listText)).max(LESSON_LIMITS.objectives, `at most ${LESSON_LIMITS.objectives} objectives`).default([]),
    /** Pupils' ages, from and to (years). */
    ages: z.tuple([z.number().int().min(3).max(99), z.number().int().min(3).max(99)]),
    /** The whole lesson's length in minutes. */
    minutes: z.number().int().min(5).max(LESSON_LIMITS.minutes, `a lesson lasts at most ${LESSON_LIMITS.minutes} minutes`),
    materials: z.array(shortText(LESSON_LIMITS.listText)).max(LESSON_LIMITS.materials, `at most ${LESSON_LIMITS.materials} materials`).default([]),
    steps: z.array(lessonStep).min(1, "a lesson plan needs at least one step").max(LESSON_LIMITS.steps, `at most ${LESSON_LIMITS.steps} steps`),
  })
  .superRefine((p, ctx) => {
    if (p.ages[0] > p.ages[1]) ctx.addIssue({ code: "custom", path: ["ages"], message: "the youngest age comes first" });
  });
export type LessonPlan = z.infer<typeof lessonPlan>;

/**
 * The question of a plan's step as the class channel takes it, in `lang` (falling back like every
 * text of the show), or null when the step asks none.
 */
export function lessonQuestionDraft(step: LessonStep, lang: string, fallback: readonly string[]): QuestionDraft | null {
  const q = step.question;
  if (!q) return null;
  return { kind: q.kind, prompt: pickText(q.prompt, lang, fallback), options: q.kind === "choice" ? q.options.map((o) => pickText(o, lang, fallback)) : [] };
}

/** Minutes the steps add up to (shown beside the plan's own length, which may allow for breaks). */
export function stepMinutes(plan: Pick<LessonPlan, "steps">): number {
  return plan.steps.reduce((n, s) => n + s.minutes, 0);
}
