import { useState, type FormEvent } from "react";
import { api } from "../api/client";
import { useT } from "../i18n/strings";
import { useLocalStore } from "../state/local-store";
import { CLASSROOM_LIMITS, type ClassInfo, type ClassState, type RosterEntry } from "../shared/class-protocol";
import { classroomsOf } from "../shared/class-classrooms";
import { useClassStore } from "./class-store";

/** A classroom's name as the teacher sees it: its own, or "Classroom 2" when it has none. */
export function classroomLabel(t: ReturnType<typeof useT>, name: string, index: number): string {
  return name || t("classroomN", { n: index + 1 });
}

/**
 * How each classroom joins (its code, link, QR code and expiry), and "Add a classroom" for another
 * school joining the lesson: the server gives it a code of its own.
 */
export function ClassroomJoins({ info }: { info: ClassInfo }) {
  const t = useT();
  const language = useLocalStore((s) => s.language);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const several = info.classrooms.length > 1;
  const add = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    setBusy(true);
    setError(null);
    try {
      const next = await api.addClassroom(info.id, String(new FormData(form).get("name") ?? ""));
      useClassStore.setState({ info: next });
      form.reset();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className={`class-joins${several ? " several" : ""}`}>
      {info.classrooms.map((c, i) => (
        <div className="class-join" key={c.id} data-classroom={c.id}>
          <img src={c.qr} alt={c.link} width={several ? 84 : 112} height={several ? 84 : 112} />
          <div>
            {several && <h3 className="classroom-name">{classroomLabel(t, c.name, i)}</h3>}
            <p>
              {several && <strong className="class-code">{c.code}</strong>} {t("joinAt")} <a href={c.link}>{c.link.replace(/^https?:\/\//, "")}</a>
            </p>
            <p className="muted">
              {t("codeWorksUntil")} {new Date(c.codeExpiresAt).toLocaleTimeString(language, { hour: "2-digit", minute: "2-digit" })}
            </p>
          </div>
        </div>
      ))}
      {info.classrooms.length < CLASSROOM_LIMITS.perClass && (
        <form className="add-classroom" onSubmit={add}>
          <label>
            {t("classroomNameLabel")} <input name="name" maxLength={CLASSROOM_LIMITS.name} required autoComplete="off" />
          </label>
          <button disabled={busy}>{t("addClassroom")}</button>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </div>
  );
}

/** "Commands go to": every classroom, or one (only when the class has several). */
export function CommandTarget({ state, to, onChange }: { state: ClassState; to: string | undefined; onChange: (to: string | undefined) => void }) {
  const t = useT();
  const rooms = classroomsOf(state);
  if (rooms.length < 2) return null;
  return (
    <label className="command-target">
      {t("commandsTo")}{" "}
      <select value={to ?? ""} onChange={(e) => onChange(e.target.value || undefined)} data-class="to">
        <option value="">{t("allClassrooms")}</option>
        {rooms.map((c, i) => (
          <option key={c.id} value={c.id}>
            {classroomLabel(t, c.name, i)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The roster in one list per classroom (one list when the class has one classroom). */
export function rosterByClassroom(state: ClassState, roster: RosterEntry[]): { id: string; name: string; index: number; students: RosterEntry[] }[] {
  const rooms = classroomsOf(state);
  return rooms.map((c, index) => ({ id: c.id, name: c.name, index, students: roster.filter((r) => (r.classroom ?? "r1") === c.id) }));
}
