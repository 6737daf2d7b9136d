import { useFrame, useThree } from "@react-three/fiber";
import { useXRStore } from "@react-three/xr";
import { useEffect, useMemo, useReducer, useRef, useState } from "react";
import { AudioListener, AudioLoader, Box3, PositionalAudio, Vector3, type Group } from "three";
import { useExhibition } from "../collab";
import { captionAt, creditText, parseCaptions, pickText, pickTextLang, type Item, type Museum } from "../shared/exhibition";
import { LANGUAGE_NAMES, useT } from "../i18n/strings";
import { artefactObjects, placementObjects } from "../viewer/artefact-registry";
import type { LabelLine } from "../viewer/label-texture";
import { useLocalStore } from "../state/local-store";
import { usePreferences } from "../state/preferences";
import { formatDimensions } from "../viewer/panels/InspectPanel";
import { useClock } from "../viewer/panels/PerformanceTimeline";
import { goToTourStep } from "../viewer/panels/TourPanel";
import { VRPanel, type PanelButton } from "./VRPanel";
import type { VRLocomotion } from "./vr-locomotion";
import { useXRLocal } from "./xr-local-store";
import { useTextFallbacks } from "../viewer/text-fallbacks";
import { monoBus } from "../viewer/mono-audio";
import { tellVisit } from "../viewer/visit-events";
import { useExtensions, type VRDockedPanelProps } from "../viewer/extension";

/** What the VR layer reports to tests and the probe about panels and the audio guide. */
export const vrPanelState = {
  audio: null as null | { placement: string; src: string; playing: boolean; position: [number, number, number] },
};

const fmt = (s: number) => `${Math.floor(s / 60)}:${(s % 60).toFixed(1).padStart(4, "0")}`;

/** A label panel's lines: the printed label's content, larger, with description and credit line. */
export function vrLabelLines(item: Item, museum: Museum | undefined, language: string, fallbacks: string[]): LabelLine[] {
  const t = (m: Item["title"] | undefined) => pickText(m, language, fallbacks);
  const lines: LabelLine[] = [
    { text: t(item.title), size: 124, weight: 700, serif: true },
    { text: [t(item.maker), t(item.date)].filter(Boolean).join(" · "), size: 72, gap: 12, colour: "#3b3733" },
    { text: [t(item.culture), t(item.material), formatDimensions(item.dimensions)].filter(Boolean).join(" · "), size: 64, colour: "#55504a" },
    { text: t(item.description), size: 64, gap: 24 },
    { text: creditText(item, museum, language), size: 50, gap: 24, colour: "#6b645b" },
  ];
  return lines.filter((l) => l.text);
}

const box = new Box3();
const centre = new Vector3();
/** Facing yaw (three's convention) for an object at (x, z) to face a viewer at (vx, vz). */
const yawToward = (x: number, z: number, vx: number, vz: number) => Math.atan2(vx - x, vz - z);

/**
 * The label of the artefact the visitor selected, on a panel beside it facing them, at a reading
 * height: multilingual (follows the language setting), with the credit line, the audio guide
 * (played from the artefact) and, for a performance, its playback controls.
 */
export function VRLabelPanel({ placementId, loco }: { placementId: string; loco: VRLocomotion }) {
  const t = useT();
  const language = useLocalStore((s) => s.language);
  const placement = useExhibition((d) => d.placements[placementId]);
  const item = useExhibition((d) => (placement ? d.items[placement.item] : undefined));
  const museums = useExhibition((d) => d.meta.museums);
  const fallbacks = useTextFallbacks();
  const [audioOn, setAudioOn] = useState(false);
  const [caption, setCaption] = useState("");
  const showCaptions = usePreferences((s) => s.captions);
  const clock = useClock(placementId);
  const [time, setTime] = useState(0);
  useEffect(() => {
    if (!clock) return;
    const timer = setInterval(() => setTime(clock.time), 250);
    return () => clearInterval(timer);
  }, [clock]);
  // Discrete changes (play, speed, loop) redraw the panel at once, also while paused.
  const [, changed] = useReducer((n: number) => n + 1, 0);
  useEffect(() => clock?.subscribe(changed), [clock]);

  // Placed once when opened: beside the artefact, between it and the visitor, facing them.
  const pose = useMemo(() => {
    const head = loco.headInWorld({ x: 0, z: 0, yaw: 0 });
    const headY = loco.pose.y + loco.head.y;
    const object = placementObjects.get(placementId);
    let halfWidth = 0.15;
    if (object) {
      box.setFromObject(object).getCenter(centre);
      halfWidth = Math.max(box.max.x - box.min.x, box.max.z - box.min.z) / 2;
    } else centre.set(head.x, 0, head.z - 1);
    let dx = head.x - centre.x;
    let dz = head.z - centre.z;
    const len = Math.hypot(dx, dz) || 1;
    dx /= len;
    dz /= len;
    // In front of the artefact's edge (a performer's stage is wide), towards the visitor but at
    // least 0.9 m from them, and 0.6 m to their right of the line to it: beside, not over it.
    const toward = Math.max(0.35, Math.min(halfWidth + 0.15, len - 0.9));
    const area = loco.area;
    const clamp = (v: number, half: number | undefined) => (half === undefined ? v : Math.max(-half + 0.45, Math.min(half - 0.45, v)));
    // (The visitor looks along -(dx, dz); their right is (dz, -dx).)
    const x = clamp(centre.x + dx * toward + dz * 0.6, area?.halfW);
    const z = clamp(centre.z + dz * toward - dx * 0.6, area?.halfD);
    const y = Math.min(1.7, Math.max(1.1, headY - 0.2));
    return { position: [x, y, z] as [number, number, number], yaw: yawToward(x, z, head.x, head.z) };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [placementId]);

  if (!placement || !item) return null;
  const museum = museums.find((m) => m.id === item.institution);
  const lines = vrLabelLines(item, museum, language, fallbacks);
  const audio = item.audioGuide ? (item.audioGuide[language] ? { text: item.audioGuide[language], lang: language } : pickTextLang(item.audioGuide, language, fallbacks)) : null;
  const audioSrc = audio?.text ?? "";
  const captionsVtt = audio?.lang ? item.audioCaptions?.[audio.lang] : undefined;
  // The caption of the moment, as a line of the panel (redrawn only when the words change).
  if (audioOn && caption && showCaptions) lines.push({ text: caption, size: 44, gap: 14, colour: "#1d1b18" });
  const buttons: PanelButton[] = [];
  if (audioSrc) buttons.push({ id: "audio", label: audioOn ? t("stopAudio") : t("audioGuide"), active: audioOn, onSelect: () => setAudioOn(!audioOn) });
  if (clock) {
    const loop = clock.loop;
    lines.push({ text: `${t("performance")} ${fmt(time)} / ${fmt(clock.duration)}${loop ? ` (${fmt(loop[0])}–${fmt(loop[1])})` : ""} · ${clock.speed}×`, size: 48, gap: 16, colour: "#2f5d50" });
    buttons.push(
      { id: "play", label: clock.playing ? t("pause") : t("play"), active: clock.playing, onSelect: () => clock.setPlaying(!clock.playing) },
      { id: "slower", label: t("slower"), disabled: clock.speed <= 0.25, onSelect: () => clock.setSpeed(Math.max(0.25, clock.speed / 2)) },
      { id: "faster", label: t("faster"), disabled: clock.speed >= 2, onSelect: () => clock.setSpeed(Math.min(2, clock.speed * 2)) },
      { id: "close", label: t("close"), onSelect: () => useLocalStore.getState().walk() },
      // A second row: the loop range, as on the 2D timeline (shorter labels: a third of the panel).
      { id: "loop-from", label: t("loopStart"), onSelect: () => clock.setLoop([clock.time, loop ? loop[1] : clock.duration]) },
      { id: "loop-to", label: t("loopEnd"), onSelect: () => clock.setLoop([loop ? loop[0] : 0, clock.time]) },
      { id: "loop-clear", label: t("loopClear"), disabled: !loop, onSelect: () => clock.setLoop(null) },
    );
  } else buttons.push({ id: "close", label: t("close"), onSelect: () => useLocalStore.getState().walk() });
  const loopFrom = clock?.loop?.[0] ?? 0;
  return (
    <>
      <VRPanel
        name={`vr-label:${placementId}`}
        lines={lines}
        buttons={buttons}
        bar={clock ? { fraction: clock.duration > 0 ? time / clock.duration : 0, onSeek: (f) => (clock.seek(f * clock.duration), setTime(clock.time)) } : undefined}
        width={0.8}
        height={clock ? 0.87 : 0.72}
        position={pose.position}
        rotation={[0, pose.yaw, 0]}
        userData={{ loopFrom }}
      />
      {audioOn && audioSrc && <SpatialAudioGuide placementId={placementId} src={audioSrc} captions={captionsVtt} onCaption={setCaption} onEnded={() => (setAudioOn(false), setCaption(""))} />}
    </>
  );
}

/**
 * An audio guide recording playing from the artefact itself (a positional source at its centre,
 * heard through the headset's camera), so it stays put as the visitor moves and turns.
 */
function SpatialAudioGuide({ placementId, src, captions, onCaption, onEnded }: { placementId: string; src: string; captions: string | undefined; onCaption: (text: string) => void; onEnded: () => void }) {
  const camera = useThree((s) => s.camera);
  useEffect(() => {
    const parsed = captions ? parseCaptions(captions) : null;
    const cues = parsed?.ok ? parsed.cues : [];
    let captionTimer: ReturnType<typeof setInterval> | undefined;
    let shown = "";
    const object = placementObjects.get(placementId);
    const model = artefactObjects.get(placementId) ?? object;
    if (!object || !model) return;
    const listener = new AudioListener();
    camera.add(listener);
    // Mono audio: the listener's output mixed down to one channel, so the guide is heard with
    // either ear wherever the visitor stands (the spatial panning is then lost, by choice).
    const bus = usePreferences.getState().monoAudio ? monoBus(listener.context) : null;
    if (bus) {
      listener.getInput().disconnect();
      listener.getInput().connect(bus);
    }
    const audio = new PositionalAudio(listener);
    audio.setRefDistance(0.8);
    box.setFromObject(model).getCenter(centre);
    audio.position.copy(object.worldToLocal(centre.clone()));
    object.add(audio);
    let live = true;
    new AudioLoader().load(
      src,
      (buffer) => {
        if (!live) return;
        audio.setBuffer(buffer);
        const ended = audio.onEnded.bind(audio);
        audio.onEnded = () => {
          ended();
          vrPanelState.audio = null;
          onEnded();
        };
        // The context is shared by every listener: resume it (a select is a user gesture) rather
        // than assume it runs, and never suspend it on the way out, or the next guide is silent.
        void listener.context.resume();
        audio.play();
        tellVisit({ type: "audio-played", placement: placementId });
        // Captions follow the recording's clock (the audio context's), four times a second.
        const startedAt = listener.context.currentTime;
        if (cues.length)
          captionTimer = setInterval(() => {
            const text = captionAt(cues, listener.context.currentTime - startedAt);
            if (text !== shown) onCaption((shown = text));
          }, 250);
        const p = audio.getWorldPosition(new Vector3());
        vrPanelState.audio = { placement: placementId, src, playing: true, position: [p.x, p.y, p.z] };
      },
      undefined,
      (e) => console.error(`[atrium] audio guide ${src} could not be played`, e),
    );
    return () => {
      live = false;
      clearInterval(captionTimer);
      onCaption("");
      if (audio.isPlaying) audio.stop();
      object.remove(audio);
      camera.remove(listener);
      bus?.disconnect();
      vrPanelState.audio = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [placementId, src, camera, captions]);
  return null;
}

/**
 * The tour in VR: the step's text and previous / next / end on a panel by the step's viewpoint
 * (or in front of the visitor when tour steps may not move them). Placed once per step.
 */
export function VRTourPanel({ loco }: { loco: VRLocomotion }) {
  const t = useT();
  const tour = useExhibition((d) => d.tour);
  const fallbacks = useTextFallbacks();
  const language = useLocalStore((s) => s.language);
  const index = useLocalStore((s) => s.tourIndex);
  const moves = useXRLocal((s) => s.comfort.tourMoves);
  const step = tour[index];
  const pose = useMemo(() => {
    let x: number, z: number, yaw: number;
    if (step && moves) {
      const [px, , pz] = step.camera.position;
      const [tx, , tz] = step.camera.target;
      x = px;
      z = pz;
      yaw = Math.atan2(-(tx - px), -(tz - pz));
    } else {
      const head = loco.headInWorld({ x: 0, z: 0, yaw: 0 });
      x = head.x;
      z = head.z;
      yaw = head.yaw;
    }
    // 0.9 m ahead and 0.3 m to the left of the viewpoint, a little below the eyes, facing it:
    // readable without turning, and clear of the artefact the step looks at.
    const fx = -Math.sin(yaw);
    const fz = -Math.cos(yaw);
    const px = x + fx * 0.9 + fz * 0.3;
    const pz = z + fz * 0.9 - fx * 0.3;
    return { position: [px, 1.25, pz] as [number, number, number], yaw: yawToward(px, pz, x, z) };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [step?.id, moves]);
  if (!step) return null;
  const go = (i: number) => {
    const next = tour[i];
    if (next) goToTourStep(i, next.room);
  };
  return (
    <VRPanel
      name={`vr-tour:${step.id}`}
      lines={[
        { text: `${index + 1} / ${tour.length}`, size: 48, colour: "#6b645b" },
        { text: pickText(step.text, language, fallbacks), size: 64, gap: 10 },
      ]}
      buttons={[
        { id: "previous", label: `← ${t("previous")}`, disabled: index === 0, onSelect: () => go(index - 1) },
        { id: "end", label: t("endTourVR"), onSelect: () => useLocalStore.getState().walk() },
        { id: "next", label: `${t("next")} →`, disabled: index >= tour.length - 1, onSelect: () => go(index + 1) },
      ]}
      width={0.8}
      height={0.45}
      position={pose.position}
      rotation={[0, pose.yaw, 0]}
    />
  );
}

/**
 * The VR menu: comfort settings (seated, fade, whether tour steps move the visitor), language,
 * the tour, and leaving VR. Opened with the left X button or the small menu button that stays
 * low in front of the visitor (so hands without buttons can reach it too).
 */
export function VRMenu({ loco, open, onToggle }: { loco: VRLocomotion; open: boolean; onToggle: () => void }) {
  const t = useT();
  const store = useXRStore();
  const comfort = useXRLocal((s) => s.comfort);
  const language = useLocalStore((s) => s.language);
  const mode = useLocalStore((s) => s.mode);
  const languages = useExhibition((d) => d.meta.languages);
  const tour = useExhibition((d) => d.tour);
  const belt = useRef<Group>(null);
  const menu = useRef<Group>(null);
  const dock = useRef<Group>(null);
  const extensions = useExtensions();
  const last = useMemo(() => ({ x: Number.NaN, z: 0, yaw: 0, world: { x: 0, z: 0, yaw: 0 } }), []);

  // The menu button follows the visitor lazily: it moves only when they have turned or walked
  // away from it, so it is where they expect it and never swims in view.
  useFrame(() => {
    const w = loco.headInWorld(last.world);
    const turned = Math.abs(Math.atan2(Math.sin(w.yaw - last.yaw), Math.cos(w.yaw - last.yaw))) > 0.7;
    if (!Number.isNaN(last.x) && !turned && Math.hypot(w.x - last.x, w.z - last.z) < 0.4 && !loco.moving) return;
    last.x = w.x;
    last.z = w.z;
    last.yaw = w.yaw;
    const fx = -Math.sin(w.yaw);
    const fz = -Math.cos(w.yaw);
    const headY = loco.pose.y + loco.head.y;
    belt.current?.position.set(w.x + fx * 0.45, Math.max(0.6, headY - 0.65), w.z + fz * 0.45);
    belt.current?.rotation.set(-0.6, w.yaw, 0, "YXZ");
    if (!open)
      for (const g of [menu.current, dock.current]) {
        g?.position.set(w.x + fx * 0.75, Math.max(0.9, headY - 0.25), w.z + fz * 0.75);
        g?.rotation.set(0, w.yaw, 0);
      }
  });

  const nextLanguage = languages[(languages.indexOf(language) + 1) % languages.length] ?? language;
  return (
    <>
      <group ref={belt}>
        <VRPanel name="vr-menu-button" lines={[]} buttons={[{ id: "menu", label: `☰ ${t("menu")}`, active: open, onSelect: onToggle }]} width={0.22} height={0.14} />
      </group>
      <group ref={menu} visible={open}>
        {open && (
          <VRPanel
            name="vr-menu"
            lines={[{ text: t("vrOptions"), size: 64, weight: 700 }]}
            buttons={[
              { id: "seated", label: comfort.seated ? t("seated") : t("standing"), active: comfort.seated, onSelect: () => useXRLocal.getState().setComfort({ seated: !comfort.seated }) },
              { id: "fade", label: t("comfortFade"), active: comfort.fade, onSelect: () => useXRLocal.getState().setComfort({ fade: !comfort.fade }) },
              { id: "tour-moves", label: t("tourMovesMe"), active: comfort.tourMoves, onSelect: () => useXRLocal.getState().setComfort({ tourMoves: !comfort.tourMoves }) },
              { id: "language", label: LANGUAGE_NAMES[nextLanguage] ?? nextLanguage, disabled: languages.length < 2, onSelect: () => useLocalStore.getState().setLanguage(nextLanguage) },
              mode === "tour"
                ? { id: "tour", label: t("endTourVR"), onSelect: () => useLocalStore.getState().walk() }
                : { id: "tour", label: t("startTourVR"), disabled: tour.length === 0, onSelect: () => tour[0] && goToTourStep(0, tour[0].room) },
              { id: "exit", label: t("exitVR"), onSelect: () => void store.getState().session?.end() },
            ]}
            width={1.15}
            height={0.24}
          />
        )}
      </group>
      {/* Extensions' panels (a class), docked above the menu's place; shown whether or not it is open. */}
      <group ref={dock}>
        {extensions.map((e) => (e.VR ? <e.VR key={e.name} menuOpen={open} Panel={DockedPanel} /> : null))}
      </group>
    </>
  );
}

/**
 * An extension's panel above the VR menu's place (its `slot`: left or right of the middle),
 * turned a little toward the visitor: at eye height, in view without turning the head, and above
 * the open menu so the menu's buttons stay reachable. The tour's panel stands lower and further.
 */
function DockedPanel({ slot, width = 0.7, height = 0.36, ...panel }: VRDockedPanelProps) {
  const side = slot === "right" ? 1 : -1;
  // The menu is 0.24 m tall around the group's origin: the panel starts 3 cm above its top edge.
  return <VRPanel {...panel} width={width} height={height} position={[side * (width / 2 + 0.02), 0.12 + 0.03 + height / 2, 0.05]} rotation={[0, -side * 0.2, 0]} />;
}

/** In VR, the artefact under a ray gets a ring of light at its base (the hover highlight). */
export function VRHoverRing() {
  const hovered = useLocalStore((s) => s.hovered);
  const mode = useLocalStore((s) => s.mode);
  const ring = useMemo(() => {
    const object = hovered ? artefactObjects.get(hovered) : undefined;
    if (!object) return null;
    box.setFromObject(object);
    const c = box.getCenter(new Vector3());
    const size = box.getSize(new Vector3());
    return { position: [c.x, box.min.y + 0.004, c.z] as [number, number, number], radius: Math.max(size.x, size.z) / 2 + 0.05 };
  }, [hovered]);
  if (!ring || (mode === "inspect" && useLocalStore.getState().selected === hovered)) return null;
  return (
    <mesh name="vr-hover" position={ring.position} rotation-x={-Math.PI / 2} raycast={() => {}}>
      <ringGeometry args={[ring.radius, ring.radius + 0.018, 48]} />
      <meshBasicMaterial color="#f4d27a" toneMapped={false} />
    </mesh>
  );
}
