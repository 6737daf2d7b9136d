import { createContext, useContext } from "react";
import type { StudentMessage, TeacherMessage } from "../shared/class-protocol";
import type { ClassConnection } from "./class-connection";

/**
 * This page's end of the class channel (one per class page, provided by the class extension, no
 * module-level state): the open connection the panels' buttons and the scene's reports send on,
 * and the activity the "idle" figure and the frame rate are worked out from.
 */
export class ClassChannel {
  /** The open connection, while the class link holds one. */
  connection: ClassConnection | null = null;
  /** Last input or movement (ms, `performance.now()`), and frames drawn, for a student's status. */
  readonly activity = { last: performance.now(), frames: 0 };
  /** Sends a command or report (dropped while disconnected). */
  send = (m: TeacherMessage | StudentMessage): void => {
    this.connection?.send(m);
  };
}

/** The class page's channel. */
export const ClassChannelContext = createContext<ClassChannel | null>(null);

/** The class page's channel; only inside the class extension. */
export function useClassChannel(): ClassChannel {
  const channel = useContext(ClassChannelContext);
  if (!channel) throw new Error("useClassChannel outside the class extension");
  return channel;
}
