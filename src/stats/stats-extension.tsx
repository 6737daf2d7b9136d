import { useEffect, useRef, type ReactNode } from "react";
import { useExhibitionStore } from "../collab";
import type { DeviceClass, VisitReport } from "../shared/api/stats";
import type { Role } from "../shared/exhibition/permissions";
import { useLocalStore } from "../state/local-store";
import type { ViewerExtension } from "../viewer/extension";
import { onVisitEvent } from "../viewer/visit-events";
import { REPORT_INTERVAL_MS, VisitCounter } from "./visit-counter";
import { SurveyCard } from "./SurveyCard";

/** Whether the browser asked not to be tracked: Do Not Track, or Global Privacy Control. Then nothing is counted or sent. */
export function trackingRefused(): boolean {
  return navigator.doNotTrack === "1" || (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl === true;
}

/** The kind of device, from what the browser says of itself (a headset's browser, a coarse pointer and the screen's size). */
export function deviceClass(): DeviceClass {
  if (/OculusBrowser|Quest|Pico|Wolvic|VisionOS/i.test(navigator.userAgent)) return "headset";
  if (!matchMedia("(pointer: coarse)").matches) return "desktop";
  return Math.min(screen.width, screen.height) < 600 ? "phone" : "tablet";
}

/** Sends a report so that it arrives even as the page closes (keepalive), with a class student's seat. */
function sender(seat: string | null): (report: VisitReport) => void {
  return (report) =>
    void fetch("/api/visits", {
      method: "POST",
      keepalive: true,
      headers: { "content-type": "application/json", ...(seat ? { "x-atrium-seat": seat } : {}) },
      body: JSON.stringify(report),
    }).catch(() => {}); // statistics never trouble the visit
}

const counters = new Map<string, { counter: VisitCounter; holders: number }>();

/**
 * Counts a visitor's visit (issue 23): the view once the room is on show, close-ups and how long
 * each stayed open, annotations, audio guides, tours followed to the end, VR and AR sessions.
 * Only visitors are counted (not the show's own curators looking at it), and nobody whose
 * browser refuses tracking.
 */
function useVisitCounter(id: string, role: Role, seat: string | null): void {
  // The first-paint store is replaced by the live one: the same visit, so not a dependency.
  const store = useRef(useExhibitionStore());
  store.current = useExhibitionStore();
  useEffect(() => {
    if (role !== "viewer" || trackingRefused()) return;
    // One counter per show and page load, whatever React mounts and unmounts on the way (a
    // remounted wrapper must not count a second view).
    const key = `${id}\n${seat ?? ""}`;
    let held = counters.get(key);
    if (!held) counters.set(key, (held = { counter: new VisitCounter(id, deviceClass(), sender(seat)), holders: 0 }));
    held.holders++;
    const { counter } = held;
    const holder = held;
    let last = useLocalStore.getState();
    let completed = false;
    const seen = (s: typeof last) => {
      if (s.sceneReady && !last.sceneReady) counter.start(); // the view: the first report, at once
      if (s.mode === "inspect" && s.selected) counter.opened(s.selected);
      else if (last.mode === "inspect") counter.closed();
      if (s.mode === "tour" && last.mode !== "tour") {
        counter.tourStarted();
        completed = false;
      }
      const steps = store.current.getSnapshot().tour.length;
      if (s.mode === "tour" && !completed && steps > 0 && s.tourIndex === steps - 1) {
        counter.tourCompleted();
        completed = true;
      }
      if (s.immersive && s.immersive !== last.immersive) counter.immersive(s.immersive);
      last = s;
    };
    if (last.sceneReady) counter.start();
    const unsubscribe = useLocalStore.subscribe(seen);
    const unlisten = onVisitEvent((e) => {
      if (e.type === "annotation-opened") counter.annotationOpened(e.placement);
      else counter.audioPlayed(e.placement);
    });
    // Checked four times a minute; a report goes at most once a minute, and only with something in it.
    const timer = setInterval(() => counter.flush(), REPORT_INTERVAL_MS / 4);
    const onVisibility = () => (document.visibilityState === "hidden" ? counter.flush(true) : counter.resumed());
    const onHide = () => void counter.flush(true);
    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("pagehide", onHide);
    return () => {
      // Leaving the show within the app (or a remount): what is pending goes now. The counter is
      // forgotten unless the same show is mounted again at once (a remount): coming back to it
      // later from the list is a new view.
      counter.flush(true);
      counter.resumed();
      holder.holders--;
      setTimeout(() => holder.holders === 0 && counters.get(key) === holder && counters.delete(key), 0);
      clearInterval(timer);
      unsubscribe();
      unlisten();
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("pagehide", onHide);
    };
  }, [id, role, seat]);
}

const made = new Map<string | null, ViewerExtension>();
/**
 * The visit statistics' counter and the exit survey on a visit or embed page (a class student's
 * reports carry their seat; a class is not asked the survey). One extension per seat, made once: a new wrapper component would remount the viewer.
 */
export function statsExtension(seat: string | null): ViewerExtension {
  let e = made.get(seat);
  if (!e) {
    const CountVisit = ({ id, role, children }: { id: string; role: Role; children: ReactNode }) => {
      useVisitCounter(id, role, seat);
      return (
        <>
          {children}
          {/* Not in a class: the teacher leads that screen, a pop-up question would cut across the lesson. */}
          {role === "viewer" && !seat && <SurveyCard id={id} />}
        </>
      );
    };
    e = { name: "stats", Wrapper: CountVisit };
    made.set(seat, e);
  }
  return e;
}
