import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import {
  CLASS_CLOSE,
  MAX_CLASS_MESSAGE,
  STUDENT_POSE_HZ,
  TEACHER_ONLY,
  TEACHER_POSE_HZ,
  studentMessage,
  teacherMessage,
  type ClassState,
  type Pose,
  type ServerMessage,
  type StudentMessage,
  type TeacherMessage,
} from "../../src/shared/class-protocol";
import { applyClassroomCommand, classroomView, type ClassroomCommand } from "../../src/shared/class-classrooms";
import { assignToGroup, chooseGroup, commentOnGroup, leadsClass, lockGroups, presentGroup } from "../../src/shared/class-groups";
import type { AccessChanges } from "../security/access-changes";
import type { ConnectionLimits } from "../security/connection-limits";
import type { OriginPolicy } from "../security/origin";
import { refuseUpgrade as reject } from "../http/upgrade-router";
import type { ClassPeer, ClassRegistry, ClassSession, Seat } from "./class-registry";

/** Who may open the channel of a class: the signed-in teacher who started it. */
export type TeacherCheck = (req: IncomingMessage) => Promise<string | null>;

export interface ClassChannelOptions {
  registry: ClassRegistry;
  /** The signed-in user's id (cookie session), or null. */
  userOf: TeacherCheck;
  /** How often the server measures each student's round trip (ms). */
  pingIntervalMs?: number;
  log?: (line: string) => void;
  /** Which origins may open a socket. */
  origins?: OriginPolicy;
  /** Sockets per address and account, shared with the sync server. */
  connections?: ConnectionLimits;
  /** The client's address, as the limits count it. */
  addressOf?: (req: IncomingMessage) => string;
  /** Sign-out and account changes: a teacher's socket is closed when its sign-in no longer names the teacher. */
  accessChanges?: AccessChanges;
}

const SESSION_PATH = /^\/class\/(class-[a-z0-9]{1,32})$/;
/** Messages per second a connection may send (poses at 10 Hz leave plenty of room)... */
const RATE = 30;
/** ...with bursts up to this many. */
const BURST = 60;
/** The roster is sent to the teacher at most this often (ms). */
const ROSTER_EVERY_MS = 500;
/** Bytes that may wait in a class socket's send buffer; a client that does not read is dropped. */
const MAX_BUFFERED = 1 << 20;

/**
 * The class channel: WebSocket at `/class/<session-id>` on the app's HTTP server. The teacher is
 * admitted by their sign-in cookie, a student by their seat token (`?seat=`); both are checked
 * at the upgrade, before any WebSocket exists. The server holds the class state and is the only
 * one who changes it: a student's teacher command is refused (and logged), whatever client sent
 * it. The teacher's pose is forwarded to students at most 10 times a second, serialised once per
 * pose; student reports go to the teacher only.
 */
export function createClassChannel(options: ClassChannelOptions) {
  const { registry } = options;
  const log = options.log ?? ((l: string) => console.error(l));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLASS_MESSAGE * 4 });
  const rosterTimers = new Map<ClassSession, NodeJS.Timeout>();
  const answerTimers = new Map<ClassSession, NodeJS.Timeout>();

  /** The state text each classroom's students were last sent (a student who connects later gets it in "welcome"). */
  const lastViews = new WeakMap<ClassSession, Map<string, string>>();

  const teacherSockets = new Map<WebSocket, { req: IncomingMessage; session: ClassSession }>();
  /** Counts the socket against its address's and account's limits; false when refused (already answered). */
  const admit = async (req: IncomingMessage, socket: Duplex, account: string | null): Promise<(() => void) | null> => {
    if (!options.connections) return () => {};
    const a = await options.connections.admit(options.addressOf?.(req) ?? req.socket.remoteAddress ?? "?", account);
    if ("refusal" in a) {
      reject(socket, 429, a.refusal);
      return null;
    }
    if (socket.destroyed) {
      a.release();
      return null;
    }
    return a.release;
  };

  /** Answers an upgrade of `/class/<id>` (the upgrade router sends them here). */
  const onUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) => {
    const foreign = options.origins?.refusal(req, true);
    if (foreign) return reject(socket, 403, foreign);
    const m = SESSION_PATH.exec(url.pathname);
    const session = m ? await registry.load(m[1]!) : undefined;
    if (!session) return reject(socket, 404, "no such class");
    if (session.state.ended) return reject(socket, 410, "this class has ended");
    const token = url.searchParams.get("seat");
    if (token) {
      const found = await registry.loadSeat(token);
      if (!found || found.session !== session) return reject(socket, 403, "this seat is not in the class (removed, or the class ended)");
      const release = await admit(req, socket, null);
      if (!release) return;
      return wss.handleUpgrade(req, socket, head, (ws) => {
        ws.once("close", release);
        connectStudent(ws, session, found.seat);
      });
    }
    const user = await options.userOf(req);
    if (socket.destroyed) return;
    if (!user) return reject(socket, 401, "sign in as the teacher, or join with a class code");
    if (user !== session.teacherId) return reject(socket, 403, "only the teacher who started the class can lead it");
    const release = await admit(req, socket, user);
    if (!release) return;
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.once("close", release);
      teacherSockets.set(ws, { req, session });
      ws.once("close", () => teacherSockets.delete(ws));
      connectTeacher(ws, session);
    });
  };
  // A teacher who signs out (or whose account changes) no longer leads from that socket.
  const offChanges = options.accessChanges?.on((change) => {
    if (change.kind !== "user") return;
    for (const [ws, { req, session }] of teacherSockets) {
      if (session.teacherId !== change.userId) continue;
      void options.userOf(req).then(
        (user) => user !== session.teacherId && ws.close(CLASS_CLOSE.SIGNED_OUT, "signed out: sign in again to lead the class"),
        () => {},
      );
    }
  });

  /** Sends to one socket; a socket that cannot take it is dropped. */
  function peerOf(ws: WebSocket): ClassPeer {
    return {
      send: (text) => {
        if (ws.readyState !== ws.OPEN) return;
        // A client that does not read is dropped, not buffered for.
        if (ws.bufferedAmount > MAX_BUFFERED) return void ws.terminate();
        ws.send(text, (err) => err && ws.terminate());
      },
      close: (code, reason) => {
        if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason);
      },
    };
  }
  const out = (m: ServerMessage) => JSON.stringify(m);

  function toStudents(session: ClassSession, text: string): void {
    for (const seat of session.seats.values()) seat.peer?.send(text);
  }
  function toTeachers(session: ClassSession, text: string): void {
    for (const t of session.teachers) t.send(text);
  }
  /**
   * The state to everyone: the teacher's whole copy to teachers, and to each student their
   * classroom's view, serialised once per classroom (five classrooms: five texts, not 200).
   */
  function broadcastState(session: ClassSession): void {
    const texts = new Map<string, string | null>();
    let last = lastViews.get(session);
    if (!last) lastViews.set(session, (last = new Map()));
    for (const seat of session.seats.values()) {
      if (!seat.peer) continue;
      let text = texts.get(seat.classroom);
      if (text === undefined) {
        text = out({ t: "state", state: classroomView(session.state, seat.classroom) });
        // A command to another classroom leaves this one's view as it was: nothing to send.
        if (last.get(seat.classroom) === text) text = null;
        else last.set(seat.classroom, text);
        texts.set(seat.classroom, text);
      }
      if (text !== null) seat.peer.send(text);
    }
    toTeachers(session, out({ t: "state", state: session.state }));
  }
  /**
   * Sends teachers a message made from the class as it is then, soon: changes within
   * ROSTER_EVERY_MS go in one message (forty students answering at once cost the teacher a few
   * messages, not forty). `timers` holds the one pending send per class of that kind.
   */
  function teachersSoon(timers: Map<ClassSession, NodeJS.Timeout>, session: ClassSession, message: () => ServerMessage | null): void {
    if (timers.has(session) || session.teachers.size === 0) return;
    timers.set(
      session,
      setTimeout(() => {
        timers.delete(session);
        const m = session.state.ended ? null : message();
        if (m) toTeachers(session, out(m));
      }, ROSTER_EVERY_MS),
    );
  }
  /** The roster, soon. */
  const rosterSoon = (session: ClassSession) => teachersSoon(rosterTimers, session, () => ({ t: "roster", students: registry.roster(session) }));
  /** How the class answers the question asked now, soon. */
  const answersSoon = (session: ClassSession) =>
    teachersSoon(answerTimers, session, () => {
      const result = registry.results(session);
      return result && { t: "answers", result };
    });

  /** Reads, size-checks, rate-limits and parses every message of one socket. */
  function receive(ws: WebSocket, onMessage: (raw: unknown) => void): void {
    let tokens = BURST;
    let last = Date.now();
    ws.on("message", (data: RawData, isBinary: boolean) => {
      const now = Date.now();
      tokens = Math.min(BURST, tokens + ((now - last) / 1000) * RATE);
      last = now;
      if (--tokens < 0) return ws.close(CLASS_CLOSE.RATE_LIMITED, "too many messages");
      const text = isBinary ? null : Buffer.isBuffer(data) ? data.toString("utf8") : Buffer.concat(data as Buffer[]).toString("utf8");
      if (text === null || text.length > MAX_CLASS_MESSAGE) return ws.close(CLASS_CLOSE.MALFORMED, "class messages are JSON text of at most 4 KB");
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        return ws.close(CLASS_CLOSE.MALFORMED, "not JSON");
      }
      onMessage(raw);
    });
    ws.on("error", () => ws.terminate());
  }

  function connectTeacher(ws: WebSocket, session: ClassSession): void {
    const peer = peerOf(ws);
    session.teachers.add(peer);
    peer.send(out({ t: "welcome", role: "teacher", you: { id: session.teacherId, nickname: session.teacherName }, state: session.state, pose: session.pose, watch: session.watch }));
    peer.send(out({ t: "roster", students: registry.roster(session) }));
    const result = registry.results(session);
    if (result) peer.send(out({ t: "answers", result }));
    receive(ws, (raw) => {
      const r = teacherMessage.safeParse(raw);
      if (!r.success) {
        const issue = r.error.issues[0];
        const field = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
        return peer.send(out({ t: "refused", reason: `not a class command: ${field}${issue?.message ?? "malformed"}` }));
      }
      const refusal = teacherCommand(session, r.data);
      if (refusal) peer.send(out({ t: "refused", reason: refusal }));
    });
    ws.on("close", () => {
      session.teachers.delete(peer);
      // The last teacher tab closed: students stop reporting where they are.
      if (session.teachers.size === 0 && session.watch) registry.emit({ e: "watch", id: session.id, on: false });
    });
  }

  /** Carries out a teacher's command; returns why it was refused, if it was. */
  function teacherCommand(session: ClassSession, m: TeacherMessage): string | null | void {
    if (session.state.ended) return;
    switch (m.t) {
      case "pose":
        // A presenting student leads "follow me" now: the teacher's own poses would fight theirs.
        if (session.state.presenting?.seat) return;
        return leaderPose(session, m.pose);
      case "mode":
        return forClassrooms(session, { mode: m.mode }, m.to);
      case "lock":
        return forClassrooms(session, { locked: m.locked }, m.to);
      case "highlight":
        return forClassrooms(session, { highlight: m.placement }, m.to);
      case "gather":
        return forClassrooms(session, { gather: true }, m.to);
      case "tour":
        return void registry.setState(session, (s) => ({ ...s, tour: m.index }));
      case "access":
        return void registry.setState(session, (s) => ({ ...s, access: m.profile }));
      case "watch":
        if (session.watch === m.on) return;
        return registry.emit({ e: "watch", id: session.id, on: m.on });
      case "lower-hand":
        return registry.lowerHand(session, m.student);
      case "remove":
        if (registry.remove(session, m.student)) log(`[class] ${session.id}: the teacher removed a student`);
        return;
      case "ask":
        return registry.ask(session, m.question);
      case "close-question":
        return void registry.setState(session, (s) => ({ ...s, question: null }));
      case "plan-step":
        return registry.planStep(session, m.index, m.question);
      case "group-assign":
        if (!session.seats.has(m.student)) return `student: no student "${m.student}" in this class`;
        return forGroups(session, (s) => assignToGroup(s, m.student, m.group));
      case "group-lock":
        return forGroups(session, (s) => lockGroups(s, m.locked, m.group));
      case "group-comment":
        return forGroups(session, (s) => commentOnGroup(s, m.group, m.text));
      case "group-choice":
        if ((session.state.groups ?? []).length === 0) return "the class has no groups yet";
        return void registry.setState(session, (s) => ({ ...s, groupChoice: m.open }));
      case "present":
        if (m.seat && !session.seats.has(m.seat)) return `seat: no student "${m.seat}" in this class`;
        return forGroups(session, (s) => presentGroup(s, m.group, m.seat ?? null));
      case "end":
        registry.end(session); // onEnd tells everyone and closes the sockets
        return;
    }
  }

  /** The leader's pose (the teacher's, or the presenting student's) to the class, at most TEACHER_POSE_HZ: a faster client's extra poses are dropped, not queued. */
  function leaderPose(session: ClassSession, pose: Pose): void {
    const now = Date.now();
    if (now - session.poseAt < (1000 / TEACHER_POSE_HZ) * 0.8) return;
    session.poseAt = now;
    registry.emit({ e: "pose", id: session.id, pose });
  }

  /** A group command (class-groups.ts): refused at once when it cannot apply, else applied to the state as it is then. */
  function forGroups(session: ClassSession, change: (state: ClassState) => ClassState | string): string | null {
    const now = change(session.state);
    if (typeof now === "string") return now;
    void registry.setState(session, (s) => {
      const next = change(s);
      return typeof next === "string" ? s : next;
    });
    return null;
  }

  /** A command to every classroom or to one (`to`); refused when the class has no such classroom. */
  function forClassrooms(session: ClassSession, command: ClassroomCommand, to: string | undefined): string | null {
    if (!applyClassroomCommand(session.state, command, to)) return `to: the class has no classroom "${to}"`;
    void registry.setState(session, (s) => applyClassroomCommand(s, command, to) ?? s);
    return null;
  }

  function connectStudent(ws: WebSocket, session: ClassSession, seat: Seat): void {
    const peer = peerOf(ws);
    // One socket per seat: a second tab takes the seat over.
    if (seat.peer) seat.peer.close(CLASS_CLOSE.REPLACED, "this seat was opened in another tab");
    seat.peer = peer;
    peer.send(out({ t: "welcome", role: "student", you: { id: seat.id, nickname: seat.nickname }, state: classroomView(session.state, seat.classroom), pose: session.pose, watch: session.watch }));
    registry.report(session, seat);
    let pingSent = 0;
    ws.on("pong", () => {
      if (pingSent === 0) return;
      seat.rttMs = Date.now() - pingSent;
      pingSent = 0;
    });
    const ping = setInterval(() => {
      if (pingSent !== 0) seat.rttMs = Date.now() - pingSent; // still waiting: at least this long
      else {
        pingSent = Date.now();
        ws.ping();
      }
    }, options.pingIntervalMs ?? 5000);
    receive(ws, (raw) => {
      const type = (raw as { t?: unknown } | null)?.t;
      if (typeof type === "string" && TEACHER_ONLY.has(type as TeacherMessage["t"])) {
        log(`[class] ${session.id}: refused "${type}" from a student: only the teacher leads the class`);
        return peer.send(out({ t: "refused", reason: `only the teacher can send "${type}"` }));
      }
      const r = studentMessage.safeParse(raw);
      if (!r.success) return peer.send(out({ t: "refused", reason: `not a student message: ${r.error.issues[0]?.message ?? "malformed"}` }));
      studentReport(session, seat, r.data);
    });
    ws.on("close", () => {
      clearInterval(ping);
      if (seat.peer !== peer) return; // replaced by a newer tab
      seat.peer = null;
      if (session.seats.get(seat.id) === seat) registry.report(session, seat);
    });
  }

  function studentReport(session: ClassSession, seat: Seat, m: StudentMessage): void {
    switch (m.t) {
      case "status":
        seat.device = m.device;
        seat.immersive = m.immersive;
        seat.idleSeconds = m.idleSeconds;
        seat.fps = m.fps;
        return registry.report(session, seat);
      case "hand":
        if (seat.handRaised === m.raised) return;
        seat.handRaised = m.raised;
        return registry.report(session, seat, true);
      case "where": {
        const now = Date.now();
        // Only while the teacher's map is open, and at most STUDENT_POSE_HZ.
        if (!session.watch || now - seat.whereAt < (1000 / STUDENT_POSE_HZ) * 0.8) return;
        seat.whereAt = now;
        seat.where = { room: m.room, x: m.x, z: m.z };
        return registry.report(session, seat);
      }
      case "group-choose": {
        const refusal = chooseGroup(session.state, seat.id, m.group);
        if (typeof refusal === "string") return void seat.peer?.send(out({ t: "refused", reason: refusal }));
        return void registry.setState(session, (s) => {
          const next = chooseGroup(s, seat.id, m.group);
          return typeof next === "string" ? s : next;
        });
      }
      case "lead":
        if (!leadsClass(session.state, seat.id)) return void seat.peer?.send(out({ t: "refused", reason: "only the teacher, or the student the teacher chose to present their group's show, leads the class" }));
        return leaderPose(session, m.pose);
      case "answer":
      case "answer-text": {
        const refusal = registry.answer(session, seat, m.question, m.t === "answer" ? { choice: m.choice } : { text: m.text });
        if (refusal) seat.peer?.send(out({ t: "refused", reason: refusal }));
        return;
      }
    }
  }

  // Every change of a class, made here or in another process, reaches this process's sockets here.
  registry.onApplied = (event, session, _local, seat) => {
    switch (event.e) {
      case "state":
        return broadcastState(session);
      case "pose":
        return toStudents(session, out({ t: "pose", pose: event.pose }));
      case "watch":
        toStudents(session, out({ t: "watch", on: event.on }));
        return rosterSoon(session);
      case "lower-hand":
        seat?.peer?.send(out({ t: "hand", raised: false }));
        return rosterSoon(session);
      case "removed":
        if (seat?.peer) {
          seat.peer.send(out({ t: "removed" }));
          seat.peer.close(CLASS_CLOSE.GONE, "removed by the teacher");
          seat.peer = null;
        }
        return rosterSoon(session);
      case "asked":
        broadcastState(session);
        return answersSoon(session);
      case "answer":
        seat?.peer?.send(out({ t: "answered", question: event.question, answer: event.answer }));
        return answersSoon(session);
      case "seat":
      case "report":
        return rosterSoon(session);
    }
  };
  registry.onEnd = (session) => {
    const ended = out({ t: "ended" });
    broadcastState(session);
    for (const seat of session.seats.values()) {
      seat.peer?.send(ended);
      seat.peer?.close(CLASS_CLOSE.GONE, "the class has ended");
      seat.peer = null;
    }
    toTeachers(session, ended);
    clearTimeout(rosterTimers.get(session));
    rosterTimers.delete(session);
    clearTimeout(answerTimers.get(session));
    answerTimers.delete(session);
    log(`[class] ${session.id}: ended; its students' nicknames are forgotten`);
  };
  const sweep = setInterval(() => registry.sweep(), 60_000);
  sweep.unref();

  return {
    handleUpgrade: onUpgrade,
    registry,
    close(): void {
      offChanges?.();
      registry.stop();
      clearInterval(sweep);
      for (const t of [...rosterTimers.values(), ...answerTimers.values()]) clearTimeout(t);
      rosterTimers.clear();
      answerTimers.clear();
      for (const c of wss.clients) c.terminate();
      wss.close();
    },
  };
}
