import { useState, type ComponentType } from "react";
import { QUESTION_LIMITS, type ClassQuestion } from "../shared/class-protocol";
import { useExhibition } from "../collab";
import { pickText } from "../shared/exhibition";
import { useTextFallbacks } from "../viewer/text-fallbacks";
import { useT } from "../i18n/strings";
import { useLocalStore } from "../state/local-store";
import type { VRButton, VRDockedPanelProps } from "../viewer/extension";
import { goToTourStep } from "../viewer/panels/TourPanel";
import { useClassChannel } from "./class-channel";
import { useClassStore } from "./class-store";
import { usePlanStepper } from "./ClassPlan";

/**
 * The class in VR, drawn with the headset layer's docked panels. A student: the question asked
 * now (its choices as buttons, or a keyboard for a short answer), and with the VR menu open, "Raise hand". A teacher, with the menu
 * open: the essential controls (follow, gather, lock, highlight, next step) and the raised hands.
 */
export function ClassVR({ menuOpen, Panel }: { menuOpen: boolean; Panel: ComponentType<VRDockedPanelProps> }) {
  const role = useClassStore((s) => s.role);
  const ended = useClassStore((s) => s.state?.ended ?? true);
  if (ended) return null;
  if (role === "student") return <StudentVR menuOpen={menuOpen} Panel={Panel} />;
  if (role === "teacher" && menuOpen) return <TeacherVR Panel={Panel} />;
  return null;
}

function StudentVR({ menuOpen, Panel }: { menuOpen: boolean; Panel: ComponentType<VRDockedPanelProps> }) {
  const t = useT();
  const send = useClassChannel().send;
  const teacher = useClassStore((s) => s.state?.teacher ?? "");
  const question = useClassStore((s) => s.state?.question ?? null);
  const hand = useClassStore((s) => s.handRaised);
  const mine = useClassStore((s) => (question && s.myAnswer?.question === question.id ? s.myAnswer.answer : null));
  const chosen = mine && "choice" in mine ? mine.choice : null;
  return (
    <>
      {menuOpen && (
        <Panel
          name="vr-class"
          slot="left"
          height={0.22}
          lines={[{ text: `${t("classLabel")} · ${t("teacher")}: ${teacher}`, size: 60, weight: 700 }]}
          buttons={[
            {
              id: "hand",
              label: hand ? t("lowerHand") : t("raiseHand"),
              active: hand,
              onSelect: () => {
                send({ t: "hand", raised: !hand });
                useClassStore.setState({ handRaised: !hand });
              },
            },
          ]}
        />
      )}
      {question && question.kind === "text" && <TextAnswerVR key={question.id} question={question} sent={mine && "text" in mine ? mine.text : null} Panel={Panel} />}
      {question && question.kind === "choice" && (
        <Panel
          name={`vr-class-question:${question.id}`}
          slot="right"
          height={question.options.length > 4 ? 0.5 : 0.42}
          lines={[
            { text: t("questionFromTeacher"), size: 48, colour: "#6b645b" },
            { text: question.prompt, size: 72, weight: 700, gap: 8 },
            ...(mine ? [{ text: t("answerSent"), size: 52, gap: 8 }] : []),
          ]}
          buttons={question.options.map((o, i) => ({ id: `choice-${i}`, label: o, active: chosen === i, onSelect: () => send({ t: "answer", question: question.id, choice: i }) }))}
        />
      )}
    </>
  );
}

/** The keys of the VR answer keyboard, ten to a row (a short answer typed with the ray, key by key). */
const KEY_ROWS = ["qwertyuiop", "asdfghjkl'", "zxcvbnm,.?"];

/**
 * A short-answer question in VR: the prompt, the answer as typed so far, and a keyboard of letter
 * keys with Space, ⌫ and Send, for the controller's ray or a hand. Latin letters only (there is
 * no input method in an immersive session); the page's own field takes any script.
 */
function TextAnswerVR({ question, sent, Panel }: { question: ClassQuestion; sent: string | null; Panel: ComponentType<VRDockedPanelProps> }) {
  const t = useT();
  const send = useClassChannel().send;
  const [draft, setDraft] = useState(sent ?? "");
  const type = (s: string) => setDraft((d) => (d + s).slice(0, QUESTION_LIMITS.answer));
  const keys: VRButton[] = [...KEY_ROWS.join("")].map((c) => ({ id: `key-${c}`, label: c, onSelect: () => type(c) }));
  return (
    <Panel
      name={`vr-class-question:${question.id}`}
      slot="right"
      width={0.9}
      height={0.74}
      perRow={10}
      lines={[
        { text: t("questionFromTeacher"), size: 48, colour: "#6b645b" },
        { text: question.prompt, size: 80, weight: 700, gap: 8 },
        { text: `${t("yourAnswer")}: ${draft}|`, size: 72, gap: 10 },
        { text: sent !== null && sent === draft.trim() ? t("answerSent") : t("answerOnScreen"), size: 52, gap: 8, colour: "#6b645b" },
      ]}
      buttons={[
        ...keys,
        { id: "key-back", label: "⌫", disabled: draft === "", onSelect: () => setDraft((d) => d.slice(0, -1)) },
        { id: "key-space", label: t("keySpace"), onSelect: () => type(" ") },
        { id: "send", label: t("sendAnswer"), disabled: draft.trim() === "", onSelect: () => send({ t: "answer-text", question: question.id, text: draft.trim() }) },
      ]}
    />
  );
}

function TeacherVR({ Panel }: { Panel: ComponentType<VRDockedPanelProps> }) {
  const t = useT();
  const send = useClassChannel().send;
  const state = useClassStore((s) => s.state)!;
  const roster = useClassStore((s) => s.roster);
  const code = useClassStore((s) => s.info?.classrooms.map((c) => c.code).join(" · ") ?? "");
  const selected = useLocalStore((s) => s.selected);
  const tourIndex = useLocalStore((s) => (s.mode === "tour" ? s.tourIndex : null));
  const tour = useExhibition((d) => d.tour);
  const hands = roster.filter((r) => r.handRaised);
  const next = tourIndex === null ? 0 : tourIndex + 1;
  const planStep = usePlanStepper();
  const nextPlanStep = state.planStep == null ? 0 : state.planStep + 1;
  const language = useLocalStore((s) => s.language);
  const fallbacks = useTextFallbacks();
  const planId = state.plan?.id ?? null;
  const stepTitle = useExhibition((d) => (planId && state.planStep != null ? d.lessonPlans[planId]?.steps[state.planStep]?.title : undefined));
  const buttons: VRButton[] = [
    { id: "follow", label: t("followMe"), active: state.mode === "follow", onSelect: () => send({ t: "mode", mode: state.mode === "follow" ? "free" : "follow" }) },
    { id: "gather", label: t("gather"), onSelect: () => send({ t: "gather" }) },
    { id: "lock", label: state.locked ? t("unlockNav") : t("lockNav"), active: state.locked, onSelect: () => send({ t: "lock", locked: !state.locked }) },
    state.highlight
      ? { id: "highlight", label: t("clearHighlight"), active: true, onSelect: () => send({ t: "highlight", placement: null }) }
      : { id: "highlight", label: t("highlightVR"), disabled: !selected, onSelect: () => selected && send({ t: "highlight", placement: selected }) },
    // With a lesson plan, "next" is the plan's next step (its tour stop and its question), as in the 2D panel.
    planStep
      ? { id: "next-step", label: `${t("planNext")} →`, disabled: nextPlanStep >= (state.plan?.steps ?? 0), onSelect: () => planStep(nextPlanStep) }
      : { id: "next-step", label: `${t("next")} →`, disabled: next >= tour.length, onSelect: () => tour[next] && goToTourStep(next, tour[next].room) },
    { id: "lower-hand", label: t("lowerHand"), disabled: hands.length === 0, onSelect: () => hands[0] && send({ t: "lower-hand", student: hands[0].id }) },
  ];
  return (
    <Panel
      name="vr-class-teacher"
      slot="left"
      height={0.4}
      lines={[
        { text: `${t("classLabel")} ${code} · ${roster.filter((r) => r.connected).length}/${roster.length}${tourIndex !== null ? ` · ${tourIndex + 1}/${tour.length}` : ""}`, size: 60, weight: 700 },
        { text: hands.length ? `${t("raisedHands")}: ${hands.map((h) => h.nickname).join(", ")}` : t("noHandsUp"), size: 60, gap: 8 },
        ...(state.plan && state.planStep != null && stepTitle ? [{ text: `${t("planStepOf", { n: state.planStep + 1, total: state.plan.steps })}: ${pickText(stepTitle, language, fallbacks)}`, size: 56, gap: 8 }] : []),
      ]}
      buttons={buttons}
    />
  );
}
