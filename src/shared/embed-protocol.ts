/**
 * The embeddable viewer's messages (issue 23): what a page embedding a show
 * (`<atrium-viewer>`, `public` script `/embed.js`, or a plain `<iframe src="/embed/<id>">`) may
 * ask of it with `postMessage`, and what the embedded viewer tells that page. Plain data, shared
 * by the embed script and the viewer's embed extension; anything else is ignored on both sides.
 */

/** Every message of this protocol carries this, so other messages on the same window are ignored. */
export const EMBED_SOURCE = "atrium-embed";

/** What the embedding page asks. */
export type EmbedCommand =
  | { source: typeof EMBED_SOURCE; type: "set-language"; lang: string }
  | { source: typeof EMBED_SOURCE; type: "go-to-step"; step: number }
  | { source: typeof EMBED_SOURCE; type: "open-artefact"; placement: string }
  | { source: typeof EMBED_SOURCE; type: "close-artefact" };

/** What the viewer tells it. */
export type EmbedEvent =
  /** The first room is drawn: the show's languages, tour length and artefacts (placement ids). */
  | { source: typeof EMBED_SOURCE; type: "ready"; exhibition: string; languages: string[]; steps: number; artefacts: string[] }
  | { source: typeof EMBED_SOURCE; type: "artefact-opened"; placement: string; title: string }
  | { source: typeof EMBED_SOURCE; type: "artefact-closed" }
  | { source: typeof EMBED_SOURCE; type: "step"; step: number }
  | { source: typeof EMBED_SOURCE; type: "language"; lang: string };

const isText = (v: unknown, max: number): v is string => typeof v === "string" && v.length > 0 && v.length <= max;

/** The command in `data`, or null when it is not one (wrong shape, wrong types, too long). */
export function parseEmbedCommand(data: unknown): EmbedCommand | null {
  if (!data || typeof data !== "object") return null;
  const d = data as Record<string, unknown>;
  if (d.source !== EMBED_SOURCE) return null;
  switch (d.type) {
    case "set-language":
      return isText(d.lang, 35) ? { source: EMBED_SOURCE, type: "set-language", lang: d.lang } : null;
    case "go-to-step":
      return typeof d.step === "number" && Number.isInteger(d.step) && d.step >= 0 && d.step < 10_000 ? { source: EMBED_SOURCE, type: "go-to-step", step: d.step } : null;
    case "open-artefact":
      return isText(d.placement, 200) ? { source: EMBED_SOURCE, type: "open-artefact", placement: d.placement } : null;
    case "close-artefact":
      return { source: EMBED_SOURCE, type: "close-artefact" };
    default:
      return null;
  }
}

/** The event in `data`, or null when it is not one of ours (the embed script's side). */
export function isEmbedEvent(data: unknown): data is EmbedEvent {
  return !!data && typeof data === "object" && (data as { source?: unknown }).source === EMBED_SOURCE && typeof (data as { type?: unknown }).type === "string";
}
