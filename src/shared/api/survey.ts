import { z } from "zod";
import { day, shownCount } from "./stats";

/**
 * The visitor survey (issue 23): an owner turns on one to three exit questions; visitors answer
 * once, in their language; owners read the answers per day with the share of positive ones. The
 * questions are the ones below, worded by the interface's strings in every interface language.
 */

/** The questions an owner may ask: how much the visitor enjoyed it (1-5), what they learned (text), whether they would recommend it (yes/no). */
export const SURVEY_QUESTIONS = ["enjoy", "learned", "recommend"] as const;
export const surveyQuestion = z.enum(SURVEY_QUESTIONS);
export type SurveyQuestion = z.infer<typeof surveyQuestion>;

/** Longest free-text answer (characters). */
export const MAX_ANSWER_TEXT = 500;

/** A show's survey, as its owner sets it and as a visitor's page reads it. */
export const surveyConfig = z
  .object({
    enabled: z.boolean(),
    questions: z
      .array(surveyQuestion)
      .min(1, "ask at least one question")
      .max(3)
      .refine((qs) => new Set(qs).size === qs.length, "each question once"),
  })
  .strict();
export type SurveyConfig = z.infer<typeof surveyConfig>;

/** One visitor's answers: only the questions asked, at least one answered. */
export const surveyAnswer = z
  .object({
    enjoy: z.number().int().min(1).max(5).optional(),
    learned: z.string().trim().min(1).max(MAX_ANSWER_TEXT, `at most ${MAX_ANSWER_TEXT} characters`).optional(),
    recommend: z.boolean().optional(),
  })
  .strict()
  .refine((a) => a.enjoy !== undefined || a.learned !== undefined || a.recommend !== undefined, "answer at least one question");
export type SurveyAnswer = z.infer<typeof surveyAnswer>;

/** An answer is positive when the visitor enjoyed it (4 or 5 of 5), or else would recommend it. */
export function isPositive(a: SurveyAnswer): boolean | null {
  if (a.enjoy !== undefined) return a.enjoy >= 4;
  if (a.recommend !== undefined) return a.recommend;
  return null;
}

/** The answers of one day, or of the whole range. */
export const surveyDay = z.object({
  day: day.nullable(),
  answers: shownCount,
  /** How many answered "enjoy" with 1, 2, 3, 4 and 5. */
  enjoy: z.array(shownCount).length(5),
  recommendYes: shownCount,
  recommendNo: shownCount,
  /** Share (0-1) of positive answers among those that say (see `isPositive`); null under 5 of them. */
  positiveShare: z.number().nullable(),
});
export type SurveyDay = z.infer<typeof surveyDay>;

/** Longest comment a teacher leaves after class (characters). */
export const MAX_TEACHER_COMMENT = 1000;

/**
 * The teacher's two questions at the end of a class (issue 22): how it went (1-5) and anything
 * they want to tell the museum. One answer per class, from its teacher.
 */
export const teacherSurvey = z
  .object({
    score: z.number({ message: "choose 1 to 5" }).int().min(1, "choose 1 to 5").max(5, "choose 1 to 5"),
    comment: z.string().trim().max(MAX_TEACHER_COMMENT, `at most ${MAX_TEACHER_COMMENT} characters`).optional(),
  })
  .strict();
export type TeacherSurvey = z.infer<typeof teacherSurvey>;

/** What teachers said after their classes on a show, over the range asked. */
export const teacherSurveyResults = z.object({
  answers: shownCount,
  /** How many answered 1, 2, 3, 4 and 5. */
  scores: z.array(shownCount).length(5),
  /** Share (0-1) of 4 and 5; null under 5 answers. */
  positiveShare: z.number().nullable(),
  /** Their comments, newest first (at most 200). */
  comments: z.array(z.object({ day, text: z.string() })),
  /** The same per lesson plan the classes ran (classes without one are not here), with the plan's title as the show has it now (null once removed). */
  plans: z.array(z.object({ id: z.string(), title: z.record(z.string(), z.string()).nullable(), answers: shownCount, positiveShare: z.number().nullable() })),
});
export type TeacherSurveyResults = z.infer<typeof teacherSurveyResults>;

export const surveyResults = z.object({
  from: day,
  to: day,
  config: surveyConfig.nullable(),
  days: z.array(surveyDay),
  total: surveyDay,
  /** What visitors said they learned, newest first (at most 200). */
  learned: z.array(z.object({ day, text: z.string() })),
  /** Teachers' answers after classes on this show. */
  teachers: teacherSurveyResults,
});
export type SurveyResults = z.infer<typeof surveyResults>;
