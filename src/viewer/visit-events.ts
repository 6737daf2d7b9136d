/**
 * What a visitor does that the local store does not hold (opening an annotation, playing an audio
 * guide), told to whoever listens: the visit statistics' counter (`src/stats/`), when the page
 * has one. The viewer only tells; with no listener this costs a loop over an empty set.
 */
export type VisitEvent =
  /** An annotation pin of an artefact was opened. */
  | { type: "annotation-opened"; placement: string }
  /** An audio guide started playing: an artefact's (its placement), or a tour step's (null). */
  | { type: "audio-played"; placement: string | null };

const listeners = new Set<(event: VisitEvent) => void>();

/** Tells every listener. */
export function tellVisit(event: VisitEvent): void {
  for (const l of listeners) l(event);
}

/** Listens until the returned function is called. */
export function onVisitEvent(listener: (event: VisitEvent) => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}
