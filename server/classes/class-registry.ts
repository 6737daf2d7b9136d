import { randomBytes, randomInt } from "node:crypto";
import { CODE_ALPHABET, CODE_LENGTH, type ClassState, type DeviceKind, type Pose, type RosterEntry } from "../../src/shared/class-protocol";

/** Limits of class sessions; every one can be set when the server starts. */
export interface ClassLimits {
  /** Most students in one class (default 60). */
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
}

/** A class session: its own room of the class channel, linked to one exhibition. */
export interface ClassSession {
  id: string;
  code: string;
  exhibition: string;
  teacherId: string;
  teacherName: string;
  createdAt: number;
  codeExpiresAt: number;
  endedAt: number | null;
  state: ClassState;
  seats: Map<string, Seat>;
  teachers: Set<ClassPeer>;
  /** The teacher's last pose, for students who join later. */
  pose: Pose | null;
  /** Server time the last pose was accepted (the 10 Hz limit). */
  poseAt: number;
  /** The teacher's roster map is open: students report where they are. */
  watch: boolean;
  /** How many students joined (a count is all the lesson sheet keeps). */
  joined: number;
}

/** Why joining failed: a code (no such class, ended or expired, full) and a sentence for the student. */
export interface JoinRefusal {
  code: "not-found" | "gone" | "full";
  error: string;
}

/**
 * Every class session of this server process, in memory: classes are presence, not documents
 * (nothing a class does changes the exhibition), so a restart ends running classes. Students are
 * anonymous seats (nickname + token) and are forgotten when the class ends or they are removed.
 */
export class ClassRegistry {
  readonly limits: ClassLimits;
  private readonly sessions = new Map<string, ClassSession>();
  private readonly byCode = new Map<string, ClassSession>();
  private readonly byToken = new Map<string, { session: ClassSession; seat: Seat }>();
  /** Called when a session ends, so the channel can close its sockets. */
  onEnd: (session: ClassSession) => void = () => {};
  /** Called when seats stop admitting (a student removed, the class ended): their exhibition sockets re-check. */
  onSeatsChanged: (session: ClassSession) => void = () => {};

  constructor(
    limits: Partial<ClassLimits> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.limits = { ...DEFAULT_CLASS_LIMITS, ...limits };
  }

  /** Starts a class on `exhibition` with a fresh join code. */
  create(teacher: { id: string; name: string }, exhibition: string): ClassSession {
    this.sweep();
    const t = this.now();
    let code: string;
    do code = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
    while (this.byCode.has(code));
    const id = `class-${randomBytes(9).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "0")}`;
    const session: ClassSession = {
      id,
      code,
      exhibition,
      teacherId: teacher.id,
      teacherName: teacher.name,
      createdAt: t,
      codeExpiresAt: t + this.limits.codeTtlMs,
      endedAt: null,
      state: { id, exhibition, teacher: teacher.name, mode: "free", locked: false, highlight: null, tour: null, gather: 0, ended: false },
      seats: new Map(),
      teachers: new Set(),
      pose: null,
      poseAt: 0,
      watch: false,
      joined: 0,
    };
    this.sessions.set(id, session);
    this.byCode.set(code, session);
    return session;
  }

  session(id: string): ClassSession | undefined {
    return this.sessions.get(id);
  }

  /** Live (not ended) sessions, for the benchmark and the health route. */
  live(): ClassSession[] {
    return [...this.sessions.values()].filter((s) => !s.state.ended);
  }

  /** Admits a student by code and nickname, or says plainly why not. */
  join(code: string, nickname: string): { session: ClassSession; seat: Seat } | JoinRefusal {
    const session = this.byCode.get(code);
    if (!session) return { code: "not-found", error: `No class has the code ${code}. Check the code with your teacher.` };
    if (session.state.ended) return { code: "gone", error: `The class with the code ${code} has ended.` };
    if (this.now() >= session.codeExpiresAt) {
      const minutes = Math.round(this.limits.codeTtlMs / 60_000);
      return { code: "gone", error: `The class code ${code} has expired${minutes >= 1 ? ` (codes work for ${minutes} minutes)` : ""}. Ask your teacher for a new code.` };
    }
    if (session.seats.size >= this.limits.maxStudents) return { code: "full", error: `The class is full (${this.limits.maxStudents} students).` };
    const taken = new Set([...session.seats.values()].map((s) => s.nickname.toLowerCase()));
    let name = nickname;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${nickname} ${n}`;
    const seat: Seat = {
      id: `s${randomBytes(6).toString("hex")}`,
      token: randomBytes(24).toString("base64url"),
      nickname: name,
      peer: null,
      device: null,
      immersive: false,
      idleSeconds: 0,
      fps: null,
      handRaised: false,
      rttMs: null,
      where: null,
      whereAt: 0,
    };
    session.seats.set(seat.id, seat);
    session.joined++;
    this.byToken.set(seat.token, { session, seat });
    return { session, seat };
  }

  /** The seat a token admits, while its class runs. */
  seat(token: string): { session: ClassSession; seat: Seat } | undefined {
    const found = this.byToken.get(token);
    return found && !found.session.state.ended ? found : undefined;
  }

  /** Does `token` let its holder read `exhibition`? (Students of a class see its exhibition.) */
  grants(token: string | null | undefined, exhibition: string): boolean {
    if (!token) return false;
    return this.seat(token)?.session.exhibition === exhibition;
  }

  /** Removes a student: their seat, nickname and token are gone. */
  remove(session: ClassSession, seatId: string): Seat | undefined {
    const seat = session.seats.get(seatId);
    if (!seat) return undefined;
    session.seats.delete(seatId);
    this.byToken.delete(seat.token);
    this.onSeatsChanged(session);
    return seat;
  }

  /** Ends a class: students are forgotten; the session stays (for its lesson sheet) a while. */
  end(session: ClassSession): void {
    if (session.state.ended) return;
    session.state = { ...session.state, ended: true, mode: "free", locked: false, highlight: null };
    session.endedAt = this.now();
    this.onEnd(session);
    for (const seat of session.seats.values()) this.byToken.delete(seat.token);
    session.seats.clear();
    session.pose = null;
    this.onSeatsChanged(session);
  }

  /** Ends classes past their maximum length and forgets ended ones past the keeping time. */
  sweep(): void {
    const t = this.now();
    for (const s of [...this.sessions.values()]) {
      if (!s.state.ended && t - s.createdAt > this.limits.maxLengthMs) this.end(s);
      if (s.state.ended && t - (s.endedAt ?? t) > this.limits.keepEndedMs) {
        this.sessions.delete(s.id);
        if (this.byCode.get(s.code) === s) this.byCode.delete(s.code);
      }
    }
  }

  /** The teacher's roster: every seat, in joining order. */
  roster(session: ClassSession): RosterEntry[] {
    return [...session.seats.values()].map((s) => ({
      id: s.id,
      nickname: s.nickname,
      connected: s.peer !== null,
      device: s.device,
      immersive: s.immersive,
      rttMs: s.rttMs,
      idleSeconds: s.idleSeconds,
      fps: s.fps,
      handRaised: s.handRaised,
      where: session.watch ? s.where : null,
    }));
  }
}
