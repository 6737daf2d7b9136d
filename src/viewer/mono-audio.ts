/**
 * Mono audio (a visitor preference, `src/state/preferences.ts`): both ears hear the same sound,
 * for visitors who hear with one ear only, or share one earbud. Stereo recordings and the
 * headset's spatial audio otherwise put voices and sounds on one side.
 *
 * How: a gain node that takes one channel (`channelCount: 1`, explicit, speaker rules), so Web
 * Audio mixes whatever reaches it down to mono ((L+R)/2) and the destination plays that on both
 * sides. A media element joins the graph only once the visitor asks for mono (a routed element
 * always plays through the context after that, so turning mono off routes it straight to the
 * destination); a recording from another site is left alone, since Web Audio would silence it
 * unless that site allows it (CORS).
 */

/** The mono bus of `ctx`: connect sources to it instead of to the destination. */
export function monoBus(ctx: BaseAudioContext): GainNode {
  const bus = ctx.createGain();
  bus.channelCount = 1;
  bus.channelCountMode = "explicit";
  bus.channelInterpretation = "speakers";
  bus.connect(ctx.destination);
  return bus;
}

let shared: { ctx: AudioContext; bus: GainNode } | null = null;
const routed = new WeakMap<HTMLMediaElement, MediaElementAudioSourceNode>();

function sameOrigin(el: HTMLMediaElement): boolean {
  const src = el.currentSrc || el.src;
  if (!src) return false;
  try {
    const url = new URL(src, location.href);
    return url.origin === location.origin || url.protocol === "blob:" || url.protocol === "data:";
  } catch {
    return false;
  }
}

/**
 * Plays `el` in mono or as recorded. Returns whether the element now goes through the mono bus
 * (false for an element left to the browser).
 */
export function routeMediaElement(el: HTMLMediaElement, mono: boolean): boolean {
  let source = routed.get(el);
  if (!source) {
    if (!mono || !sameOrigin(el) || typeof AudioContext === "undefined") return false;
    if (!shared) {
      const ctx = new AudioContext();
      shared = { ctx, bus: monoBus(ctx) };
    }
    source = shared.ctx.createMediaElementSource(el);
    routed.set(el, source);
    // The context starts suspended until a gesture; the visitor's press on play is one.
    el.addEventListener("play", () => void shared?.ctx.resume());
  }
  source.disconnect();
  source.connect(mono ? shared!.bus : shared!.ctx.destination);
  el.dataset.audio = mono ? "mono" : "stereo";
  return mono;
}
