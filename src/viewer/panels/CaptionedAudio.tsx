import { useEffect, useMemo, useRef, useState } from "react";
import { captionAt, parseCaptions } from "../../shared/exhibition";
import { useT } from "../../i18n/strings";
import { usePreferences } from "../../state/preferences";
import { routeMediaElement } from "../mono-audio";
import { tellVisit } from "../visit-events";

/**
 * A recording with its captions: the player, the caption of the moment under it (when the visitor
 * keeps captions on, the default), and the whole transcript to read instead of listening. The
 * caption follows the player's `timeupdate` events (a few a second), never the frame loop.
 * `placement`: whose guide it is (null: a tour step's), told to the visit statistics when it plays.
 */
export function CaptionedAudio({ src, captions, lang, className, placement = null }: { src: string; captions: string | undefined; lang: string | undefined; className?: string; placement?: string | null }) {
  const t = useT();
  const show = usePreferences((s) => s.captions);
  const cues = useMemo(() => {
    const r = captions ? parseCaptions(captions) : null;
    return r?.ok ? r.cues : [];
  }, [captions]);
  const [now, setNow] = useState("");
  const player = useRef<HTMLAudioElement>(null);
  const mono = usePreferences((s) => s.monoAudio);
  useEffect(() => {
    if (player.current) routeMediaElement(player.current, mono);
  }, [mono, src]);
  return (
    <div className={["captioned-audio", className].filter(Boolean).join(" ")}>
      <audio ref={player} controls preload="none" src={src} onTimeUpdate={(e) => setNow(captionAt(cues, e.currentTarget.currentTime))} onEnded={() => setNow("")} onPlay={() => tellVisit({ type: "audio-played", placement })} />
      {show && cues.length > 0 && (
        // Not a live region: the words are what the recording says, and a screen reader user hears it.
        <p className="caption" lang={lang} data-caption="" aria-label={t("captions")}>
          {now || "\u00a0"}
        </p>
      )}
      {cues.length > 0 && (
        <details className="transcript">
          <summary>{t("showTranscript")}</summary>
          <ol lang={lang}>
            {cues.map((c, i) => (
              <li key={i}>{c.text}</li>
            ))}
          </ol>
        </details>
      )}
    </div>
  );
}
