import { useLocalStore } from "../state/local-store";
import { artefactObjects } from "./artefact-registry";

/** How long a close-up asked for before its room is drawn may wait (then it is dropped). */
const WAIT_MS = 120_000;

/**
 * Opens an artefact's close-up as soon as its room is drawn and its object is in the scene (a
 * short link to it, an embedding page's request): the close-up frames the model, so it waits for
 * both. Checked once a frame (the object may already be there, with no store change to hear),
 * only until then; once, and never after `signal` aborted (the visitor left the page).
 */
export function inspectWhenReady(placement: string, signal: AbortSignal): void {
  const until = performance.now() + WAIT_MS;
  const check = () => {
    if (signal.aborted || performance.now() > until) return;
    const s = useLocalStore.getState();
    if (s.sceneReady && artefactObjects.has(placement)) s.inspect(placement);
    else requestAnimationFrame(check);
  };
  check();
}
