import { useEffect, useState, type FormEvent } from "react";
import { api } from "../api/client";
import { useExhibition } from "../collab";
import { TEMPLATE_CHOICES, useT } from "../i18n/strings";
import { GROUP_LIMITS, type ClassState } from "../shared/class-protocol";
import { groupOf } from "../shared/class-groups";
import type { GroupProgress } from "../shared/class-groups";
import type { GroupsAnswer, GroupView } from "../shared/api/class-groups";
import { pickText, type Exhibition, type TemplateId } from "../shared/exhibition";
import { useLocalStore } from "../state/local-store";
import { navigate } from "../state/router";
import { useClassChannel } from "./class-channel";
import { useClassStore } from "./class-store";

/** How often the teacher's grid reads the groups' progress while it is open (ms). */
const GRID_POLL_MS = 3000;

/**
 * Group co-curation in the teacher's panel (docs/ARCHITECTURE.md, "Group co-curation"): make the
 * groups (how students get in, the kit, the task), then a grid of every group's show as it grows
 * (a floor plan and counts, read every few seconds), its members, a note, a lock, hand placement,
 * and a link into its show in the studio.
 */
export function TeacherGroups({ state }: { state: ClassState }) {
  const t = useT();
  const session = useClassStore((s) => s.session);
  const [grid, setGrid] = useState<GroupsAnswer | null>(null);
  const [open, setOpen] = useState(false);
  const hasGroups = (state.groups ?? []).length > 0;
  // The class state names who is where; the grid adds nicknames and progress: read again on every change of the groups too.
  const groupsKey = JSON.stringify(state.groups ?? []);
  useEffect(() => {
    if (!open || !hasGroups || !session) return;
    let stop = false;
    const read = () =>
      api
        .classGroups(session)
        .then((g) => !stop && setGrid(g))
        .catch(() => {});
    void read();
    const timer = setInterval(read, GRID_POLL_MS);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [open, hasGroups, session, groupsKey]);
  return (
    <section className="class-groups" data-class-groups={hasGroups ? "made" : "none"}>
      <div className="class-roster-head">
        <h2>{t("groupsHeading")}</h2>
        <button aria-expanded={open} data-class="groups-toggle" onClick={() => setOpen(!open)}>
          {open ? "▾" : "▸"}
        </button>
      </div>
      {open && (hasGroups ? <GroupGrid state={state} grid={grid} /> : session && <MakeGroups session={session} onMade={setGrid} />)}
    </section>
  );
}

/** The form that makes the groups: how many, how students get in, the kit's objects and task. */
function MakeGroups({ session, onMade }: { session: string; onMade: (g: GroupsAnswer) => void }) {
  const t = useT();
  const language = useLocalStore((s) => s.language);
  const items = useExhibition((d: Exhibition) => d.items);
  const ids = Object.keys(items);
  const [count, setCount] = useState(2);
  const [picked, setPicked] = useState<Set<string>>(() => new Set(ids.slice(0, Math.min(ids.length, 4))));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const names = Array.from({ length: count }, (_, i) => String(form.get(`name-${i}`) ?? "").trim() || t("groupN", { n: i + 1 }));
      const task = String(form.get("task") ?? "").trim();
      onMade(
        await api.createGroups(session, {
          groups: names.map((name) => ({ name })),
          assign: String(form.get("assign")) as "random" | "hand" | "choice",
          kit: { objects: [...picked], template: String(form.get("template") ?? "micro") as TemplateId, ...(task ? { task } : {}) },
        }),
      );
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="make-groups" onSubmit={submit} aria-label={t("makeGroups")}>
      <label>
        {t("groupCount")}{" "}
        <input type="number" name="count" min={2} max={GROUP_LIMITS.perClass} value={count} onChange={(e) => setCount(Math.max(2, Math.min(GROUP_LIMITS.perClass, Number(e.target.value) || 2)))} />
      </label>
      <div className="group-names">
        {Array.from({ length: count }, (_, i) => (
          <input key={i} name={`name-${i}`} aria-label={t("groupN", { n: i + 1 })} placeholder={t("groupN", { n: i + 1 })} maxLength={GROUP_LIMITS.name} />
        ))}
      </div>
      <label>
        {t("groupAssign")}{" "}
        <select name="assign" defaultValue="random">
          <option value="random">{t("assignRandom")}</option>
          <option value="hand">{t("assignHand")}</option>
          <option value="choice">{t("assignChoice")}</option>
        </select>
      </label>
      <label>
        {t("template")}{" "}
        <select name="template" defaultValue="micro">
          {TEMPLATE_CHOICES.map(([id, label]) => (
            <option key={id} value={id}>
              {t(label)}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>{t("kitObjects")}</legend>
        {ids.map((id) => (
          <label key={id} className="kit-object">
            <input
              type="checkbox"
              checked={picked.has(id)}
              disabled={!picked.has(id) && picked.size >= GROUP_LIMITS.kitItems}
              onChange={(e) => {
                const next = new Set(picked);
                if (e.target.checked) next.add(id);
                else next.delete(id);
                setPicked(next);
              }}
            />{" "}
            {pickText(items[id]!.title, language)}
          </label>
        ))}
      </fieldset>
      <label className="kit-task">
        {t("kitTask")}
        <textarea name="task" maxLength={GROUP_LIMITS.task} rows={2} />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button className="primary" type="submit" disabled={busy} data-class="make-groups">
        {t("makeGroups")}
      </button>
    </form>
  );
}

/** Every group as a card: its show's floor plan and progress, its members, lock, note and link. */
function GroupGrid({ state, grid }: { state: ClassState; grid: GroupsAnswer | null }) {
  const t = useT();
  const send = useClassChannel().send;
  const groups = state.groups ?? [];
  const allLocked = groups.every((g) => g.locked);
  return (
    <>
      <div className="class-controls">
        <label className="class-watch">
          <input type="checkbox" checked={!!state.groupChoice} onChange={(e) => send({ t: "group-choice", open: e.target.checked })} /> {t("letStudentsChoose")}
        </label>
        <button data-class="lock-groups" aria-pressed={allLocked} onClick={() => send({ t: "group-lock", locked: !allLocked })}>
          {allLocked ? t("unlockAllGroups") : t("lockAllGroups")}
        </button>
      </div>
      {state.gallery && (
        <p>
          <a href={state.gallery.link} target="_blank" rel="noreferrer" data-class="gallery-link">
            {t("classGallery")}
          </a>
        </p>
      )}
      <ul className="group-grid">
        {groups.map((g) => (
          <GroupCard key={g.id} id={g.id} name={g.name} locked={g.locked} published={!!g.published} presenting={state.presenting?.group === g.id} view={grid?.groups.find((v) => v.id === g.id) ?? null} />
        ))}
      </ul>
      {grid && grid.unassigned.length > 0 && (
        <div className="unassigned">
          <h3>{t("unassigned")}</h3>
          <ul>
            {grid.unassigned.map((s) => (
              <li key={s.id} data-student={s.nickname}>
                {s.nickname}{" "}
                <select aria-label={`${t("assignTo")} ${s.nickname}`} value="" onChange={(e) => e.target.value && send({ t: "group-assign", student: s.id, group: e.target.value })}>
                  <option value="">{t("assignTo")}…</option>
                  {groups.map((g) => (
                    <option key={g.id} value={g.id}>
                      {g.name}
                    </option>
                  ))}
                </select>
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

function GroupCard({ id, name, locked, published, presenting, view }: { id: string; name: string; locked: boolean; published: boolean; presenting: boolean; view: GroupView | null }) {
  const t = useT();
  const send = useClassChannel().send;
  const session = useClassStore((s) => s.session);
  const [note, setNote] = useState("");
  // Who leads the presentation: one of the group's members, or the teacher ("").
  const [lead, setLead] = useState("");
  const [refusal, setRefusal] = useState<string | null>(null);
  const publish = () => {
    if (!session) return;
    setRefusal(null);
    api.publishGroup(session, id).catch((e: Error) => setRefusal(e.message));
  };
  const p = view?.progress;
  return (
    <li className={`group-card${locked ? " locked" : ""}`} data-group={id}>
      <header>
        <h3>{name}</h3>
        {view && (
          <a className="button" href={`/studio/${encodeURIComponent(view.show)}`} target="_blank" rel="noreferrer" data-class="open-group-show">
            {t("openGroupShow")}
          </a>
        )}
      </header>
      {p?.plan ? <PlanThumbnail plan={p.plan} label={name} /> : <div className="plan-thumb empty" />}
      {p && (
        <p className="group-progress" data-placed={p.placed} data-labelled={p.labelled}>
          {t("progressLine", { placed: p.placed, labelled: p.labelled, notes: p.annotations, steps: p.tourSteps })}
        </p>
      )}
      {view && (
        <p className="group-members">
          {view.members.map((m) => (
            <span key={m.id} className={m.editing ? "member editing" : m.connected ? "member" : "member offline"} data-student={m.nickname} data-state={m.editing ? "editing" : m.connected ? "class" : "away"}>
              {m.editing && "✎ "}
              {m.nickname}
              {(m.editing || !m.connected) && <span className="sr-only">: {t(m.editing ? "memberEditing" : "memberAway")}</span>}
            </span>
          ))}
        </p>
      )}
      <button data-class="lock-group" aria-pressed={locked} onClick={() => send({ t: "group-lock", locked: !locked, group: id })}>
        {locked ? t("unlockGroup") : t("lockGroup")}
      </button>
      <form
        className="group-note"
        onSubmit={(e) => {
          e.preventDefault();
          send({ t: "group-comment", group: id, text: note });
          setNote("");
        }}
      >
        <input aria-label={`${t("noteToGroup")}: ${name}`} placeholder={t("noteToGroup")} value={note} maxLength={GROUP_LIMITS.comment} onChange={(e) => setNote(e.target.value)} />
        <button type="submit">{t("sendNote")}</button>
      </form>
      {view?.comment && <p className="muted group-comment">“{view.comment}”</p>}
      <div className="group-present">
        <label>
          {t("presentLedBy")}{" "}
          <select value={lead} onChange={(e) => setLead(e.target.value)} data-class="present-lead">
            <option value="">{t("presentByTeacher")}</option>
            {view?.members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.nickname}
              </option>
            ))}
          </select>
        </label>
        <button data-class="present-group" aria-pressed={presenting} onClick={() => send({ t: "present", group: id, seat: lead || null })}>
          {t("presentGroup")}
        </button>
      </div>
      {published ? (
        <p className="group-published">✓ {t("inGallery")}</p>
      ) : (
        <button data-class="publish-group" onClick={publish}>
          {t("publishToGallery")}
        </button>
      )}
      {refusal && (
        <p className="error" role="alert">
          {refusal}
        </p>
      )}
    </li>
  );
}

/** While a group presents its show: who presents, who leads, and the way back to the class's show. */
export function TeacherPresenting({ state }: { state: ClassState }) {
  const t = useT();
  const send = useClassChannel().send;
  const roster = useClassStore((s) => s.roster);
  const p = state.presenting;
  const group = p ? state.groups?.find((g) => g.id === p.group) : undefined;
  if (!p || !group) return null;
  const leader = p.seat ? (roster.find((r) => r.id === p.seat)?.nickname ?? "…") : null;
  return (
    <p className="class-presenting" role="status" data-class-presenting={group.id}>
      <span>
        {t("presentingNow", { name: group.name })}
        {leader && ` · ${t("presentingLedBy", { name: leader })}`}
      </span>
      <button data-class="end-presenting" onClick={() => send({ t: "present", group: null })}>
        {t("endPresenting")}
      </button>
    </p>
  );
}

/** A group's first room from above: the floor, and a dot per object (filled once its label is written). */
function PlanThumbnail({ plan, label }: { plan: NonNullable<GroupProgress["plan"]>; label: string }) {
  const { w, d } = plan;
  return (
    <svg className="plan-thumb" viewBox={`${-w / 2 - 0.2} ${-d / 2 - 0.2} ${w + 0.4} ${d + 0.4}`} role="img" aria-label={label}>
      <rect x={-w / 2} y={-d / 2} width={w} height={d} fill="#f2efe9" stroke="#8a7f70" strokeWidth={0.08} />
      {plan.spots.map((s, i) =>
        s.wall ? (
          <rect key={i} x={s.x - 0.35} y={s.z - 0.12} width={0.7} height={0.24} fill={s.labelled ? "#1971c2" : "#fff"} stroke="#1971c2" strokeWidth={0.06} />
        ) : (
          <circle key={i} cx={s.x} cy={s.z} r={0.3} fill={s.labelled ? "#1971c2" : "#fff"} stroke="#1971c2" strokeWidth={0.08} />
        ),
      )}
    </svg>
  );
}

/**
 * A student's group: its name, the task, the teacher's note, and the way into its show in the
 * studio; while the teacher lets students choose, the groups to join.
 */
export function StudentGroup({ state }: { state: ClassState }) {
  const t = useT();
  const me = useClassStore((s) => s.me);
  const session = useClassStore((s) => s.session);
  const send = useClassChannel().send;
  if (!me || !session || (state.groups ?? []).length === 0) return null;
  const mine = groupOf(state, me.id);
  return (
    <section className="student-group" aria-label={t("groupsHeading")} data-group={mine?.id ?? ""}>
      {mine ? (
        <>
          <p>
            {t("yourGroup")}: <strong>{mine.name}</strong> {mine.locked && <span className="pill">{t("groupLockedPill")}</span>}
          </p>
          {mine.task && (
            <p className="group-task">
              {t("groupTask")}: {mine.task}
            </p>
          )}
          {mine.comment && (
            <p className="group-comment" role="status">
              {t("fromTeacher")}: “{mine.comment}”
            </p>
          )}
          <a
            className="button primary"
            data-class="build-show"
            href={`/studio/${encodeURIComponent(mine.show)}?class=${encodeURIComponent(session)}`}
            onClick={(e) => {
              e.preventDefault();
              navigate(`/studio/${encodeURIComponent(mine.show)}?class=${encodeURIComponent(session)}`);
            }}
          >
            {t("buildOurShow")}
          </a>
        </>
      ) : null}
      {state.gallery && (
        <a className="button" href={state.gallery.link} target="_blank" rel="noreferrer" data-class="gallery-link">
          {t("classGallery")}
        </a>
      )}
      {state.groupChoice && (
        <div className="choose-group" role="group" aria-label={t("chooseGroup")}>
          {!mine && <p>{t("chooseGroup")}</p>}
          {(state.groups ?? [])
            .filter((g) => g.id !== mine?.id && !g.locked)
            .map((g) => (
              <button key={g.id} data-class="choose-group" data-group={g.id} onClick={() => send({ t: "group-choose", group: g.id })}>
                {t("joinGroup", { name: g.name })}
              </button>
            ))}
        </div>
      )}
    </section>
  );
}
