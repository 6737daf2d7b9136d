import { useId, useState } from "react";
import { useT } from "../i18n/strings";
import { QUESTION_LIMITS, type ClassQuestion, type QuestionResult } from "../shared/class-protocol";
import { useClassChannel } from "./class-channel";
import { useClassStore } from "./class-store";

/**
 * The teacher's question at a tour stop: write a multiple-choice or short-answer question and ask
 * the class (the server stamps it with the tour step everyone is on), then watch the answers come
 * in (a bar per choice, or the short answers, never with names) and close it.
 */
export function TeacherQuestion({ students }: { students: number }) {
  const t = useT();
  const send = useClassChannel().send;
  const question = useClassStore((s) => s.state?.question ?? null);
  const answers = useClassStore((s) => s.answers);
  const refused = useClassStore((s) => s.refused);
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<"choice" | "text">("choice");
  const [prompt, setPrompt] = useState("");
  const [options, setOptions] = useState(["", ""]);
  const id = useId();

  if (question) {
    const result = answers?.question.id === question.id ? answers : null;
    return (
      <section className="class-question teacher" aria-labelledby={`${id}-q`} data-question={question.id}>
        <h2 id={`${id}-q`}>{question.prompt}</h2>
        <QuestionSpread question={question} result={result} students={students} />
        <button data-class="close-question" onClick={() => send({ t: "close-question" })}>
          {t("closeQuestion")}
        </button>
      </section>
    );
  }
  if (!open)
    return (
      <button className="class-ask-open" data-class="ask" aria-expanded="false" onClick={() => setOpen(true)}>
        {t("askQuestion")}
      </button>
    );
  const filled = options.map((o) => o.trim()).filter(Boolean);
  const ready = prompt.trim().length > 0 && (kind === "text" || filled.length >= QUESTION_LIMITS.minOptions);
  const ask = () => {
    if (!ready) return;
    send({ t: "ask", question: { kind, prompt, options: kind === "choice" ? filled : [] } });
    useClassStore.setState({ refused: null });
    setPrompt("");
    setOptions(["", ""]);
    setOpen(false);
  };
  return (
    <form
      className="class-question composer"
      aria-label={t("askQuestion")}
      onSubmit={(e) => {
        e.preventDefault();
        ask();
      }}
    >
      <span className="segmented" role="group" aria-label={t("askQuestion")}>
        <button type="button" aria-pressed={kind === "choice"} onClick={() => setKind("choice")}>
          {t("questionChoice")}
        </button>
        <button type="button" aria-pressed={kind === "text"} onClick={() => setKind("text")}>
          {t("questionText")}
        </button>
      </span>
      <label>
        {t("questionPrompt")}
        <input name="prompt" value={prompt} maxLength={QUESTION_LIMITS.prompt} onChange={(e) => setPrompt(e.target.value)} autoFocus />
      </label>
      {kind === "choice" && (
        <ol className="choices">
          {options.map((o, i) => (
            <li key={i}>
              <label>
                <span className="sr-only">{t("choiceN", { n: i + 1 })}</span>
                <input name={`choice-${i + 1}`} value={o} maxLength={QUESTION_LIMITS.option} placeholder={t("choiceN", { n: i + 1 })} onChange={(e) => setOptions(options.map((x, j) => (j === i ? e.target.value : x)))} />
              </label>
              {options.length > QUESTION_LIMITS.minOptions && (
                <button type="button" className="remove" aria-label={t("removeChoice", { n: i + 1 })} onClick={() => setOptions(options.filter((_, j) => j !== i))}>
                  ✕
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
      <div className="row">
        {kind === "choice" && options.length < QUESTION_LIMITS.maxOptions && (
          <button type="button" onClick={() => setOptions([...options, ""])}>
            {t("addChoice")}
          </button>
        )}
        <button type="submit" className="primary" data-class="ask-send" disabled={!ready}>
          {t("askClass")}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t("cancelQuestion")}
        </button>
      </div>
      {refused && <p className="error" role="alert">{refused}</p>}
    </form>
  );
}

/** How the class answered: a bar and count per choice, or the short answers; "n of m answered". */
function QuestionSpread({ question, result, students }: { question: ClassQuestion; result: QuestionResult | null; students: number }) {
  const t = useT();
  const answered = result?.answered ?? 0;
  return (
    <div className="question-spread" aria-live="polite">
      <p className="muted" data-answered={answered}>
        {t("answeredOf", { n: answered, m: Math.max(students, answered) })}
      </p>
      {question.kind === "choice" ? (
        <ul className="spread">
          {question.options.map((o, i) => {
            const n = result?.counts[i] ?? 0;
            const pct = answered ? Math.round((100 * n) / answered) : 0;
            return (
              <li key={i} data-choice={i} data-count={n}>
                <span className="choice">{o}</span>
                <meter min={0} max={100} value={pct} aria-label={o} />
                <span className="count">
                  {n} ({pct}%)
                </span>
              </li>
            );
          })}
        </ul>
      ) : result && result.texts.length > 0 ? (
        <ul className="texts">
          {result.texts.map((x, i) => (
            <li key={i}>{x}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t("noAnswersYet")}</p>
      )}
    </div>
  );
}

/**
 * A student's card for the question asked now: tap a choice (sent at once; tapping another
 * changes the answer) or type a short answer and send it. Says when the server has the answer.
 */
export function StudentQuestion({ question }: { question: ClassQuestion }) {
  const t = useT();
  const send = useClassChannel().send;
  const mine = useClassStore((s) => (s.myAnswer?.question === question.id ? s.myAnswer.answer : null));
  const [text, setText] = useState("");
  const id = useId();
  const chosen = mine && "choice" in mine ? mine.choice : null;
  return (
    <section className="class-question student" aria-labelledby={`${id}-h`} data-question={question.id}>
      <p className="kicker" id={`${id}-h`}>
        {t("questionFromTeacher")}
      </p>
      <p className="prompt">{question.prompt}</p>
      {question.kind === "choice" ? (
        <div className="answer-choices" role="group" aria-label={t("yourAnswer")}>
          {question.options.map((o, i) => (
            <button key={i} aria-pressed={chosen === i} data-choice={i} onClick={() => send({ t: "answer", question: question.id, choice: i })}>
              {o}
            </button>
          ))}
        </div>
      ) : (
        <form
          className="answer-text"
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) send({ t: "answer-text", question: question.id, text });
          }}
        >
          <label>
            {t("yourAnswer")}
            <textarea name="answer" value={text} maxLength={QUESTION_LIMITS.answer} rows={2} onChange={(e) => setText(e.target.value)} />
          </label>
          <button type="submit" className="primary" disabled={!text.trim()}>
            {t("sendAnswer")}
          </button>
        </form>
      )}
      {mine && (
        <p className="sent" role="status">
          {t("answerSent")}
        </p>
      )}
    </section>
  );
}
