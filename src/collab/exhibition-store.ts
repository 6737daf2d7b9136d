import * as Y from "yjs";
import type { Exhibition } from "../shared/exhibition";
import { DocumentReader, writeDiff, writeExhibition } from "../shared/collab/exhibition-ydoc";

/** A pure document operation, as exported by `src/shared/exhibition/operations.ts`. */
export type DocumentOperation = (doc: Exhibition) => Exhibition;

/**
 * The exhibition a page shows: a Y.Doc plus a cached plain snapshot for React. Components read
 * the snapshot through selector hooks (`useExhibition`); tools change the document only through
 * `apply(operation)`, which writes the operation's diff into the Y.Doc in one transaction.
 * Remote updates (from the sync server, later) land in the same Y.Doc and refresh the snapshot.
 */
export class ExhibitionStore {
  private snapshot: Exhibition | null = null;
  private readonly reader: DocumentReader;
  private readonly listeners = new Set<() => void>();
  private readonly onUpdate = () => {
    this.snapshot = null;
    for (const l of this.listeners) l();
  };

  constructor(readonly ydoc: Y.Doc = new Y.Doc()) {
    this.reader = new DocumentReader(ydoc);
    ydoc.on("update", this.onUpdate);
  }

  /** A store whose Y.Doc holds `doc` (already validated by `parseExhibition`). */
  static fromDocument(doc: Exhibition): ExhibitionStore {
    const ydoc = new Y.Doc();
    writeExhibition(ydoc, doc, "load");
    return new ExhibitionStore(ydoc);
  }

  /** The current document. The same object until the Y.Doc changes. */
  getSnapshot = (): Exhibition => {
    if (!this.snapshot) this.snapshot = this.reader.read();
    return this.snapshot;
  };

  /** Calls `listener` after every change of the document, local or remote. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * Runs a pure operation on the current document and writes its result. Throws the operation's
   * `OperationError` without touching the Y.Doc when the operation refuses.
   */
  apply(operation: DocumentOperation, origin: unknown = "local"): Exhibition {
    const before = this.getSnapshot();
    const after = operation(before);
    writeDiff(this.ydoc, before, after, origin);
    return this.getSnapshot();
  }

  destroy(): void {
    this.ydoc.off("update", this.onUpdate);
    this.reader.destroy();
    this.listeners.clear();
  }
}
