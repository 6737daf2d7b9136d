import { lessonQuestionDraft, type Exhibition } from "../shared/exhibition";
import type { TeacherMessage } from "../shared/class-protocol";
import { goToTourStep } from "../viewer/panels/TourPanel";

/**
 * Moves a class to step `index` of its lesson plan, from the teacher's page (the 2D panel and the
 * VR panel both call this, so a plan runs the same way from either): the teacher's own tour goes to
 * the step's tour stop (which the class link sends to the class like any tour step), then the
 * server is told the step, with its question in the teacher's language. Returns false when the plan
 * or the step is not there (a curator removed it during the class).
 */
export function goToPlanStep(doc: Exhibition, planId: string, index: number, lang: string, fallbacks: readonly string[], send: (m: TeacherMessage) => void): boolean {
  const step = doc.lessonPlans[planId]?.steps[index];
  if (!step) return false;
  const stop = step.tourStep !== undefined ? doc.tour.findIndex((s) => s.id === step.tourStep) : -1;
  if (stop >= 0) goToTourStep(stop, doc.tour[stop]!.room);
  const question = lessonQuestionDraft(step, lang, fallbacks);
  send(question ? { t: "plan-step", index, question } : { t: "plan-step", index });
  return true;
}
