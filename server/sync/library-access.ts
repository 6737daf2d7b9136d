import * as Y from "yjs";
import { writeExhibition } from "../../src/shared/collab/exhibition-ydoc";
import type { ExhibitionLibrary } from "../exhibition-library";

/** Seeds a never-stored document from the exhibition file of the same id (cached per id). */
export function seedFromLibrary(library: ExhibitionLibrary): (doc: string) => Uint8Array | null {
  const cache = new Map<string, Uint8Array>();
  return (name) => {
    const entry = library.loaded.get(name);
    if (!entry) return null;
    let state = cache.get(name);
    if (!state) {
      const ydoc = new Y.Doc();
      writeExhibition(ydoc, entry.doc);
      state = Y.encodeStateAsUpdate(ydoc);
      ydoc.destroy();
      cache.set(name, state);
    }
    return state;
  };
}
