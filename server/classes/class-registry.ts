import { randomBytes, randomInt } from "node:crypto";
import { CLASSROOM_LIMITS, CODE_ALPHABET, CODE_LENGTH, QUESTION_LIMITS, type Answer, type Classroom, type ClassGroup, type ClassQuestion, type ClassState, type DeviceKind, type Pose, type QuestionDraft, type QuestionResult, type RosterEntry } from "../../src/shared/class-protocol";
import { classroomsOf } from "../../src/shared/class-classrooms";
import { groupAccessChanged, seatRoleOn } from "../../src/shared/class-groups";
import type { Bus } from "../scale/bus";
import type { ClassRecord, ClassStore, SeatRecord } from "./class-store";

/** Limits of class sessions; every one can be set when the server starts. */
export interface ClassLimits {
  /** Most students in one classroom of a class (default 60). */
  maxStudents: number;
  /** How long a join code admits new students (default 3 hours). */
  codeTtlMs: number;
  /** How long an ended class is kept (its lesson sheet; no student data), default 24 hours. */
  keepEndedMs: number;
  /** A class nobody ended is ended this long after it started (default 12 hours). */
  maxLengthMs: number;
}

export const DEFAULT_CLASS_LIMITS: ClassLimits = {
  maxStudents: 60,
  codeTtlMs: 3 * 3600_000,
  keepEndedMs: 24 * 3600_000,
  maxLengthMs: 12 * 3600_000,
};

/** A live connection of the class channel, as the registry sees it (the channel owns the socket). */
export interface ClassPeer {
  send(text: string): void;
  close(code: number, reason: string): void;
}

/** One student's place in a class: a nickname and what their client reports. Nothing else. */
export interface Seat {
  id: string;
  /** The secret that admits this seat (to the channel and, read-only, to the exhibition). */
  token: string;
  nickname: string;
  /** The classroom whose code admitted the student. */
  classroom: string;
  peer: ClassPeer | null;
  device: DeviceKind | null;
  immersive: boolean;
  idleSeconds: number;
  fps: number | null;
  handRaised: boolean;
  rttMs: number | null;
  where: { room: string; x: number; z: number } | null;
  /** Server time of the last accepted "where" report (rate limit). */
  whereAt: number;
  /** Connected to another process of the site (the scaled mode), as that process last said. */
  connectedElsewhere: boolean;
  /** Server time of the last accepted answer (one a second: a changed mind, not a flood). */
  answerAt: number;
}

/** A class session: its own room of the class channel, linked to one exhibition; what is stored of it plus its live parts. */
export interface ClassSession extends ClassRecord {
  seats: Map<string, Seat>;
  teachers: Set<ClassPeer>;
  /** The teacher's last pose, for students who join later. */
  pose: Pose | null;
  /** Server time the last pose was accepted (the 10 Hz limit). */
  poseAt: number;
  /** The teacher's roster map is open: students report where they are. */
  watch: boolean;
}

/** Why joining failed: a code (no such class, ended or expired, full) and a sentence for the student. */
export interface JoinRefusal {
  code: "not-found" | "gone" | "full";
  error: string;
}

/** A student's live report, as the roster shows it. */
export type SeatReport = Pick<Seat, "device" | "immersive" | "idleSeconds" | "fps" | "rttMs" | "where" | "handRaised"> & { connected: boolean };

/**
 * Everything that happens to a class, as one event. Each change is made by emitting its event:
 * the registry applies it to its sessions, tells the channel (which talks to this process's
 * sockets), and in the scaled mode publishes it so the other processes apply it too. One path for
 * local and remote changes: a rule is applied the same way wherever its socket is.
 */
export type ClassEvent =
  | { e: "created"; record: ClassRecord }
  | { e: "seat"; id: string; seat: Omit<SeatRecord, "handRaised"> }
  | { e: "removed"; id: string; seat: string }
  | { e: "state"; id: string; state: ClassState }
  | { e: "pose"; id: string; pose: Pose }
  | { e: "watch"; id: string; on: boolean }
  | { e: "lower-hand"; id: string; seat: string }
  | { e: "report"; id: string; seat: string; report: SeatReport }
  | { e: "asked"; id: string; question: ClassQuestion; state: ClassState }
  | { e: "answer"; id: string; seat: string; question: string; answer: Answer; classroom?: string }
  | { e: "ended"; id: string; at: number };

/** The bus channel of class events. */
const CHANNEL = "classes";
const encoder = new TextEncoder();
/** How long an id or token storage did not know is answered "unknown" without asking again. */
const UNKNOWN_FOR_MS = 10_000;

/**
 * Every class session this process serves, in memory. Classes are presence, not documents
 * (nothing a class does changes the exhibition). Students are anonymous seats (nickname + token)
 * and are forgotten when the class ends or they are removed.
 *
 * The embedded default keeps classes in this one process (a restart ends them). In the scaled
 * mode the registry writes what must outlive a process (classes, seats, state, raised hands) to
 * a `ClassStore` in PostgreSQL and shares every event with the other processes over the bus, so a
 * class's teacher and students may be connected to different processes, and a class goes on when
 * processes restart (students reconnect to their seat).
 */
export class ClassRegistry {
  readonly limits: ClassLimits;
  private readonly sessions = new Map<string, ClassSession>();
  private readonly byCode = new Map<string, ClassSession>();
  private readonly byToken = new Map<string, { session: ClassSession; seat: Seat }>();
  /** Called when a session ends, so the channel can close its sockets. */
  onEnd: (session: ClassSession) => void = () => {};
  /** Called when seats stop admitting here (a student removed, the class ended): their exhibition sockets re-check. */
  onSeatsChanged: (session: ClassSession) => void = () => {};
  /** Called after an event was applied (`local`: it happened in this process), so the channel tells its sockets. */
  onApplied: (event: ClassEvent, session: ClassSession, local: boolean, seat?: Seat) => void = () => {};
  private offBus: (() => void) | null = null;
  /**
   * Class ids and seat tokens storage did not know, until when not to ask again: a flood of
   * made-up ones (status checks, socket upgrades) costs one query each, not one per request.
   * Real ids and tokens are random and unguessable, so none is asked about before it exists.
   */
  private readonly unknown = new Map<string, number>();

  constructor(
    limits: Partial<ClassLimits> = {},
    private readonly now: () => number = Date.now,
    private readonly scaled: { store: ClassStore; bus: Bus | null; log: (line: string) => void } | null = null,
  ) {
    this.limits = { ...DEFAULT_CLASS_LIMITS, ...limits };
  }

  /** The scaled mode: loads the classes that are running and follows the other processes' events. */
  async start(): Promise<void> {
    if (!this.scaled) return;
    const { bus, store } = this.scaled;
    if (bus) {
      const decoder = new TextDecoder();
      this.offBus = await bus.subscribe(CHANNEL, (payload) => {
        let event: ClassEvent;
        try {
          event = JSON.parse(decoder.decode(payload)) as ClassEvent;
        } catch {
          return;
        }
        this.apply(event, false);
      });
    }
    for (const c of await store.live()) this.cache(c.record, c.seats);
  }

  stop(): void {
    this.offBus?.();
    this.offBus = null;
  }

  /** Applies an event here, and shares it with the other processes. */
  emit(event: ClassEvent): void {
    this.scaled?.bus?.publish(CHANNEL, encoder.encode(JSON.stringify(event)));
    this.apply(event, true);
  }

  /** Stores in the background (housekeeping that nobody waits for); a failure is logged. */
  private persist(work: (store: ClassStore) => Promise<unknown>): void {
    if (!this.scaled) return;
    work(this.scaled.store).catch((e: Error) => this.scaled!.log(`[class] storing a class change failed: ${e.message}`));
  }

  /** Each class's changes, one after another: a change is computed from the state the previous one left. */
  private readonly queues = new Map<string, Promise<void>>();

  /**
   * Stores a change, then makes it live (`emit`): what students were told survives a process
   * being killed the next moment. Changes of one class run in order.
   */
  private change(session: ClassSession, work: (store: ClassStore | null) => Promise<ClassEvent | null>): Promise<void> {
    const run = async () => {
      const event = await work(this.scaled?.store ?? null);
      if (event) this.emit(event);
    };
    const next = (this.queues.get(session.id) ?? Promise.resolve()).then(run).catch((e: Error) => this.scaled?.log(`[class] ${session.id}: storing a change failed, so it was not made: ${e.message}`));
    this.queues.set(session.id, next);
    void next.then(() => {
      if (this.queues.get(session.id) === next) this.queues.delete(session.id);
    });
    return next;
  }

  private apply(event: ClassEvent, local: boolean): void {
    if (event.e === "created") {
      const session = this.sessions.get(event.record.id) ?? this.cache(event.record, []);
      return this.onApplied(event, session, local);
    }
    const session = this.sessions.get(event.id);
    if (!session) return; // a class this process never loaded: it loads it from storage when asked
    switch (event.e) {
      case "seat":
        if (!session.seats.has(event.seat.id)) {
          this.addSeat(session, { ...event.seat, handRaised: false });
          session.joined++;
        }
        break;
      case "removed": {
        const seat = session.seats.get(event.seat);
        if (!seat) return;
        session.seats.delete(event.seat);
        this.byToken.delete(seat.token);
        if (local) this.onSeatsChanged(session);
        return this.onApplied(event, session, local, seat);
      }
      case "lower-hand": {
        const seat = session.seats.get(event.seat);
        if (!seat) return;
        seat.handRaised = false;
        return this.onApplied(event, session, local, seat);
      }
      case "state": {
        if (session.state.ended) return;
        const before = session.state;
        session.state = event.state;
        this.indexCodes(session); // a classroom added: its code admits here too
        // A seat moved, a group locked: its sockets on a group's show re-check here, on every
        // process (the state may reach this process after the bridged access change did).
        if (groupAccessChanged(before, event.state)) this.onSeatsChanged(session);
        // Another show, or another leader: the last pose was taken in another room (or by someone else).
        if (JSON.stringify(before.presenting ?? null) !== JSON.stringify(event.state.presenting ?? null)) session.pose = null;
        break;
      }
      case "pose":
        session.pose = event.pose;
        break;
      case "watch":
        session.watch = event.on;
        if (!event.on) for (const seat of session.seats.values()) seat.where = null;
        break;
      case "report": {
        const seat = session.seats.get(event.seat);
        if (!seat) return;
        const { connected, ...report } = event.report;
        Object.assign(seat, report);
        if (!local) seat.connectedElsewhere = connected;
        break;
      }
      case "asked":
        if (session.state.ended || session.questions.some((q) => q.question.id === event.question.id)) return;
        session.questions.push({ question: event.question, answers: {} });
        session.state = event.state;
        break;
      case "answer": {
        const asked = session.questions.find((q) => q.question.id === event.question);
        if (!asked) return;
        // Kept with the classroom (not the name): the lesson sheet counts answers per classroom.
        asked.answers[event.seat] = event.classroom ? { ...event.answer, classroom: event.classroom } : event.answer;
        return this.onApplied(event, session, local, session.seats.get(event.seat));
      }
      case "ended":
        return this.endHere(session, event.at, local);
    }
    this.onApplied(event, session, local);
  }

  /** Puts a stored class (and its seats) in memory. */
  private cache(record: ClassRecord, seats: SeatRecord[]): ClassSession {
    const session: ClassSession = {
      ...record,
      seats: new Map(),
      teachers: new Set(),
      pose: null,
      poseAt: 0,
      watch: false,
    };
    this.sessions.set(session.id, session);
    this.indexCodes(session);
    for (const s of seats) this.addSeat(session, s);
    return session;
  }

  /** Every classroom's code leads to its class (the newest class, where an ended one had the code). */
  private indexCodes(session: ClassSession): void {
    for (const c of classroomsOf(session.state, session.code)) {
      if (!c.code) continue;
      const holder = this.byCode.get(c.code);
      if (!holder || holder.createdAt <= session.createdAt) this.byCode.set(c.code, session);
    }
  }

  /** A join code no live class of this process has (the store checks the others). */
  private freshCode(taken: Set<string> = new Set()): string {
    for (;;) {
      const code = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
      if (!taken.has(code) && this.byCode.get(code)?.state.ended !== false) return code;
    }
  }

  private addSeat(session: ClassSession, s: SeatRecord): Seat {
    const seat: Seat = { ...s, peer: null, device: null, immersive: false, idleSeconds: 0, fps: null, rttMs: null, where: null, whereAt: 0, connectedElsewhere: false, answerAt: 0 };
    session.seats.set(seat.id, seat);
    if (!session.state.ended) this.byToken.set(seat.token, { session, seat });
    return seat;
  }

  /**
   * Starts a class on `exhibition`, running one of its lesson plans or none, with one classroom
   * per name in `classrooms` (one unnamed by default), each with a fresh join code.
   */
  async create(teacher: { id: string; name: string }, exhibition: string, plan: { id: string; steps: number } | null = null, classrooms: string[] = [""]): Promise<ClassSession> {
    this.sweep();
    for (;;) {
      const t = this.now();
      const codes = new Set<string>();
      for (let i = 0; i < Math.max(1, classrooms.length); i++) codes.add(this.freshCode(codes));
      const rooms: Classroom[] = [...codes].map((code, i) => ({ id: `r${i + 1}`, name: classrooms[i] ?? "", code, codeExpiresAt: t + this.limits.codeTtlMs }));
      const code = rooms[0]!.code!;
      const id = `class-${randomBytes(9).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "0")}`;
      const record: ClassRecord = {
        id,
        code,
        exhibition,
        teacherId: teacher.id,
        teacherName: teacher.name,
        createdAt: t,
        codeExpiresAt: t + this.limits.codeTtlMs,
        endedAt: null,
        state: { id, exhibition, teacher: teacher.name, mode: "free", locked: false, highlight: null, tour: null, gather: 0, ended: false, access: null, question: null, plan, planStep: null, classrooms: rooms, settings: {} },
        joined: 0,
        questions: [],
      };
      // Another process may have given one of the codes to a live class: the store says, try others.
      if (this.scaled && !(await this.scaled.store.insert(record))) continue;
      this.emit({ e: "created", record });
      return this.sessions.get(id)!;
    }
  }

  /**
   * Adds a classroom to a running class (another school joins the lesson): its own code, valid for
   * the code lifetime from now. Returns it, or why not (the class has its most classrooms).
   */
  async addClassroom(session: ClassSession, name: string): Promise<Classroom | string> {
    let added: Classroom | string = "the class has ended";
    await this.change(session, async (store) => {
      if (session.state.ended) return null;
      const rooms = classroomsOf(session.state, session.code);
      if (rooms.length >= CLASSROOM_LIMITS.perClass) {
        added = `classrooms: a class has at most ${CLASSROOM_LIMITS.perClass} classrooms`;
        return null;
      }
      for (;;) {
        const room: Classroom = { id: `r${rooms.length + 1}`, name, code: this.freshCode(), codeExpiresAt: this.now() + this.limits.codeTtlMs };
        if (store && !(await store.addCode(session.id, room.id, room.code!, this.now()))) continue; // taken elsewhere meanwhile
        const state: ClassState = { ...session.state, classrooms: [...rooms, room] };
        await store?.saveState(session.id, state);
        added = room;
        return { e: "state", id: session.id, state };
      }
    });
    return added;
  }

  session(id: string): ClassSession | undefined {
    return this.sessions.get(id);
  }

  /** A session, loaded from storage if this process has not seen it yet (the scaled mode). */
  async load(id: string): Promise<ClassSession | undefined> {
    const known = this.sessions.get(id);
    if (known || !this.scaled || this.recentlyUnknown(`class:${id}`)) return known;
    const stored = await this.scaled.store.byId(id);
    if (!stored) return this.markUnknown(`class:${id}`);
    return this.sessions.get(id) ?? this.cache(stored.record, stored.seats);
  }

  private recentlyUnknown(key: string): boolean {
    return (this.unknown.get(key) ?? 0) > this.now();
  }

  private markUnknown(key: string): undefined {
    if (this.unknown.size >= 10_000) this.unknown.clear(); // bounded, whatever is asked
    this.unknown.set(key, this.now() + UNKNOWN_FOR_MS);
    return undefined;
  }

  /** Live (not ended) sessions, for the benchmark and the health route. */
  live(): ClassSession[] {
    return [...this.sessions.values()].filter((s) => !s.state.ended);
  }

  /** Admits a student by code and nickname, or says plainly why not. */
  async join(code: string, nickname: string): Promise<{ session: ClassSession; seat: Seat } | JoinRefusal> {
    let session = this.byCode.get(code);
    if (this.scaled && (!session || session.state.ended)) {
      // Started on another process just now, or a newer class took an ended class's code.
      const stored = await this.scaled.store.byCode(code);
      if (stored && stored.record.id !== session?.id) session = this.sessions.get(stored.record.id) ?? this.cache(stored.record, stored.seats);
    }
    if (!session) return { code: "not-found", error: `No class has the code ${code}. Check the code with your teacher.` };
    if (session.state.ended) return { code: "gone", error: `The class with the code ${code} has ended.` };
    const room = classroomsOf(session.state, session.code).find((c) => c.code === code);
    if (!room) return { code: "not-found", error: `No class has the code ${code}. Check the code with your teacher.` };
    if (this.now() >= (room.codeExpiresAt ?? session.codeExpiresAt)) {
      const minutes = Math.round(this.limits.codeTtlMs / 60_000);
      return { code: "gone", error: `The class code ${code} has expired${minutes >= 1 ? ` (codes work for ${minutes} minutes)` : ""}. Ask your teacher for a new code.` };
    }
    const full: JoinRefusal = { code: "full", error: `The class is full (${this.limits.maxStudents} students${room.name ? ` in ${room.name}` : ""}).` };
    const id = `s${randomBytes(6).toString("hex")}`;
    const token = randomBytes(24).toString("base64url");
    let name = nickname;
    if (this.scaled) {
      // The store decides, for every process at once: room left, and a nickname nobody has.
      const r = await this.scaled.store.addSeat(session.id, { id, token, nickname, classroom: room.id }, this.limits.maxStudents);
      if (r === "full") return full;
      if (r === "gone") return { code: "gone", error: `The class with the code ${code} has ended.` };
      name = r.nickname;
    } else {
      let inRoom = 0;
      for (const s of session.seats.values()) if (s.classroom === room.id) inRoom++;
      if (inRoom >= this.limits.maxStudents) return full;
      const taken = new Set([...session.seats.values()].map((s) => s.nickname.toLowerCase()));
      for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${nickname} ${n}`;
    }
    this.emit({ e: "seat", id: session.id, seat: { id, token, nickname: name, classroom: room.id } });
    return { session, seat: session.seats.get(id)! };
  }

  /** The seat a token admits, while its class runs. */
  seat(token: string): { session: ClassSession; seat: Seat } | undefined {
    const found = this.byToken.get(token);
    return found && !found.session.state.ended ? found : undefined;
  }

  /** The seat a token admits, loaded from storage if this process has not seen it yet (the scaled mode). */
  async loadSeat(token: string): Promise<{ session: ClassSession; seat: Seat } | undefined> {
    const known = this.seat(token);
    if (known || !this.scaled || this.recentlyUnknown(`seat:${token}`)) return known;
    const stored = await this.scaled.store.bySeat(token);
    if (!stored || stored.record.endedAt !== null) return this.markUnknown(`seat:${token}`);
    const session = this.sessions.get(stored.record.id) ?? this.cache(stored.record, stored.seats);
    const mine = stored.seats.find((s) => s.token === token);
    if (mine && !session.seats.has(mine.id)) this.addSeat(session, mine);
    return this.seat(token);
  }

  /**
   * What `token`'s seat may do with `exhibition` (`seatRoleOn`: read the class's show, edit its
   * group's show while the class runs and the group is not locked), with the seat; null: nothing.
   */
  async seatRole(token: string | null | undefined, exhibition: string): Promise<{ role: "viewer" | "curator"; seat: Seat } | null> {
    if (!token) return null;
    const held = await this.loadSeat(token);
    const role = held ? seatRoleOn(held.session.state, held.seat.id, exhibition) : null;
    return held && role ? { role, seat: held.seat } : null;
  }

  /** Does `token` let its holder read `exhibition`? (Students see their class's show and their group's.) */
  async grants(token: string | null | undefined, exhibition: string): Promise<boolean> {
    return (await this.seatRole(token, exhibition)) !== null;
  }

  /**
   * Gives a class its groups, each with its show already stored (the API made them); refused once
   * the class has groups (students then move between groups by hand or by choice).
   */
  async createGroups(session: ClassSession, groups: ClassGroup[], choice: boolean): Promise<string | null> {
    let refusal: string | null = "the class has ended";
    await this.change(session, async (store) => {
      if (session.state.ended) return null;
      if ((session.state.groups ?? []).length > 0) {
        refusal = "groups: this class already has its groups";
        return null;
      }
      const state: ClassState = { ...session.state, groups, groupChoice: choice };
      await store?.saveState(session.id, state);
      refusal = null;
      return { e: "state", id: session.id, state };
    });
    return refusal;
  }

  /** Changes what every student's view does (only the teacher's commands call this), from the state as it is then. */
  setState(session: ClassSession, next: (state: ClassState) => ClassState): Promise<void> {
    return this.change(session, async (store) => {
      if (session.state.ended) return null;
      const state = next(session.state);
      await store?.saveState(session.id, state);
      return { e: "state", id: session.id, state };
    });
  }

  /** A student's report (device, hand, where, connection) for the teacher's roster, wherever the teacher is. */
  report(session: ClassSession, seat: Seat, persistHand = false): void {
    const { device, immersive, idleSeconds, fps, rttMs, where, handRaised } = seat;
    const event: ClassEvent = { e: "report", id: session.id, seat: seat.id, report: { device, immersive, idleSeconds, fps, rttMs, where, handRaised, connected: seat.peer !== null } };
    if (!persistHand) return this.emit(event);
    void this.change(session, async (store) => {
      await store?.setHand(session.id, seat.id, handRaised);
      return event;
    });
  }

  /**
   * Puts a question on every student's screen, at the tour step the class is on. Returns why not
   * (the class has asked its most questions), or null.
   */
  ask(session: ClassSession, draft: QuestionDraft): string | null {
    if (session.questions.length >= QUESTION_LIMITS.perClass) return `a class asks at most ${QUESTION_LIMITS.perClass} questions`;
    void this.change(session, async (store) => {
      if (session.state.ended || session.questions.length >= QUESTION_LIMITS.perClass) return null;
      const question: ClassQuestion = { id: `q${session.questions.length + 1}`, kind: draft.kind, prompt: draft.prompt, options: draft.kind === "choice" ? draft.options : [], step: session.state.tour };
      const state: ClassState = { ...session.state, question };
      await store?.addQuestion(session.id, question, state);
      return { e: "asked", id: session.id, question, state };
    });
    return null;
  }

  /**
   * Moves the class to step `index` of its lesson plan and asks the step's question, if it has one
   * (the teacher's page sends it in the teacher's language; the tour step comes with the teacher's
   * own tour, like any tour step). Returns why not (no plan, no such step, too many questions), or null.
   */
  planStep(session: ClassSession, index: number, question?: QuestionDraft): string | null {
    const plan = session.state.plan;
    if (!plan) return "plan-step: this class runs no lesson plan";
    if (index >= plan.steps) return `plan-step.index: the lesson plan has ${plan.steps} steps`;
    void this.setState(session, (s) => ({ ...s, planStep: index }));
    return question ? this.ask(session, question) : null;
  }

  /**
   * Keeps a student's answer to the question asked now (a later one replaces it). Returns why it
   * was not taken (another question, a choice it does not have, too soon after the last), or null.
   */
  answer(session: ClassSession, seat: Seat, questionId: string, answer: Answer): string | null {
    const now = this.now();
    const q = session.state.question;
    if (!q || q.id !== questionId) return "that question is no longer asked";
    if ("choice" in answer ? q.kind !== "choice" || answer.choice >= q.options.length : q.kind !== "text") return "not an answer to this question";
    if (now - seat.answerAt < 1000) return "one answer a second";
    seat.answerAt = now;
    const index = session.questions.findIndex((a) => a.question.id === questionId);
    void this.change(session, async (store) => {
      await store?.setAnswer(session.id, index, seat.id, { ...answer, classroom: seat.classroom });
      return { e: "answer", id: session.id, seat: seat.id, question: questionId, answer, classroom: seat.classroom };
    });
    return null;
  }

  /** How the class answered a question (the one asked now by default), without names. */
  results(session: ClassSession, questionId = session.state.question?.id): QuestionResult | null {
    const asked = session.questions.find((a) => a.question.id === questionId);
    return asked ? questionResult(asked.question, asked.answers) : null;
  }

  /** The teacher lowers a student's raised hand. */
  lowerHand(session: ClassSession, seatId: string): void {
    if (!session.seats.get(seatId)?.handRaised) return;
    void this.change(session, async (store) => {
      await store?.setHand(session.id, seatId, false);
      return { e: "lower-hand", id: session.id, seat: seatId };
    });
  }

  /** Removes a student: their seat, nickname and token are gone. */
  remove(session: ClassSession, seatId: string): Seat | undefined {
    const seat = session.seats.get(seatId);
    if (!seat) return undefined;
    void this.change(session, async (store) => {
      await store?.removeSeat(session.id, seatId);
      return { e: "removed", id: session.id, seat: seatId };
    });
    return seat;
  }

  /** Ends a class: students are forgotten; the session stays (for its lesson sheet) a while. */
  end(session: ClassSession): void {
    if (session.state.ended) return;
    void this.change(session, async (store) => {
      if (session.state.ended) return null;
      const at = this.now();
      await store?.end(session.id, { ...session.state, ended: true, mode: "free", locked: false, highlight: null, question: null }, at);
      return { e: "ended", id: session.id, at };
    });
  }

  private endHere(session: ClassSession, at: number, local: boolean): void {
    if (session.state.ended) return;
    session.state = { ...session.state, ended: true, mode: "free", locked: false, highlight: null, question: null };
    session.endedAt = at;
    this.onEnd(session);
    for (const seat of session.seats.values()) this.byToken.delete(seat.token);
    session.seats.clear();
    session.pose = null;
    if (local) this.onSeatsChanged(session);
  }

  /** Ends classes past their maximum length and forgets ended ones past the keeping time. */
  sweep(): void {
    const t = this.now();
    for (const s of [...this.sessions.values()]) {
      if (!s.state.ended && t - s.createdAt > this.limits.maxLengthMs) this.end(s);
      if (s.state.ended && t - (s.endedAt ?? t) > this.limits.keepEndedMs) {
        this.sessions.delete(s.id);
        for (const c of classroomsOf(s.state, s.code)) if (c.code && this.byCode.get(c.code) === s) this.byCode.delete(c.code);
      }
    }
    this.persist((store) => store.forget(t - this.limits.keepEndedMs));
  }

  /** The teacher's roster: every seat, in joining order. */
  roster(session: ClassSession): RosterEntry[] {
    return [...session.seats.values()].map((s) => ({
      id: s.id,
      nickname: s.nickname,
      connected: s.peer !== null || s.connectedElsewhere,
      device: s.device,
      immersive: s.immersive,
      rttMs: s.rttMs,
      idleSeconds: s.idleSeconds,
      fps: s.fps,
      handRaised: s.handRaised,
      where: session.watch ? s.where : null,
      classroom: s.classroom,
    }));
  }
}

/** Counts and texts of a question's answers: never who gave them. */
export function questionResult(question: ClassQuestion, answers: Record<string, Answer>): QuestionResult {
  const counts = question.options.map(() => 0);
  const texts: string[] = [];
  for (const a of Object.values(answers)) {
    if ("choice" in a) {
      if (a.choice < counts.length) counts[a.choice]!++;
    } else texts.push(a.text);
  }
  return { question, answered: Object.keys(answers).length, counts, texts };
}
