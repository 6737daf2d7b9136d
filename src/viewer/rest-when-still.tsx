import { useFrame, useThree } from "@react-three/fiber";
import { useEffect } from "react";
import { useExhibitionStore } from "../collab";
import { useLocalStore } from "../state/local-store";
import { usePreferences } from "../state/preferences";
import { frameRest, HEARTBEAT_MS } from "./frame-rest";

/** What the visitor does that may change the picture: each wakes the view (`frame-rest.ts`). */
const WAKING_EVENTS = ["pointerdown", "pointermove", "pointerup", "wheel", "keydown", "keyup", "touchstart", "touchmove", "input", "change", "resize", "focus"] as const;

/**
 * The canvas's side of {@link frameRest}: with the canvas on `frameloop="demand"`, asks for the
 * next frame while awake, wakes on input and on changes of the document, the local state and the
 * preferences, and beats while resting. A frame after a rest measures its time from the wake, not
 * from the last frame drawn (a walk does not leap by the rest's length).
 */
export function RestWhenStill() {
  const invalidate = useThree((s) => s.invalidate);
  const clock = useThree((s) => s.clock);
  const store = useExhibitionStore();
  useEffect(() => {
    const detach = frameRest.attach(() => {
      clock.getDelta();
      invalidate();
    });
    const wake = () => frameRest.wake();
    for (const type of WAKING_EVENTS) window.addEventListener(type, wake, { capture: true, passive: true });
    document.addEventListener("visibilitychange", wake);
    const unsubscribe = [store.subscribe(wake), useLocalStore.subscribe(wake), usePreferences.subscribe(wake)];
    const beat = setInterval(() => frameRest.beat(), HEARTBEAT_MS);
    frameRest.wake();
    return () => {
      detach();
      for (const type of WAKING_EVENTS) window.removeEventListener(type, wake, { capture: true });
      document.removeEventListener("visibilitychange", wake);
      for (const off of unsubscribe) off();
      clearInterval(beat);
    };
  }, [invalidate, clock, store]);
  useFrame(() => {
    if (frameRest.frameDrawn()) invalidate();
  });
  return null;
}
