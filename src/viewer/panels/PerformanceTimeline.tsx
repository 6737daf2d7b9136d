import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { pickText, type MotionAsset } from "../../shared/exhibition";
import { useT } from "../../i18n/strings";
import { performanceClocks, type PerformanceClock } from "../performance-clock";

const SPEEDS = [0.25, 0.5, 1, 1.5, 2];
const fmt = (s: number) => `${Math.floor(s / 60)}:${(s % 60).toFixed(1).padStart(4, "0")}`;

/** The clock of a placed performance, once its figure has loaded. */
export function useClock(placementId: string): PerformanceClock | null {
  const [clock, setClock] = useState(() => performanceClocks.get(placementId) ?? null);
  useEffect(() => {
    // The figure may load after the panel opens, or be rebuilt (a new file): follow its clock.
    const timer = setInterval(() => {
      const c = performanceClocks.get(placementId) ?? null;
      setClock((old) => (old === c ? old : c));
    }, 200);
    return () => clearInterval(timer);
  }, [placementId]);
  return clock;
}

/**
 * Playback controls of a performance: play/pause, scrub, speed down to a quarter, a loop range
 * set from the playhead, the clip, and the hand's trail. The position is read from the clock ten
 * times a second while the panel is open (never per frame).
 */
export function PerformanceTimeline({ placementId, asset, language }: { placementId: string; asset: MotionAsset; language: string }) {
  const t = useT();
  const clock = useClock(placementId);
  const [time, setTime] = useState(0);
  // A stable subscribe function: a new one each render would make React resubscribe 10 times a second.
  const subscribe = useCallback((l: () => void) => clock?.subscribe(l) ?? (() => {}), [clock]);
  const version = useSyncExternalStore(
    subscribe,
    () => (clock ? `${clock.playing}|${clock.speed}|${clock.clip}|${clock.loop?.join(",")}|${clock.trail}|${clock.duration}` : ""),
  );
  useEffect(() => {
    if (!clock) return;
    const timer = setInterval(() => setTime(clock.time), 100);
    return () => clearInterval(timer);
  }, [clock]);
  if (!clock) return <p className="muted">{t("loadingPerformance")}</p>;
  const loop = clock.loop;
  return (
    <section className="performance-timeline" data-version={version} aria-label={t("performance")}>
      <h3>{t("performance")}</h3>
      <div className="row">
        <button name="performance-play" className="primary" onClick={() => clock.setPlaying(!clock.playing)} aria-pressed={clock.playing}>
          {clock.playing ? t("pause") : t("play")}
        </button>
        <span className="time" aria-live="off">
          {fmt(time)} / {fmt(clock.duration)}
        </span>
      </div>
      <input
        type="range"
        name="performance-scrub"
        aria-label={t("scrub")}
        min={0}
        max={clock.duration}
        step={0.01}
        value={time}
        onChange={(e) => {
          clock.seek(Number(e.target.value));
          setTime(clock.time);
        }}
      />
      {loop && (
        <div className="loop-band" aria-hidden="true">
          <span style={{ left: `${(100 * loop[0]) / clock.duration}%`, width: `${(100 * (loop[1] - loop[0])) / clock.duration}%` }} />
        </div>
      )}
      <div className="row wrap">
        <label>
          {t("speed")}{" "}
          <select name="performance-speed" value={clock.speed} onChange={(e) => clock.setSpeed(Number(e.target.value))}>
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        {asset.clips.length > 1 && (
          <label>
            {t("clip")}{" "}
            <select
              name="performance-clip"
              value={clock.clip}
              onChange={(e) => {
                const c = asset.clips.find((x) => x.name === e.target.value);
                if (c) clock.setClip(c.name, c.duration);
              }}
            >
              {asset.clips.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.label ? pickText(c.label, language) : c.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          <input type="checkbox" name="performance-trail" checked={clock.trail} onChange={(e) => clock.setTrail(e.target.checked)} /> {t("trail")}
        </label>
      </div>
      <div className="row wrap">
        <button name="loop-from" onClick={() => clock.setLoop([clock.time, loop ? loop[1] : clock.duration])}>
          {t("loopFrom")}
        </button>
        <button name="loop-to" onClick={() => clock.setLoop([loop ? loop[0] : 0, clock.time])}>
          {t("loopTo")}
        </button>
        {loop && (
          <>
            <span className="muted">
              {t("loop")} {fmt(loop[0])}–{fmt(loop[1])}
            </span>
            <button name="loop-clear" onClick={() => clock.setLoop(null)}>
              {t("loopClear")}
            </button>
          </>
        )}
      </div>
    </section>
  );
}
