/* eslint-disable @typescript-eslint/no-explicit-any -- Y.AbstractType is generic over its event type */
import * as Y from "yjs";
import { isCoTextName } from "../shared/collab/co-texts";
import { DOCUMENT_TYPES } from "../shared/collab/exhibition-ydoc";
import type { ExhibitionStore } from "./exhibition-store";

/** Can the user undo or redo right now (for the toolbar buttons)? */
export interface UndoState {
  canUndo: boolean;
  canRedo: boolean;
}

/**
 * Per-user undo: a Y.UndoManager that tracks only the transactions this tab made with its own
 * origin. Undoing never reverts what someone else did, even in the same record map; if another
 * user has since changed the very record, their newer value is the one kept (Yjs only restores
 * what this user's change replaced).
 */
export class UndoHistory {
  private readonly manager: Y.UndoManager;
  private readonly ydoc: Y.Doc;
  private readonly onTransaction: () => void;
  private state: UndoState = { canUndo: false, canRedo: false };
  private readonly listeners = new Set<() => void>();

  constructor(
    store: ExhibitionStore,
    /** The origin this tab's edits are applied with (`store.apply(op, origin)`). */
    readonly origin: unknown,
    /** Edits closer together than this merge into one undo step (typing a label). */
    captureTimeout = 600,
  ) {
    const ydoc = store.ydoc;
    const types: Y.AbstractType<any>[] = DOCUMENT_TYPES.map((name) => (name === "tourOrder" ? ydoc.getArray(name) : ydoc.getMap(name)));
    for (const name of ydoc.share.keys()) if (isCoTextName(name)) types.push(ydoc.getText(name));
    // Texts are top-level types made when first written: each joins the scope in the transaction
    // that makes it. This listener is registered before the manager's own, so the manager already
    // counts the new text when it looks at that transaction.
    let known = ydoc.share.size;
    this.onTransaction = () => {
      if (ydoc.share.size === known) return;
      known = ydoc.share.size;
      const fresh: Y.AbstractType<any>[] = [];
      for (const name of ydoc.share.keys()) if (isCoTextName(name)) fresh.push(ydoc.getText(name));
      this.manager.addToScope(fresh);
    };
    ydoc.on("afterTransaction", this.onTransaction);
    this.ydoc = ydoc;
    this.manager = new Y.UndoManager(types, { trackedOrigins: new Set([origin]), captureTimeout });
    const refresh = () => this.refresh();
    for (const e of ["stack-item-added", "stack-item-popped", "stack-cleared"] as const) this.manager.on(e, refresh);
  }

  private refresh(): void {
    const next = { canUndo: this.manager.undoStack.length > 0, canRedo: this.manager.redoStack.length > 0 };
    if (next.canUndo === this.state.canUndo && next.canRedo === this.state.canRedo) return;
    this.state = next;
    for (const l of this.listeners) l();
  }

  getState = (): UndoState => this.state;
  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  /** Ends the current undo step, so the next edit starts a new one (call after each tool command). */
  stopCapturing(): void {
    this.manager.stopCapturing();
  }

  /** Reverts this user's last step; false when there is none. */
  undo(): boolean {
    return this.manager.undo() !== null;
  }

  redo(): boolean {
    return this.manager.redo() !== null;
  }

  destroy(): void {
    this.ydoc.off("afterTransaction", this.onTransaction);
    this.manager.destroy();
    this.listeners.clear();
  }
}
