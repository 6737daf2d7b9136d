import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { ExhibitionStore, readExhibition, writeExhibition } from "../../src/collab";
import { questionDraft } from "../../src/shared/class-protocol";
import { lessonQuestionDraft, parseExhibition, removeLessonPlan, removeTourStep, setLessonPlan, stepMinutes, type Exhibition, type LessonPlan } from "../../src/shared/exhibition";
import { refusalOf } from "../../server/sync/write-policy";
import { ROOT } from "../support/server";

/** Lesson plans in the document (issue 22): the shipped tea plans, the operations, the sync policy. */
function tea(): Exhibition {
  const r = parseExhibition(JSON.parse(readFileSync(join(ROOT, "exhibitions/tea-and-its-vessels.json"), "utf8")), "tea");
  if (!r.ok) throw r.error;
  return r.doc;
}

const plan = (over: Partial<Record<keyof LessonPlan, unknown>> = {}): LessonPlan => ({
  title: { en: "Glazes" },
  ages: [9, 11],
  minutes: 30,
  steps: [{ title: { en: "Look" }, minutes: 10, tourStep: "t2", question: { kind: "choice", prompt: { en: "Which?" }, options: [{ en: "A" }, { en: "B" }] } }],
  ...over,
}) as LessonPlan;

describe("lesson plans", () => {
  it("ships three tea lesson plans, every text in zh-Hant and English, whose steps show tour steps and ask questions the class channel accepts", () => {
    const doc = tea();
    expect(Object.keys(doc.lessonPlans).sort()).toEqual(["gesture", "make-your-own", "vessels"]);
    const tourIds = doc.tour.map((s) => s.id);
    for (const [id, p] of Object.entries(doc.lessonPlans)) {
      const texts = [p.title, p.summary, ...p.objectives, ...p.materials, ...p.steps.flatMap((s) => [s.title, s.notes, ...(s.question ? [s.question.prompt, ...s.question.options] : [])])];
      for (const t of texts) expect(Object.keys(t).sort(), `${id}: ${JSON.stringify(t)}`).toEqual(["en", "zh-Hant"]);
      for (const s of p.steps) if (s.tourStep) expect(tourIds).toContain(s.tourStep);
      expect(stepMinutes(p), id).toBeLessThanOrEqual(p.minutes);
      for (const s of p.steps) {
        for (const lang of ["zh-Hant", "en"]) {
          const q = lessonQuestionDraft(s, lang, doc.meta.languages);
          if (q) expect(questionDraft.safeParse(q).success, `${id} ${lang} ${q.prompt}`).toBe(true);
        }
      }
    }
    const vessels = doc.lessonPlans.vessels!;
    expect(vessels.steps.filter((s) => s.question).length).toBeGreaterThanOrEqual(3);
    expect(lessonQuestionDraft(vessels.steps[1]!, "zh-Hant", doc.meta.languages)).toEqual({
      kind: "choice",
      prompt: "為什麼鬥茶時喜歡用黑色的茶碗？",
      options: ["白色茶沫在黑釉上最顯眼", "黑碗讓茶更久保溫", "黑碗最便宜"],
    });
    // A document written before lesson plans reads as having none.
    const raw = JSON.parse(readFileSync(join(ROOT, "exhibitions/tea-and-its-vessels.json"), "utf8"));
    delete raw.lessonPlans;
    const old = parseExhibition(raw, "old");
    expect(old.ok && old.doc.lessonPlans).toEqual({});
  });

  it("adds, replaces and removes a plan; refuses a malformed one naming the field", () => {
    const doc = tea();
    const added = setLessonPlan(doc, "glazes", plan());
    expect(added.lessonPlans.glazes!.steps[0]!.notes).toEqual({});
    expect(added.items).toBe(doc.items); // untouched records keep their identity
    expect(setLessonPlan(added, "glazes", plan({ minutes: 45 })).lessonPlans.glazes!.minutes).toBe(45);
    expect(removeLessonPlan(added, "glazes").lessonPlans.glazes).toBeUndefined();
    const bad: [LessonPlan, RegExp][] = [
      [plan({ ages: [12, 8] }), /lessonPlans\.glazes\.ages: the youngest age comes first/],
      [plan({ steps: [] }), /lessonPlans\.glazes\.steps: a lesson plan needs at least one step/],
      [plan({ minutes: 301 }), /lessonPlans\.glazes\.minutes: a lesson lasts at most 300 minutes/],
      [plan({ title: { en: " " } }), /lessonPlans\.glazes\.title: needs text in at least one language/],
      [plan({ steps: [{ title: { en: "x" }, minutes: 5, tourStep: "nope" }] }), /lessonPlans\.glazes\.steps\.0\.tourStep: tour step "nope" does not exist/],
      [plan({ steps: [{ title: { en: "x" }, minutes: 5, question: { kind: "choice", prompt: { en: "Q" }, options: [{ en: "only one" }] } }] }), /steps\.0\.question\.options: a multiple-choice question needs at least 2 choices/],
      [plan({ steps: [{ title: { en: "x" }, minutes: 5, question: { kind: "text", prompt: { en: "x".repeat(301) } } }] }), /steps\.0\.question\.prompt\.en: must be at most 300 characters/],
      [plan({ steps: Array.from({ length: 31 }, () => ({ title: { en: "x" }, minutes: 1 })) }), /steps: at most 30 steps/],
    ];
    for (const [input, message] of bad) expect(() => setLessonPlan(doc, "glazes", input )).toThrow(message);
    expect(() => setLessonPlan(doc, "bad id!", plan())).toThrow(/lesson plan id/);
    expect(() => removeLessonPlan(doc, "none")).toThrow(/lesson plan "none" does not exist/);
    let many = doc;
    for (let i = Object.keys(doc.lessonPlans).length; i < 20; i++) many = setLessonPlan(many, `p${i}`, plan());
    expect(() => setLessonPlan(many, "one-more", plan())).toThrow(/at most 20 lesson plans/);
  });

  it("removing a tour step unlinks the plan steps that showed it, and the document stays valid", () => {
    const before = tea();
    const doc = removeTourStep(before, "t2");
    expect(doc.lessonPlans.vessels!.steps[1]!.tourStep).toBeUndefined();
    expect(doc.lessonPlans.vessels!.steps[1]!.question).toBeDefined();
    expect(doc.lessonPlans.gesture).toBe(before.lessonPlans.gesture); // a plan that did not show it keeps its identity
    const r = parseExhibition(JSON.parse(JSON.stringify(doc)), "after");
    expect(r.ok).toBe(true);
  });

  it("lives in the Y.Doc as one record per plan; the sync server takes a curator's plan and refuses a malformed one, a commenter's, and a 21st", () => {
    const room = new Y.Doc();
    writeExhibition(room, tea());
    expect(readExhibition(room).lessonPlans.vessels!.title.en).toBe("What the vessels tell us");
    const propose = (fn: (store: ExhibitionStore) => void, raw?: (d: Y.Doc) => void): Uint8Array => {
      const other = new Y.Doc();
      Y.applyUpdate(other, Y.encodeStateAsUpdate(room));
      const store = new ExhibitionStore(other);
      const updates: Uint8Array[] = [];
      other.on("update", (u: Uint8Array) => updates.push(u));
      if (raw) raw(other);
      else fn(store);
      store.destroy();
      return Y.mergeUpdates(updates);
    };
    const curator = { role: "curator" as const, user: "u1", museums: [] };
    const good = propose((s) => s.apply((d) => setLessonPlan(d, "glazes", plan())));
    expect(refusalOf(room, curator, good)).toBeNull();
    expect(refusalOf(room, { role: "commenter", user: "u2", museums: [] }, good)).toMatch(/a commenter may only comment \(this update changes "lessonPlans"\)/);
    expect(refusalOf(room, { role: "viewer", user: null, museums: [] }, good)).toMatch(/read-only/);
    const malformed = propose(() => {}, (d) => d.getMap("lessonPlans").set("glazes", { ...plan(), ages: [12, 8] }));
    expect(refusalOf(room, curator, malformed)).toMatch(/lessonPlans\.glazes\.ages: the youngest age comes first/);
    const noSteps = propose(() => {}, (d) => d.getMap("lessonPlans").set("glazes", { ...plan(), steps: "all of them" }));
    expect(refusalOf(room, curator, noSteps)).toMatch(/lessonPlans\.glazes\.steps/);
    // Up to 20 plans: the 21st is refused, a change to an existing one is not.
    room.transact(() => {
      for (let i = 3; i < 20; i++) room.getMap("lessonPlans").set(`p${i}`, plan());
    });
    expect(refusalOf(room, curator, propose(() => {}, (d) => d.getMap("lessonPlans").set("p21", plan())))).toMatch(/at most 20 lesson plans/);
    expect(refusalOf(room, curator, propose(() => {}, (d) => d.getMap("lessonPlans").set("p3", plan({ minutes: 50 }))))).toBeNull();
  });
});
