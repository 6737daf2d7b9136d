/** The one Yjs binding of the exhibition document. */
export * from "../shared/collab/exhibition-ydoc";
export * from "./exhibition-store";
export * from "./hooks";
export * from "./sync-client";
export * from "./undo-history";
export * from "./presence";
export * from "../shared/collab/comments";
export * from "../shared/collab/attribution";
