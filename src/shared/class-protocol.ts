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

/** Sizes of a question asked at a tour stop (what fits a phone's screen and a VR panel). */
export const QUESTION_LIMITS = { prompt: 300, option: 80, minOptions: 2, maxOptions: 6, answer: 280, perClass: 20 } as const;

const questionText = (max: number, what: string) =>
  z
    .string()
    .transform((s) => s.trim().replace(/\s+/g, " "))
    .pipe(z.string().min(1, `type the ${what}`).max(max, `a ${what} has at most ${max} characters`));

/**
 * A question as the teacher writes it: several choices (2-6) or a short answer. The server gives
 * it an id and the tour step it was asked at.
 */
export const questionDraft = z
  .object({
    kind: z.enum(["choice", "text"]),
    prompt: questionText(QUESTION_LIMITS.prompt, "question"),
    options: z.array(questionText(QUESTION_LIMITS.option, "choice")).max(QUESTION_LIMITS.maxOptions, `at most ${QUESTION_LIMITS.maxOptions} choices`),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.kind === "choice" && q.options.length < QUESTION_LIMITS.minOptions) ctx.addIssue({ code: "custom", path: ["options"], message: `a multiple-choice question needs at least ${QUESTION_LIMITS.minOptions} choices` });
    if (q.kind === "text" && q.options.length > 0) ctx.addIssue({ code: "custom", path: ["options"], message: "a short-answer question has no choices" });
  });
export type QuestionDraft = z.infer<typeof questionDraft>;

/** Question ids: "q1", "q2"... in the order asked. */
const questionId = z.string().regex(/^q\d{1,3}$/);

/** The question on students' screens. */
export const classQuestion = z.object({
  id: questionId,
  kind: z.enum(["choice", "text"]),
  prompt: z.string(),
  options: z.array(z.string()),
  /** The tour step everyone was on when it was asked, or null. */
  step: z.number().int().min(0).nullable(),
});
export type ClassQuestion = z.infer<typeof classQuestion>;

/** One student's answer: a choice's index or a short text. */
export type Answer = { choice: number } | { text: string };

/** How a class answered one question, without names: the teacher's live view and the lesson sheet. */
export interface QuestionResult {
  question: ClassQuestion;
  /** Students who answered. */
  answered: number;
  /** Answers per choice (multiple choice; empty for short answers). */
  counts: number[];
  /** The short answers, oldest first, with no name (empty for multiple choice). */
  texts: string[];
}

/**
 * Several classrooms in one class (one teacher, several schools): each classroom has its own join
 * code and roster; the tour, the questions and the lesson plan are the class's, while following,
 * the lock, the highlight and gathering can be set for one classroom alone.
 */
export const CLASSROOM_LIMITS = { perClass: 8, name: 40 } as const;
/** Classroom ids: "r1", "r2"... in the order the teacher added them. */
export const classroomId = z.string().regex(/^r[1-9]$/, 'a classroom id is "r1" to "r8"');
/** A classroom's name as the teacher types it ("Lanyu Junior High, 7B"); may be empty for the first. */
export const classroomName = z
  .string()
  .transform((s) => s.trim().replace(/\s+/g, " "))
  .pipe(z.string().max(CLASSROOM_LIMITS.name, `a classroom's name has at most ${CLASSROOM_LIMITS.name} characters`));
/** A classroom as the class state carries it: its code and code expiry only in the teacher's copy. */
export const classroom = z.object({ id: classroomId, name: z.string(), code: z.string().optional(), codeExpiresAt: z.number().optional() });
export type Classroom = z.infer<typeof classroom>;
/** What one classroom does differently from the class (absent: as the class). `gather` counts its own gatherings. */
export const classroomSettings = z.object({ mode: classMode.optional(), locked: z.boolean().optional(), highlight: id.nullable().optional(), gather: z.number().int().min(0).optional() }).strict();
export type ClassroomSettings = z.infer<typeof classroomSettings>;

/**
 * Groups that curate their own shows (co-curation): the teacher splits the class into groups, each
 * builds one small exhibition; a group's seats may edit its show (and no other) while the class
 * runs and the group is not locked. The one rule is `src/shared/class-groups.ts`.
 */
export const GROUP_LIMITS = { perClass: 12, name: 40, kitItems: 12, task: 300, comment: 300 } as const;
/** Group ids: "g1" to "g12", in the order the teacher made them. */
export const groupId = z.string().regex(/^g([1-9]|1[0-2])$/, 'a group id is "g1" to "g12"');
/** A group's name as the teacher types it ("Tea bowls"). */
export const groupName = z
  .string()
  .transform((s) => s.trim().replace(/\s+/g, " "))
  .pipe(z.string().min(1, "type a group name").max(GROUP_LIMITS.name, `a group's name has at most ${GROUP_LIMITS.name} characters`));
/** The teacher's note to a group ("Write a label for the bowl"); empty clears it. */
export const groupComment = z
  .string()
  .transform((s) => s.trim().replace(/\s+/g, " "))
  .pipe(z.string().max(GROUP_LIMITS.comment, `a comment has at most ${GROUP_LIMITS.comment} characters`));
/** One group as the class state carries it (every member sees it: seat ids, no nicknames). */
export const classGroup = z.object({
  id: groupId,
  name: z.string(),
  /** The group's own exhibition (the teacher owns it; its members edit it during the class). */
  show: id,
  /** Seat ids of its members. */
  members: z.array(id).max(500),
  /** Editing stopped by the teacher: the members still see the show. */
  locked: z.boolean(),
  /** The teacher's latest note to the group, or null. */
  comment: z.string().nullable(),
  /** The kit's task or question for the groups, or null. */
  task: z.string().nullable(),
  /** The teacher published the group's show to the class gallery. */
  published: z.boolean().optional(),
});
export type ClassGroup = z.infer<typeof classGroup>;

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
  /** The question students are asked now, or none (absent in classes started before questions). */
  question: classQuestion.nullable().optional(),
  /** The lesson plan the class runs (its id in the show's `lessonPlans`, and how many steps it had when the class started), or none. */
  plan: z.object({ id, steps: z.number().int().min(1) }).nullable().optional(),
  /** The plan's step the class is on (0-based), or null before the first. */
  planStep: z.number().int().min(0).nullable().optional(),
  /**
   * The classrooms (absent in classes started before there were several: one, "r1"). The teacher
   * gets every one with its code; a student only their own, without its code.
   */
  classrooms: z.array(classroom).max(CLASSROOM_LIMITS.perClass).optional(),
  /** Settings of single classrooms (the teacher's copy only; a student gets their classroom's applied). */
  settings: z.record(classroomId, classroomSettings).optional(),
  /** The groups curating their own shows, or none (absent in classes without groups). */
  groups: z.array(classGroup).max(GROUP_LIMITS.perClass).optional(),
  /** Students may choose their group themselves (until the teacher closes the choice). */
  groupChoice: z.boolean().optional(),
  /** The class gallery: the teacher's shared folder of the groups' published shows (its read-only link), once one is published. */
  gallery: z.object({ folder: z.string().max(40), link: z.string().max(100) }).nullable().optional(),
  /**
   * A group presents its show to the class: every seat reads it and the class's pages open it;
   * `seat` (one of the group's members) leads "follow me" in place of the teacher, or nobody does
   * (null: the teacher leads). Absent or null: the class is in its own show.
   */
  presenting: z.object({ group: groupId, seat: id.nullable() }).nullable().optional(),
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
  /** The classroom the student joined with its code. */
  classroom: classroomId.optional(),
});
export type RosterEntry = z.infer<typeof rosterEntry>;

/** Messages only the teacher may send. */
export const teacherMessage = z.discriminatedUnion("t", [
  z.object({ t: z.literal("pose"), pose }),
  /** `to`: one classroom only (absent: every classroom). */
  z.object({ t: z.literal("mode"), mode: classMode, to: classroomId.optional() }),
  z.object({ t: z.literal("lock"), locked: z.boolean(), to: classroomId.optional() }),
  z.object({ t: z.literal("highlight"), placement: id.nullable(), to: classroomId.optional() }),
  z.object({ t: z.literal("tour"), index: z.number().int().min(0).max(999).nullable() }),
  z.object({ t: z.literal("gather"), to: classroomId.optional() }),
  z.object({ t: z.literal("access"), profile: accessProfile.nullable() }),
  z.object({ t: z.literal("remove"), student: id }),
  z.object({ t: z.literal("lower-hand"), student: id }),
  z.object({ t: z.literal("watch"), on: z.boolean() }),
  z.object({ t: z.literal("ask"), question: questionDraft }),
  z.object({ t: z.literal("close-question") }),
  /** Moves the class to a step of its lesson plan, asking the step's question (in the teacher's language) if it has one. */
  z.object({ t: z.literal("plan-step"), index: z.number().int().min(0).max(99), question: questionDraft.optional() }).strict(),
  /** Puts a student into a group (null: into none). */
  z.object({ t: z.literal("group-assign"), student: id, group: groupId.nullable() }).strict(),
  /** Stops (or allows again) editing of one group's show, or of every group's (`group` absent). */
  z.object({ t: z.literal("group-lock"), locked: z.boolean(), group: groupId.optional() }).strict(),
  z.object({ t: z.literal("group-comment"), group: groupId, text: groupComment }).strict(),
  /** Opens or closes students' own choice of group. */
  z.object({ t: z.literal("group-choice"), open: z.boolean() }).strict(),
  /** A group presents its show, led by one of its members (`seat`) or by the teacher; `group: null` brings the class back to its own show. */
  z.object({ t: z.literal("present"), group: groupId.nullable(), seat: id.nullable().optional() }).strict(),
  z.object({ t: z.literal("end") }),
]);
export type TeacherMessage = z.infer<typeof teacherMessage>;

/** Messages a student sends. */
export const studentMessage = z.discriminatedUnion("t", [
  z.object({ t: z.literal("status"), device: deviceKind, immersive: z.boolean(), idleSeconds: z.number().min(0).max(1e6), fps: z.number().min(0).max(1000).nullable() }),
  z.object({ t: z.literal("hand"), raised: z.boolean() }),
  z.object({ t: z.literal("where"), room: id, x: finite, z: finite }),
  /** An answer to the question asked now (the last one a student sends counts). */
  z.object({ t: z.literal("answer"), question: questionId, choice: z.number().int().min(0).max(QUESTION_LIMITS.maxOptions - 1) }).strict(),
  z.object({ t: z.literal("answer-text"), question: questionId, text: questionText(QUESTION_LIMITS.answer, "answer") }).strict(),
  /** Joins a group while the teacher lets students choose. */
  z.object({ t: z.literal("group-choose"), group: groupId }).strict(),
  /** The presenting student's pose (only theirs is accepted, at most TEACHER_POSE_HZ): the class follows it as it follows the teacher's. */
  z.object({ t: z.literal("lead"), pose }).strict(),
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
  z.object({ t: z.literal("answers"), result: z.object({ question: classQuestion, answered: z.number().int(), counts: z.array(z.number().int()), texts: z.array(z.string()) }) }),
  z.object({ t: z.literal("answered"), question: z.string(), answer: z.union([z.object({ choice: z.number().int() }), z.object({ text: z.string() })]) }),
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
  | { t: "removed" }
  /** To the teacher: how the class answers the question asked now (at most twice a second). */
  | { t: "answers"; result: QuestionResult }
  /** To a student: the answer the server keeps for them. */
  | { t: "answered"; question: string; answer: Answer };

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
  /** Most students in one classroom. */
  maxStudents: number;
  ended: boolean;
  /** Every classroom of the class, each with its own code, link (and QR code) and expiry; the first is the one above. */
  classrooms: ClassroomInfo[];
}

/** One classroom's way in, for its teacher. */
export interface ClassroomInfo {
  id: string;
  name: string;
  code: string;
  link: string;
  /** `GET` it for the join link's QR code (SVG). */
  qr: string;
  codeExpiresAt: string;
}

/** Answer of `POST /api/classes/join` (a student). */
export interface JoinAnswer {
  session: string;
  exhibition: string;
  /** The student's seat: a secret that lets this tab into the class and the exhibition. */
  token: string;
  /** The seat's id (as the roster and the groups name it). */
  seat: string;
  nickname: string;
  teacher: string;
}
