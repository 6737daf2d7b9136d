import { useEffect, useRef } from "react";
import { useExhibition } from "../collab";
import type { TourStep } from "../shared/exhibition";
import { deviceClass } from "../shared/exhibition/tiers";
import { useLocalStore } from "../state/local-store";
import { goToTourStep } from "../viewer/panels/TourPanel";
import { connectClass, type ClassConnection } from "./class-connection";
import { slotFor } from "./class-moves";
import { STATUS_SECONDS, type ClassState, type ServerMessage, type StudentMessage, type TeacherMessage } from "../shared/class-protocol";
import { useClassStore } from "./class-store";
import { storedSeat } from "../state/class-seat";
import { useClassGuide } from "./class-guide";
import { useClassChannel } from "./class-channel";
import { api } from "../api/client";
import { classShowNow } from "../shared/class-groups";
import { navigate } from "../state/router";
import { frameRest } from "../viewer/frame-rest";

/**
 * Joins this tab to the class `session` on the visit page: a student when this tab holds a seat
 * for it (from the join page), else the teacher (by their sign-in). Keeps the class store and the
 * scene's guide up to date, carries out the teacher's tour steps on students, and reports a
 * student's device, idle time and frame rate every few seconds. Renders nothing.
 */
export function ClassLink({ session }: { session: string }) {
  const tour = useExhibition((d) => d.tour);
  const tourRef = useRef<TourStep[]>(tour);
  tourRef.current = tour;
  // The show this page is in, and its rooms: a leader's pose in another show's room is not followed.
  const show = useExhibition((d) => d.id);
  const rooms = useExhibition((d) => d.rooms);
  const pageRef = useRef({ show, rooms });
  pageRef.current = { show, rooms };
  const classGuide = useClassGuide();
  const channel = useClassChannel();
  const classActivity = channel.activity;

  useEffect(() => {
    const seat = storedSeat(session);
    const role = seat ? "student" : "teacher";
    useClassStore.setState({ role, session, me: seat ? { id: "", nickname: seat.nickname } : null, state: null, roster: [], link: "connecting", closedReason: null, refused: null, handRaised: false, watch: false, answers: null, myAnswer: null });
    classGuide.student = role === "student";
    classGuide.changed();

    const apply = (prev: ClassState | null, next: ClassState) => {
      // A group presents its show (or the class comes back to its own): the class's pages go
      // there, the teacher's when it changes (the teacher may look at any show meanwhile).
      const showNow = classShowNow(next);
      if (!next.ended && showNow !== pageRef.current.show && (role === "student" || (prev && classShowNow(prev) !== showNow))) {
        const query = new URLSearchParams(window.location.search);
        query.delete("room");
        query.delete("artefact");
        return navigate(`/visit/${encodeURIComponent(showNow)}?${query.toString()}`, { replace: true });
      }
      useClassStore.setState({ state: next });
      // Another leader (or none): the last pose was someone else's.
      if (prev && JSON.stringify(prev.presenting ?? null) !== JSON.stringify(next.presenting ?? null)) classGuide.teacher.clear();
      if (role !== "student") return;
      classGuide.applyState(next, !prev); // a late joiner is not gathered for an old call
      const local = useLocalStore.getState();
      if (next.tour !== (prev?.tour ?? null)) {
        const step = next.tour !== null ? tourRef.current[next.tour] : undefined;
        if (step) goToTourStep(next.tour!, step.room);
        else if (local.mode === "tour") local.walk();
      } else if ((classGuide.follow && prev?.mode !== "follow") || next.gather !== (prev?.gather ?? next.gather)) {
        // Following or gathering takes the student out of an object's close-up or the tour.
        if (local.mode !== "walk") local.walk();
      }
      if (next.ended) {
        classGuide.reset();
        useClassStore.setState({ closedReason: "ended" });
      }
    };

    const onMessage = (m: ServerMessage) => {
      const store = useClassStore.getState();
      switch (m.t) {
        case "welcome":
          classGuide.slot = slotFor(m.you.id);
          classGuide.seat = m.you.id;
          useClassStore.setState({ me: m.you, watch: m.watch });
          if (m.pose && pageRef.current.rooms[m.pose.room]) classGuide.teacher.push(performance.now(), m.pose.room, m.pose.p, m.pose.q);
          return apply(null, m.state);
        case "state":
          return apply(store.state, m.state);
        case "pose": {
          if (!pageRef.current.rooms[m.pose.room]) return; // a pose from another show (the class is moving between shows)
          // A leader who moved: draw their figure (or their view, when following) again (frame-rest.ts).
          if (classGuide.teacher.push(performance.now(), m.pose.room, m.pose.p, m.pose.q)) frameRest.wake();
          // Following (or being gathered) into another room: go there first.
          const local = useLocalStore.getState();
          if (role === "student" && (classGuide.follow || classGuide.gatherPending) && local.room !== m.pose.room) local.enterRoom(m.pose.room);
          return;
        }
        case "roster":
          return useClassStore.setState({ roster: m.students });
        case "watch":
          return useClassStore.setState({ watch: m.on });
        case "hand":
          return useClassStore.setState({ handRaised: m.raised });
        case "answers":
          return useClassStore.setState({ answers: m.result });
        case "answered":
          return useClassStore.setState({ myAnswer: { question: m.question, answer: m.answer } });
        case "refused":
          console.warn(`[class] refused: ${m.reason}`);
          return useClassStore.setState({ refused: m.reason });
        case "ended":
          classGuide.reset();
          return useClassStore.setState({ closedReason: "ended", state: store.state ? { ...store.state, ended: true } : null });
        case "removed":
          classGuide.reset();
          return useClassStore.setState({ closedReason: "removed" });
      }
    };
    const conn = connectClass({
      session,
      seat: seat?.token ?? null,
      onMessage,
      onStatus: (link, reason) => {
        useClassStore.setState({ link });
        if (link === "closed" && !useClassStore.getState().closedReason) {
          classGuide.reset();
          useClassStore.setState({ closedReason: reason ?? "closed" });
        }
      },
    });
    channel.connection = conn;

    // Activity for "idle": the page's own input (the scene adds camera and head movement).
    const active = () => (classActivity.last = performance.now());
    const events = ["pointerdown", "keydown", "wheel", "touchstart"] as const;
    for (const e of events) window.addEventListener(e, active, { passive: true });

    // A student's status every few seconds: device, in a headset or not, idle time, frame rate.
    // The frame rate while the page draws: a view at rest (frame-rest.ts) draws nothing, which is
    // no sign of a slow device; with under a fifth of a second drawn since the last report, the
    // last rate measured is sent again.
    const drawing = frameRest.drawing;
    let lastFrames = drawing.frames;
    let lastMs = drawing.ms;
    let lastFps: number | null = null;
    const device = deviceClass({ maxTouchPoints: navigator.maxTouchPoints ?? 0, coarsePointer: matchMedia("(pointer: coarse)").matches, userAgent: navigator.userAgent });
    const report = () => {
      const now = performance.now();
      const drawnMs = drawing.ms - lastMs;
      const fps = drawnMs >= 200 ? ((drawing.frames - lastFrames) * 1000) / drawnMs : lastFps;
      lastFps = fps;
      lastFrames = drawing.frames;
      lastMs = drawing.ms;
      const immersive = useLocalStore.getState().immersive === "vr";
      conn.send({ t: "status", device: immersive ? "headset" : device, immersive, idleSeconds: Math.round((now - classActivity.last) / 1000), fps: fps === null ? null : Math.round(fps) });
    };
    const statusTimer = role === "student" ? setInterval(report, STATUS_SECONDS * 1000) : null;
    const unsubLink = role === "student" ? useClassStore.subscribe((s, p) => s.link === "online" && p.link !== "online" && report()) : () => {};

    // The teacher's own tour is the class's tour: stepping it (here or in the tour panel) moves everyone.
    const unsubTour =
      role === "teacher"
        ? useLocalStore.subscribe((s, p) => {
            const index = s.mode === "tour" ? s.tourIndex : null;
            const before = p.mode === "tour" ? p.tourIndex : null;
            if (index !== before || (index !== null && useClassStore.getState().state?.tour !== index)) conn.send({ t: "tour", index });
          })
        : () => {};
    const unsubOnline = role === "teacher" ? useClassStore.subscribe((s, p) => {
      // Back online: say where the tour is (a command sent while offline was dropped).
      if (s.link === "online" && p.link !== "online") {
        const l = useLocalStore.getState();
        const index = l.mode === "tour" ? l.tourIndex : null;
        if (s.state && s.state.tour !== index) conn.send({ t: "tour", index });
      }
    }) : () => {};

    // The teacher's page also knows the code, link and QR code.
    if (role === "teacher")
      api.classInfo(session).then(
        (info) => useClassStore.setState({ info }),
        (e: Error) => console.warn(`[class] ${e.message}`),
      );

    return () => {
      for (const e of events) window.removeEventListener(e, active);
      if (statusTimer) clearInterval(statusTimer);
      unsubLink();
      unsubTour();
      unsubOnline();
      conn.close();
      if (channel.connection === conn) channel.connection = null;
      classGuide.reset();
      useClassStore.setState({ role: null, session: null, state: null, roster: [], info: null });
    };
  }, [session, classGuide, channel, classActivity]);
  return null;
}
