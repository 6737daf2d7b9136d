import { useSyncExternalStore } from "react";
import type { Peer, Presence, UndoHistory } from "../collab";
import { OperationError } from "../shared/exhibition";
import { refusalMessage } from "../i18n/refusals";
import { useLocalStore } from "../state/local-store";
import { RefusedError } from "./editor";
import { useStudioNotice } from "./studio-store";

/** Everyone else in this exhibition right now. */
export function usePeers(presence: Presence | undefined): Peer[] {
  return useSyncExternalStore(presence?.subscribe ?? noSubscribe, presence?.peers ?? noPeers);
}
const noSubscribe = () => () => {};
const none: Peer[] = [];
const noPeers = () => none;

/** Can the user undo/redo now? */
export function useUndoState(history: UndoHistory | undefined) {
  return useSyncExternalStore(history?.subscribe ?? noSubscribe, history?.getState ?? noUndo);
}
const noUndoState = { canUndo: false, canRedo: false };
const noUndo = () => noUndoState;

/** Reports a refused command where the user is looking (the studio's status line), in the interface language. */
export function reportRefusal(e: unknown): void {
  const message = e instanceof RefusedError ? refusalMessage(useLocalStore.getState().language, e.refusal, e.museums) : e instanceof OperationError ? e.message : e instanceof Error ? e.message : String(e);
  useStudioNotice.getState().show(message);
}

/** Runs a studio command; a refusal is shown in the notice line instead of thrown into React. */
export function attempt(command: () => void): void {
  try {
    command();
  } catch (e) {
    reportRefusal(e);
  }
}
