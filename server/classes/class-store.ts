import pg from "pg";
import { inTransaction, openMigratedPool } from "../db/postgres-migrations";
import type { Answer, ClassQuestion, ClassState } from "../../src/shared/class-protocol";
import { classroomsOf } from "../../src/shared/class-classrooms";

/** An answer as kept: with the classroom it came from (absent in classes started before there were several). */
export type KeptAnswer = Answer & { classroom?: string };

/** A question asked in a class and its answers, by seat id (a random id, never a name). */
export interface AskedQuestion {
  question: ClassQuestion;
  answers: Record<string, KeptAnswer>;
}

/** A class session as stored: what must outlive a process (no sockets, no live reports). */
export interface ClassRecord {
  /** `class-` and 12 letters or digits. */
  id: string;
  code: string;
  exhibition: string;
  teacherId: string;
  teacherName: string;
  createdAt: number;
  codeExpiresAt: number;
  endedAt: number | null;
  state: ClassState;
  /** How many students joined (a count is all the lesson sheet keeps). */
  joined: number;
  /** Questions asked, in order, with their answers by seat id (the lesson sheet shows counts and texts only). */
  questions: AskedQuestion[];
}

/** A student's seat as stored. */
export interface SeatRecord {
  id: string;
  token: string;
  nickname: string;
  handRaised: boolean;
  /** The classroom whose code the student joined with ("r1" for seats stored before there were several). */
  classroom: string;
}

/**
 * Where the scaled mode keeps class sessions (`ClassRegistry` keeps them in memory and writes
 * through to this): a class goes on when its process restarts, and any process can admit its
 * students. The embedded default has none (a class lives in its one process).
 */
export interface ClassStore {
  /** Stores a new class; false when another live class took its code meanwhile. */
  insert(c: ClassRecord): Promise<boolean>;
  /** Every class not ended, with its seats (a process starting up). */
  live(): Promise<{ record: ClassRecord; seats: SeatRecord[] }[]>;
  /** One class with its seats (ended ones too: their codes say "ended"). */
  byId(id: string): Promise<{ record: ClassRecord; seats: SeatRecord[] } | null>;
  /** The newest class with this code. */
  byCode(code: string): Promise<{ record: ClassRecord; seats: SeatRecord[] } | null>;
  /** The class a seat token belongs to. */
  bySeat(token: string): Promise<{ record: ClassRecord; seats: SeatRecord[] } | null>;
  /**
   * Adds a seat, all or nothing across processes: refused when the class is full or no longer
   * admits; the nickname made unique in the class ("Mei 2"). Returns the nickname given.
   */
  addSeat(classId: string, seat: Omit<SeatRecord, "handRaised">, maxStudents: number): Promise<{ nickname: string } | "full" | "gone">;
  /** Gives a classroom added to a running class its code; false when a live class took the code meanwhile. */
  addCode(classId: string, classroom: string, code: string, at: number): Promise<boolean>;
  removeSeat(classId: string, seatId: string): Promise<void>;
  setHand(classId: string, seatId: string, raised: boolean): Promise<void>;
  saveState(classId: string, state: ClassState): Promise<void>;
  /** Adds a question (the next in `questions`) and puts it on students' screens (`state`). */
  addQuestion(classId: string, question: ClassQuestion, state: ClassState): Promise<void>;
  /** Keeps a student's answer to question number `index` (0-based), replacing an earlier one. */
  setAnswer(classId: string, index: number, seatId: string, answer: KeptAnswer): Promise<void>;
  /** Ends a class: its seats (nicknames, tokens) are deleted; the record stays for its lesson sheet. */
  end(classId: string, state: ClassState, at: number): Promise<void>;
  /** Deletes classes that ended before `before`. */
  forget(before: number): Promise<void>;
  close(): Promise<void>;
}

type Row = { id: string; code: string; exhibition: string; teacher_id: string; teacher_name: string; created_at: string; code_expires_at: string; ended_at: string | null; state: ClassState; joined: number; questions: AskedQuestion[] };

const record = (r: Row): ClassRecord => ({
  id: r.id,
  code: r.code,
  exhibition: r.exhibition,
  teacherId: r.teacher_id,
  teacherName: r.teacher_name,
  createdAt: Number(r.created_at),
  codeExpiresAt: Number(r.code_expires_at),
  endedAt: r.ended_at === null ? null : Number(r.ended_at),
  state: r.state,
  joined: r.joined,
  questions: r.questions ?? [],
});

/** Class sessions in PostgreSQL (schema step 2 of `postgres-migrations.ts`). */
export class PostgresClassStore implements ClassStore {
  private constructor(private readonly pool: pg.Pool) {}

  static async open(url: string): Promise<PostgresClassStore> {
    return new PostgresClassStore(await openMigratedPool(url));
  }

  async insert(c: ClassRecord): Promise<boolean> {
    const client = await this.pool.connect();
    const taken = new Error("a code is taken");
    try {
      // All or nothing: the class with every classroom's code, or nothing when a live class holds one of them.
      return await inTransaction(client, async () => {
        const r = await client.query(
          `INSERT INTO class_sessions (id, code, exhibition, teacher_id, teacher_name, created_at, code_expires_at, ended_at, state, joined)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
          [c.id, c.code, c.exhibition, c.teacherId, c.teacherName, c.createdAt, c.codeExpiresAt, c.endedAt, JSON.stringify(c.state), c.joined],
        );
        if (r.rowCount !== 1) throw taken;
        for (const room of classroomsOf(c.state, c.code)) {
          const k = await client.query("INSERT INTO class_codes (code, session, classroom, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING", [room.code, c.id, room.id, c.createdAt]);
          if (k.rowCount !== 1) throw taken;
        }
        return true;
      });
    } catch (e) {
      if (e === taken) return false;
      throw e;
    } finally {
      client.release();
    }
  }

  async addCode(classId: string, classroom: string, code: string, at: number): Promise<boolean> {
    const r = await this.pool.query("INSERT INTO class_codes (code, session, classroom, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING", [code, classId, classroom, at]);
    return r.rowCount === 1;
  }

  private async withSeats(rows: Row[]): Promise<{ record: ClassRecord; seats: SeatRecord[] }[]> {
    if (rows.length === 0) return [];
    const seats = await this.pool.query<{ session: string; id: string; token: string; nickname: string; hand_raised: boolean; classroom: string }>(
      "SELECT session, id, token, nickname, hand_raised, classroom FROM class_seats WHERE session = ANY($1) ORDER BY seq",
      [rows.map((r) => r.id)],
    );
    return rows.map((r) => ({
      record: record(r),
      seats: seats.rows.filter((s) => s.session === r.id).map((s) => ({ id: s.id, token: s.token, nickname: s.nickname, handRaised: s.hand_raised, classroom: s.classroom })),
    }));
  }

  async live() {
    return this.withSeats((await this.pool.query<Row>("SELECT * FROM class_sessions WHERE ended_at IS NULL")).rows);
  }
  async byId(id: string) {
    return (await this.withSeats((await this.pool.query<Row>("SELECT * FROM class_sessions WHERE id = $1", [id])).rows))[0] ?? null;
  }
  async byCode(code: string) {
    // Any classroom's code: the newest class that gave it out.
    const rows = await this.pool.query<Row>("SELECT c.* FROM class_codes k JOIN class_sessions c ON c.id = k.session WHERE k.code = $1 ORDER BY k.created_at DESC LIMIT 1", [code]);
    return (await this.withSeats(rows.rows))[0] ?? null;
  }
  async bySeat(token: string) {
    const rows = (await this.pool.query<Row>("SELECT c.* FROM class_sessions c JOIN class_seats s ON s.session = c.id WHERE s.token = $1", [token])).rows;
    return (await this.withSeats(rows))[0] ?? null;
  }

  async addSeat(classId: string, seat: Omit<SeatRecord, "handRaised">, maxStudents: number): Promise<{ nickname: string } | "full" | "gone"> {
    const client = await this.pool.connect();
    try {
      return await inTransaction(client, async () => {
        // The class row is locked: two processes admitting its last seat take turns.
        const c = (await client.query<{ ended_at: string | null }>("SELECT ended_at FROM class_sessions WHERE id = $1 FOR UPDATE", [classId])).rows[0];
        if (!c || c.ended_at !== null) return "gone" as const;
        const seats = (await client.query<{ nickname: string; classroom: string }>("SELECT nickname, classroom FROM class_seats WHERE session = $1", [classId])).rows;
        // Full per classroom; nicknames unique in the whole class (the teacher's one roster).
        if (seats.filter((s) => s.classroom === seat.classroom).length >= maxStudents) return "full" as const;
        const taken = new Set(seats.map((s) => s.nickname.toLowerCase()));
        let nickname = seat.nickname;
        for (let n = 2; taken.has(nickname.toLowerCase()); n++) nickname = `${seat.nickname} ${n}`;
        await client.query("INSERT INTO class_seats (token, id, session, nickname, classroom) VALUES ($1, $2, $3, $4, $5)", [seat.token, seat.id, classId, nickname, seat.classroom]);
        await client.query("UPDATE class_sessions SET joined = joined + 1 WHERE id = $1", [classId]);
        return { nickname };
      });
    } finally {
      client.release();
    }
  }

  async removeSeat(classId: string, seatId: string): Promise<void> {
    await this.pool.query("DELETE FROM class_seats WHERE session = $1 AND id = $2", [classId, seatId]);
  }
  async setHand(classId: string, seatId: string, raised: boolean): Promise<void> {
    await this.pool.query("UPDATE class_seats SET hand_raised = $3 WHERE session = $1 AND id = $2", [classId, seatId, raised]);
  }
  async saveState(classId: string, state: ClassState): Promise<void> {
    await this.pool.query("UPDATE class_sessions SET state = $2 WHERE id = $1 AND ended_at IS NULL", [classId, JSON.stringify(state)]);
  }
  async addQuestion(classId: string, question: ClassQuestion, state: ClassState): Promise<void> {
    await this.pool.query("UPDATE class_sessions SET questions = questions || $2::jsonb, state = $3 WHERE id = $1 AND ended_at IS NULL", [classId, JSON.stringify([{ question, answers: {} }]), JSON.stringify(state)]);
  }
  async setAnswer(classId: string, index: number, seatId: string, answer: KeptAnswer): Promise<void> {
    // Only this answer is written (jsonb_set), not the whole list of questions.
    await this.pool.query("UPDATE class_sessions SET questions = jsonb_set(questions, ARRAY[$2::text, 'answers', $3::text], $4::jsonb) WHERE id = $1 AND ended_at IS NULL", [classId, index, seatId, JSON.stringify(answer)]);
  }
  async end(classId: string, state: ClassState, at: number): Promise<void> {
    const client = await this.pool.connect();
    try {
      await inTransaction(client, async () => {
        await client.query("UPDATE class_sessions SET state = $2, ended_at = $3 WHERE id = $1 AND ended_at IS NULL", [classId, JSON.stringify(state), at]);
        await client.query("DELETE FROM class_seats WHERE session = $1", [classId]);
        // Its codes stay (an ended class's code says "ended") but no longer hold: a new class may draw them.
        await client.query("UPDATE class_codes SET live = FALSE WHERE session = $1", [classId]);
      });
    } finally {
      client.release();
    }
  }
  async forget(before: number): Promise<void> {
    await this.pool.query("DELETE FROM class_sessions WHERE ended_at IS NOT NULL AND ended_at < $1", [before]);
  }
  close(): Promise<void> {
    return this.pool.end();
  }
}
