import { z } from "zod";

/**
 * The class-session channel (`/class/<session-id>`): small JSON messages, validated with zod on
 * both ends. A dedicated channel rather than Yjs awareness because awareness relays every
 * client's state to every other client (40 students × 40 receivers) and cannot tell the teacher's
 * fields from a student's; here the server decides who may send what and sends each message
 * only to those who need it (measured in BENCHMARKS.md, "Class sessions").
 */

/** Largest class message accepted, in bytes (a roster of 60 is the largest server message). */
export const MAX_CLASS_MESSAGE = 4096;
/** The teacher's pose is sent at most this often (Hz); the server drops faster poses. */
export const TEACHER_POSE_HZ = 10;
/** Students report where they are at this rate, and only while the teacher's roster map is open. */
export const STUDENT_POSE_HZ = 1;
/** Status (device, idle, frame rate) is reported at most this often. */
export const STATUS_SECONDS = 5;
/** A student with no input for this long shows as idle. */
export const IDLE_SECONDS = 60;
/** A round trip longer than this (ms) shows the student as lagging. */
export const LAGGING_MS = 400;

/** Join codes: 6 characters without look-alikes (no 0/O, 1/I/L), read aloud in a classroom. */
export const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const CODE_LENGTH = 6;
export const joinCode = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, "").toUpperCase())
  .pipe(z.string().regex(new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`), `a class code is ${CODE_LENGTH} letters and digits, like "7KQ2MX"`));

/** A student's nickname: what the roster shows; nothing else about a student is asked or kept. */
export const nickname = z
  .string()
  .transform((s) => s.trim().replace(/\s+/g, " "))
  .pipe(z.string().min(1, "type a nickname").max(24, "a nickname has at most 24 characters"));

const finite = z.number().finite();
const vec3 = z.tuple([finite, finite, finite]);
const quat = z.tuple([finite, finite, finite, finite]);
const id = z.string().min(1).max(64);

export const deviceKind = z.enum(["desktop", "handheld", "headset"]);
export type DeviceKind = z.infer<typeof deviceKind>;

/** What every student's view is doing, as the teacher set it. */
export const classMode = z.enum(["free", "follow"]);
export type ClassMode = z.infer<typeof classMode>;

/**
 * Access settings a teacher gives the whole class (a class of younger pupils: larger text, no camera
 * glides): each student's page takes them as its own preferences, which the student may change again.
 */
export const accessProfile = z.object({
  reducedMotion: z.boolean(),
  textSize: z.union([z.literal(1), z.literal(1.25), z.literal(1.5)]),
  highContrast: z.boolean(),
  captions: z.boolean(),
});
export type AccessProfile = z.infer<typeof accessProfile>;

/** The class's shared state: the server holds it; only the teacher changes it. */
export const classState = z.object({
  id,
  exhibition: id,
  teacher: z.string(),
  mode: classMode,
  /** Students cannot walk, teleport or change rooms. */
  locked: z.boolean(),
  /** Placement everyone is shown (spotlight and pointer), or null. */
  highlight: id.nullable(),
  /** Tour step everyone is on, or null when not touring. */
  tour: z.number().int().min(0).nullable(),
  /** Increases with every "gather": students move next to the teacher once per increase. */
  gather: z.number().int().min(0),
  ended: z.boolean(),
  /** Access settings the teacher gave the class, or none (absent in classes started before there were any). */
  access: accessProfile.nullable().optional(),
});
export type ClassState = z.infer<typeof classState>;

/** A pose: room, eye position and orientation (quaternion). */
export const pose = z.object({ room: id, p: vec3, q: quat });
export type Pose = z.infer<typeof pose>;

/** One row of the teacher's roster. */
export const rosterEntry = z.object({
  id,
  nickname: z.string(),
  connected: z.boolean(),
  device: deviceKind.nullable(),
  immersive: z.boolean(),
  /** Round trip to the server, ms (null until measured). */
  rttMs: z.number().nullable(),
  /** Seconds since the student last touched anything. */
  idleSeconds: z.number(),
  /** Frames per second the student's view draws (null until reported). */
  fps: z.number().nullable(),
  handRaised: z.boolean(),
  /** Where the student is (only while the teacher's roster map is open). */
  where: z.object({ room: id, x: finite, z: finite }).nullable(),
});
export type RosterEntry = z.infer<typeof rosterEntry>;

/** Messages only the teacher may send. */
export const teacherMessage = z.discriminatedUnion("t", [
  z.object({ t: z.literal("pose"), pose }),
  z.object({ t: z.literal("mode"), mode: classMode }),
  z.object({ t: z.literal("lock"), locked: z.boolean() }),
  z.object({ t: z.literal("highlight"), placement: id.nullable() }),
  z.object({ t: z.literal("tour"), index: z.number().int().min(0).max(999).nullable() }),
  z.object({ t: z.literal("gather") }),
  z.object({ t: z.literal("access"), profile: accessProfile.nullable() }),
  z.object({ t: z.literal("remove"), student: id }),
  z.object({ t: z.literal("lower-hand"), student: id }),
  z.object({ t: z.literal("watch"), on: z.boolean() }),
  z.object({ t: z.literal("end") }),
]);
export type TeacherMessage = z.infer<typeof teacherMessage>;

/** Messages a student sends. */
export const studentMessage = z.discriminatedUnion("t", [
  z.object({ t: z.literal("status"), device: deviceKind, immersive: z.boolean(), idleSeconds: z.number().min(0).max(1e6), fps: z.number().min(0).max(1000).nullable() }),
  z.object({ t: z.literal("hand"), raised: z.boolean() }),
  z.object({ t: z.literal("where"), room: id, x: finite, z: finite }),
]);
export type StudentMessage = z.infer<typeof studentMessage>;

/** Message types reserved for the teacher: a student sending one is refused by the server. */
export const TEACHER_ONLY = new Set(teacherMessage.options.map((o) => o.shape.t.value));

/** What the server sends, validated by clients (the network is a boundary both ways). */
export const serverMessage = z.discriminatedUnion("t", [
  z.object({ t: z.literal("welcome"), role: z.enum(["teacher", "student"]), you: z.object({ id: z.string(), nickname: z.string() }), state: classState, pose: pose.nullable(), watch: z.boolean() }),
  z.object({ t: z.literal("state"), state: classState }),
  z.object({ t: z.literal("pose"), pose }),
  z.object({ t: z.literal("roster"), students: z.array(rosterEntry) }),
  z.object({ t: z.literal("watch"), on: z.boolean() }),
  z.object({ t: z.literal("hand"), raised: z.boolean() }),
  z.object({ t: z.literal("refused"), reason: z.string() }),
  z.object({ t: z.literal("ended") }),
  z.object({ t: z.literal("removed") }),
]);

/** What the server sends. */
export type ServerMessage =
  | { t: "welcome"; role: "teacher" | "student"; you: { id: string; nickname: string }; state: ClassState; pose: Pose | null; watch: boolean }
  | { t: "state"; state: ClassState }
  | { t: "pose"; pose: Pose }
  | { t: "roster"; students: RosterEntry[] }
  | { t: "watch"; on: boolean }
  | { t: "hand"; raised: boolean }
  | { t: "refused"; reason: string }
  | { t: "ended" }
  | { t: "removed" };

/** Close codes of the class channel (4400-4499: final, do not reconnect). */
export const CLASS_CLOSE = {
  MALFORMED: 4400,
  /** Unknown, removed, or expired seat; or the class ended. */
  GONE: 4410,
  /** The same seat connected again elsewhere (a second tab). */
  REPLACED: 4409,
  /** The teacher's sign-in ended (signed out, or the account changed). */
  SIGNED_OUT: 4401,
  RATE_LIMITED: 4529,
} as const;

/** Answer of `POST /api/classes` (the teacher) and `GET /api/classes/<id>`. */
export interface ClassInfo {
  id: string;
  exhibition: string;
  code: string;
  /** The join link students open (also in the QR code). */
  link: string;
  /** When the join code stops admitting new students (ISO time). */
  codeExpiresAt: string;
  maxStudents: number;
  ended: boolean;
}

/** Answer of `POST /api/classes/join` (a student). */
export interface JoinAnswer {
  session: string;
  exhibition: string;
  /** The student's seat: a secret that lets this tab into the class and the exhibition. */
  token: string;
  nickname: string;
  teacher: string;
}
