import { useEffect, useState } from "react";
import { reducedMotion, usePreferences } from "../state/preferences";
import { useExhibition } from "../collab";
import { pickText, type Exhibition } from "../shared/exhibition";
import { useT } from "../i18n/strings";
import { useLocalStore } from "../state/local-store";
import { IDLE_SECONDS, LAGGING_MS, type AccessProfile, type RosterEntry } from "../shared/class-protocol";
import { useClassStore } from "./class-store";
import { useClassChannel } from "./class-channel";
import { useTextFallbacks } from "../viewer/text-fallbacks";
import { StudentQuestion, TeacherQuestion } from "./ClassQuestions";
import { TeacherSurveyForm } from "./TeacherSurveyForm";
import { StudentPlanPill, TeacherPlan } from "./ClassPlan";
import { ClassroomJoins, CommandTarget, classroomLabel, rosterByClassroom } from "./ClassClassrooms";
import { classroomView } from "../shared/class-classrooms";
import { StudentGroup, TeacherGroups, TeacherPresenting } from "./ClassGroups";
import { leadsClass } from "../shared/class-groups";

const DEVICE_LABEL = { desktop: "deviceDesktop", handheld: "deviceHandheld", headset: "deviceHeadset" } as const;

/** A raised hand, drawn (emoji fonts are not on every school computer). */
function HandIcon() {
  return (
    <svg className="hand-icon" viewBox="0 0 20 24" width="14" height="17" aria-hidden="true">
      <path
        fill="currentColor"
        d="M6 11V3.5a1.5 1.5 0 0 1 3 0V10h.5V2a1.5 1.5 0 0 1 3 0v8h.5V3.5a1.5 1.5 0 0 1 3 0V12h.3V7.5a1.4 1.4 0 0 1 2.7 0v7.5c0 5-3.4 9-8 9-3.3 0-5.2-1.6-7-4.6L1.2 15a1.5 1.5 0 0 1 2.5-1.6L6 16z"
      />
    </svg>
  );
}

/** Title of the placement's item, in the visitor's language. */
function useTitleOf(placement: string | null): string {
  const language = useLocalStore((s) => s.language);
  const fallbacks = useTextFallbacks();
  const title = useExhibition((d: Exhibition) => {
    const p = placement ? d.placements[placement] : undefined;
    return p ? d.items[p.item]?.title : undefined;
  });
  return title ? pickText(title, language, fallbacks) : "";
}

/** The class panel of the page: the teacher's controls and roster, or the student's bar. */
export function ClassPanels() {
  const role = useClassStore((s) => s.role);
  if (role === "teacher") return <TeacherPanel />;
  if (role === "student") return <StudentBar />;
  return null;
}

/**
 * The teacher's console: code, link and QR code for joining; follow me / free roam, gather,
 * lock, highlight; the roster (device, connection, lag, idle, raised hands; remove); the map of
 * where students are; end the class and the lesson sheet.
 */
function TeacherPanel() {
  const sendToClass = useClassChannel().send;
  const t = useT();
  const state = useClassStore((s) => s.state);
  const info = useClassStore((s) => s.info);
  const roster = useClassStore((s) => s.roster);
  const link = useClassStore((s) => s.link);
  const selected = useLocalStore((s) => s.selected);
  const tourIndex = useLocalStore((s) => (s.mode === "tour" ? s.tourIndex : null));
  const tourLength = useExhibition((d) => d.tour.length);
  // The classroom the commands go to (none: every classroom); the buttons show what it sees.
  const [to, setTo] = useState<string | undefined>(undefined);
  const view = state && to ? classroomView(state, to) : state;
  const highlightTitle = useTitleOf(view?.highlight ?? null);
  const [open, setOpen] = useState(true);
  const [watching, setWatching] = useState(false);
  const session = useClassStore((s) => s.session);
  const closedReason = useClassStore((s) => s.closedReason);
  const language = useLocalStore((s) => s.language);
  // A class that ended before this page loaded (a reload, the link opened again) is "gone" for
  // the channel, but its lesson sheet and the teacher's survey are still the teacher's to use.
  if (!state && closedReason && session) return <TeacherEnded session={session} note={closedReason} />;
  if (!state || !view) return <aside className="panel class-panel teacher">{t("loading")}…</aside>;
  const hands = roster.filter((r) => r.handRaised).length;
  const groups = rosterByClassroom(state, roster);
  const online = roster.filter((r) => r.connected).length;
  if (state.ended && session) return <TeacherEnded session={session} />;
  const watch = (on: boolean) => {
    setWatching(on);
    sendToClass({ t: "watch", on });
  };
  return (
    <aside className={`panel class-panel teacher${open ? "" : " closed"}`} data-class-state={link} aria-label={t("classLabel")}>
      <header className="class-head">
        <button className="class-toggle" onClick={() => setOpen(!open)} aria-expanded={open}>
          {t("classLabel")} <strong className="class-code">{info ? info.classrooms.map((c) => c.code).join(" · ") : "······"}</strong> · {online}/{roster.length}
          {hands > 0 && (
            <span className="hands">
              {" · "}
              <HandIcon /> {hands} {t("handsUp")}
            </span>
          )}
        </button>
      </header>
      {open && (
        <>
          {info && <ClassroomJoins info={info} />}
          <TeacherPresenting state={state} />
          <div className="class-controls">
            <CommandTarget state={state} to={to} onChange={setTo} />
            <span className="segmented" role="group">
              <button aria-pressed={view.mode === "follow"} data-class="follow" onClick={() => sendToClass({ t: "mode", mode: "follow", to })}>
                {t("followMe")}
              </button>
              <button aria-pressed={view.mode === "free"} data-class="free" onClick={() => sendToClass({ t: "mode", mode: "free", to })}>
                {t("freeRoam")}
              </button>
            </span>
            <button data-class="gather" onClick={() => sendToClass({ t: "gather", to })}>
              {t("gather")}
            </button>
            <button aria-pressed={view.locked} data-class="lock" onClick={() => sendToClass({ t: "lock", locked: !view.locked, to })}>
              {view.locked ? t("unlockNav") : t("lockNav")}
            </button>
            {view.highlight ? (
              <button data-class="highlight" aria-pressed="true" onClick={() => sendToClass({ t: "highlight", placement: null, to })}>
                {t("clearHighlight")}: {highlightTitle}
              </button>
            ) : (
              <button data-class="highlight" disabled={!selected} onClick={() => selected && sendToClass({ t: "highlight", placement: selected, to })}>
                {t("highlightThis")}
              </button>
            )}
            {/* The teacher's own access settings, given to every student (who may change them again). */}
            <button
              data-class="access"
              aria-pressed={!!state.access}
              onClick={() => {
                const { textSize, highContrast, captions } = usePreferences.getState();
                sendToClass({ t: "access", profile: state.access ? null : { reducedMotion: reducedMotion(), textSize, highContrast, captions } });
              }}
            >
              {state.access ? t("stopSharingAccess") : t("shareAccess")}
            </button>
            {tourIndex !== null && (
              <p className="class-tour" aria-live="polite">
                {t("startTour")}: {tourIndex + 1} / {tourLength}
              </p>
            )}
          </div>
          <TeacherPlan />
          <TeacherQuestion students={online} />
          <TeacherGroups state={state} />
          <section className="class-roster">
            {/* A second-level heading (the page's h1 is the show's title), the map switch beside it, not in it. */}
            <div className="class-roster-head">
              <h2>
                {t("students")} ({online}/{roster.length})
              </h2>
              <label className="class-watch">
                <input type="checkbox" checked={watching} onChange={(e) => watch(e.target.checked)} /> {t("showMap")}
              </label>
            </div>
            {watching && <StudentMap roster={roster} />}
            {roster.length === 0 ? (
              <p className="muted">{t("noStudents")}</p>
            ) : groups.length > 1 ? (
              groups.map((g) => (
                <section key={g.id} className="classroom-roster" data-classroom={g.id}>
                  <h3>
                    {classroomLabel(t, g.name, g.index)} ({g.students.filter((r) => r.connected).length}/{g.students.length})
                  </h3>
                  <ul>
                    {g.students.map((r) => (
                      <RosterRow key={r.id} r={r} />
                    ))}
                  </ul>
                </section>
              ))
            ) : (
              <ul>
                {roster.map((r) => (
                  <RosterRow key={r.id} r={r} />
                ))}
              </ul>
            )}
          </section>
          <button
            className="danger end-class"
            data-class="end"
            onClick={() => {
              if (window.confirm(`${t("endClass")}?`)) sendToClass({ t: "end" });
            }}
          >
            {t("endClass")}
          </button>
        </>
      )}
    </aside>
  );
}

/** The teacher's panel once the class has ended: the lesson sheet and the two questions after class. */
function TeacherEnded({ session, note }: { session: string; note?: string }) {
  const t = useT();
  const language = useLocalStore((s) => s.language);
  return (
    <aside className="panel class-panel teacher" data-class-state="ended">
      <h2>{t("classEndedTitle")}</h2>
      {note && <p className="muted">{note}</p>}
      <a className="button primary lesson-sheet" href={`/api/classes/${session}/lesson-sheet?lang=${encodeURIComponent(language)}`} target="_blank" rel="noreferrer">
        {t("lessonSheet")}
      </a>
      <TeacherSurveyForm session={session} />
    </aside>
  );
}

function RosterRow({ r }: { r: RosterEntry }) {
  const sendToClass = useClassChannel().send;
  const t = useT();
  const flags = [!r.connected ? t("statusOffline") : "", r.connected && r.idleSeconds >= IDLE_SECONDS ? t("idle") : "", r.connected && (r.rttMs ?? 0) > LAGGING_MS ? t("lagging") : ""].filter(Boolean);
  return (
    <li className={`roster-row${r.connected ? "" : " offline"}${r.handRaised ? " hand" : ""}`} data-student={r.nickname}>
      {r.handRaised ? (
        <button className="hand-up" title={t("lowerHand")} aria-label={`${t("lowerHand")}: ${r.nickname}`} onClick={() => sendToClass({ t: "lower-hand", student: r.id })}>
          <HandIcon />
        </button>
      ) : (
        <span className="hand-space" />
      )}
      <span className="device" data-device={r.device ?? ""}>
        {r.device ? t(DEVICE_LABEL[r.device]) : "…"}
      </span>
      <span className="nick">{r.nickname}</span>
      <span className="flags">
        {flags.join(" · ")}
        {r.connected && r.rttMs !== null && <span className="rtt"> {Math.round(r.rttMs)} ms</span>}
        {r.fps !== null && r.connected && <span className="fps"> {r.fps} fps</span>}
      </span>
      <button className="remove" title={t("removeStudent")} aria-label={`${t("removeStudent")} ${r.nickname}`} onClick={() => window.confirm(`${t("removeStudent")} ${r.nickname}?`) && sendToClass({ t: "remove", student: r.id })}>
        ✕
      </button>
    </li>
  );
}

/** Where students are in the teacher's room, seen from above (only while the teacher asks). */
function StudentMap({ roster }: { roster: RosterEntry[] }) {
  const room = useLocalStore((s) => s.room);
  const size = useExhibition((d) => (room ? d.rooms[room]?.size : undefined));
  if (!room || !size) return null;
  const scale = 200 / Math.max(size.w, size.d);
  const w = size.w * scale;
  const h = size.d * scale;
  const here = roster.filter((r) => r.where?.room === room);
  return (
    <svg className="student-map" width={w} height={h} viewBox={`${-size.w / 2} ${-size.d / 2} ${size.w} ${size.d}`} role="img" aria-label="map">
      <rect x={-size.w / 2} y={-size.d / 2} width={size.w} height={size.d} fill="#f2efe9" stroke="#8a7f70" strokeWidth={0.05} />
      {here.map((r) => (
        <g key={r.id} transform={`translate(${r.where!.x} ${r.where!.z})`}>
          <circle r={0.22} fill={r.handRaised ? "#e8590c" : "#1971c2"} />
          <text y={-0.32} fontSize={0.36} textAnchor="middle" fill="#1b1a18">
            {r.nickname}
          </text>
        </g>
      ))}
    </svg>
  );
}

/** A student's bar: whose class, what the teacher asked for, raise hand; then ended / removed. */
/**
 * Takes the access settings the teacher gives the class as this page's preferences, each time the
 * teacher gives new ones (the student may change them again afterwards).
 */
function useClassAccess(profile: AccessProfile | null | undefined): void {
  const key = profile ? JSON.stringify(profile) : null;
  useEffect(() => {
    if (!profile) return;
    usePreferences.getState().set({ reducedMotion: profile.reducedMotion, textSize: profile.textSize, highContrast: profile.highContrast, captions: profile.captions });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` is the profile's value
  }, [key]);
}

function StudentBar() {
  const sendToClass = useClassChannel().send;
  const t = useT();
  const state = useClassStore((s) => s.state);
  useClassAccess(state?.access);
  const hand = useClassStore((s) => s.handRaised);
  const closed = useClassStore((s) => s.closedReason);
  const link = useClassStore((s) => s.link);
  const highlightTitle = useTitleOf(state?.highlight ?? null);
  const [dismissed, setDismissed] = useState(false);
  const me = useClassStore((s) => s.me);
  if (closed) {
    if (dismissed) return null;
    const text = closed === "ended" ? t("classEnded") : closed === "removed" || closed === "removed by the teacher" ? t("removedFromClass") : closed;
    return (
      <div className="notice class-closed" role="status" data-class-state={closed === "ended" ? "ended" : "closed"}>
        <span>{text}</span>
        <button onClick={() => setDismissed(true)}>{t("close")}</button>
      </div>
    );
  }
  if (!state) return null;
  // A group presenting its show, and whether this student leads it.
  const presenter = state.presenting ? state.groups?.find((g) => g.id === state.presenting!.group) : undefined;
  const leading = !!me && leadsClass(state, me.id);
  const raise = () => {
    sendToClass({ t: "hand", raised: !hand });
    useClassStore.setState({ handRaised: !hand });
  };
  return (
    <>
    <div className="class-bar" role="status" data-class-mode={state.mode} data-class-locked={state.locked ? "true" : "false"} data-class-link={link}>
      <span className="who">
        {t("classLabel")}
        {state.classrooms?.[0]?.name ? ` · ${state.classrooms[0].name}` : ""} · {t("teacher")}: {state.teacher}
      </span>
      {presenter &&
        (leading ? (
          <span className="pill leading-pill" data-class="leading">
            {t("youLead")}
          </span>
        ) : (
          <span className="pill" data-class-presenting={state.presenting!.group}>
            {t("presentingNow", { name: presenter.name })}
          </span>
        ))}
      {state.mode === "follow" && !leading && <span className="pill">{presenter && state.presenting!.seat ? t("followingGroup", { name: presenter.name }) : t("followingTeacher")}</span>}
      <StudentPlanPill />
      {state.locked && !leading && <span className="pill">{t("navLocked")}</span>}
      {state.highlight && (
        <span className="pill highlight-pill">
          ★ {t("lookAt")}: {highlightTitle}
        </span>
      )}
      {state.access && <span className="pill" data-class-access="">{t("accessFromTeacher")}</span>}
      {link !== "online" && <span className="pill">{link === "reconnecting" ? t("statusReconnecting") : t("statusConnecting")}</span>}
      <button className={hand ? "primary" : ""} aria-pressed={hand} data-class="hand" onClick={raise}>
        <HandIcon /> {hand ? t("lowerHand") : t("raiseHand")}
      </button>
    </div>
    {/* Beside the bar, not in it: the bar is a status region, the question a form. */}
    {state.question && <StudentQuestion question={state.question} />}
    <StudentGroup state={state} />
    </>
  );
}
