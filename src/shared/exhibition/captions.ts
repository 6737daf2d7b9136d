// A CommonJS module whose exports Node's ESM loader cannot list: take them from its default export.
import webvtt from "webvtt-parser";
import { z } from "zod";

/** Longest captions file for one recording (about two hours of dense speech). */
export const MAX_CAPTIONS_LENGTH = 200_000;

/** One caption: shown from `start` to `end` seconds of the recording. */
export interface Caption {
  start: number;
  end: number;
  text: string;
}

/**
 * Reads WebVTT captions with the W3C community parser (`webvtt-parser`, the one behind the W3C
 * validator): the cues, or the first error with its line, so an upload or a document naming a bad
 * file says where. Cue markup (`<v Guide>`, `<i>`) is reduced to its words.
 */
export function parseCaptions(vtt: string): { ok: true; cues: Caption[] } | { ok: false; message: string } {
  if (!/^\uFEFF?WEBVTT(?:[ \t][^\n]*)?(?:\r?\n|$)/.test(vtt)) return { ok: false, message: 'must be WebVTT: the first line is "WEBVTT"' };
  const tree = new webvtt.WebVTTParser().parse(vtt, "captions");
  const first = tree.errors[0];
  if (first) return { ok: false, message: `WebVTT line ${first.line}: ${first.message}` };
  const cues = tree.cues.map((c) => ({ start: c.startTime, end: c.endTime, text: c.text.replace(/<[^>]*>/g, "").trim() }));
  return { ok: true, cues };
}

/** The caption showing at `time` seconds ("" between cues); the latest-starting one when cues overlap. */
export function captionAt(cues: readonly Caption[], time: number): string {
  let found = "";
  for (const c of cues) if (c.start <= time && time < c.end) found = c.text;
  return found;
}

/** A WebVTT text as stored in the document, checked with {@link parseCaptions}. */
export const captionsText = z
  .string()
  .max(MAX_CAPTIONS_LENGTH, `must be at most ${MAX_CAPTIONS_LENGTH} characters`)
  .superRefine((text, ctx) => {
    const r = parseCaptions(text);
    if (!r.ok) ctx.addIssue({ code: "custom", message: r.message });
  });
