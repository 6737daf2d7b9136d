import { create } from "zustand";
import type { Answer, ClassInfo, ClassState, QuestionResult, RosterEntry } from "../shared/class-protocol";
import type { LinkStatus } from "./class-connection";

/** How this tab takes part in a class. */
export type ClassRole = "teacher" | "student";

/**
 * The class as this tab knows it (presence scope: from the class channel, never persisted).
 * Changes a few times a minute; the teacher's pose, which changes ten times a second, is in
 * the page's `ClassGuide`, outside React.
 */
export interface ClassStoreState {
  role: ClassRole | null;
  session: string | null;
  me: { id: string; nickname: string } | null;
  state: ClassState | null;
  /** The teacher's view of the class (empty for students). */
  roster: RosterEntry[];
  /** The teacher's code, link and expiry (teacher only). */
  info: ClassInfo | null;
  /** The teacher's roster map is open (students then report where they are). */
  watch: boolean;
  handRaised: boolean;
  link: LinkStatus;
  /** Why the class stopped for this tab: ended, removed, refused... */
  closedReason: string | null;
  /** The last refusal from the server. */
  refused: string | null;
  /** How the class answers the question asked now (teacher only; no names). */
  answers: QuestionResult | null;
  /** The answer the server keeps for this student, and to which question. */
  myAnswer: { question: string; answer: Answer } | null;
}

export const useClassStore = create<ClassStoreState>()(() => ({
  role: null,
  session: null,
  me: null,
  state: null,
  roster: [],
  info: null,
  watch: false,
  handRaised: false,
  link: "connecting",
  closedReason: null,
  refused: null,
  answers: null,
  myAnswer: null,
}));

