import { z } from "zod";
import { recordId } from "../exhibition";

/**
 * Visit statistics (issue 23), privacy first: what a visit page reports (`POST /api/visits`, no
 * cookie, no identifier: counts since the last report) and what owners and museum staff read back
 * (`GET /api/exhibitions/{id}/stats`). Shared by the server (validation, OpenAPI), the visit
 * page's counter and the statistics page.
 */

/** The kind of device a visit is made with (from the browser's own signals, never its fingerprint). */
export const deviceClass = z.enum(["desktop", "phone", "tablet", "headset"]);
export type DeviceClass = z.infer<typeof deviceClass>;
export const DEVICE_CLASSES = deviceClass.options;

/** How many times something happened since the last report (a visitor cannot do anything a thousand times a minute). */
const times = z.number().int().min(0).max(1000);

/** Longest time in front of one artefact that is counted (longer: the tab was left open). */
export const MAX_DWELL_MS = 30 * 60_000;

/** What a visitor did with one artefact since the last report. */
export const artefactActivity = z
  .object({
    placement: recordId,
    opens: times,
    annotationOpens: times,
    audioPlays: times,
    /** How long each close-up stayed open (ms), one entry per close-up that ended. */
    dwellMs: z.array(z.number().int().min(0).max(MAX_DWELL_MS)).max(16),
  })
  .strict();
export type ArtefactActivity = z.infer<typeof artefactActivity>;

/**
 * One report of a visit page: at most one a minute while the page is open and one when the
 * visitor leaves (the first one counts the view). Nothing in it identifies the visitor.
 */
export const visitReport = z
  .object({
    exhibition: recordId,
    /** The first report of this page: a view (with its device class). */
    view: z.boolean(),
    device: deviceClass,
    tourStarts: times,
    /** Tours followed to their last step. */
    tourCompletions: times,
    /** Audio guides of tour steps played (an artefact's own are counted with it). */
    audioPlays: times,
    vrSessions: times,
    arSessions: times,
    artefacts: z.array(artefactActivity).max(64),
  })
  .strict();
export type VisitReport = z.infer<typeof visitReport>;

/** Largest report body (bytes): a full report of 64 artefacts is about 7 KB. */
export const MAX_REPORT_BYTES = 8 * 1024;

/** A count as shown: exact from 5 up, "< 5" below (but 0 is 0), so no single visit can be picked out. */
export const shownCount = z.union([z.number().int().min(0), z.literal("< 5")]);
export type ShownCount = z.infer<typeof shownCount>;
/** The smallest count shown as it is. */
export const SMALLEST_SHOWN = 5;

/** A calendar day (UTC), `YYYY-MM-DD`. */
export const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a day as YYYY-MM-DD");

/** A show's statistics over a range of days. */
export const statsQuery = z.object({
  /** First day (default: 29 days before `to`). */
  from: day.optional(),
  /** Last day (default: today). */
  to: day.optional(),
});

/** One day of a whole show. */
export const showDay = z.object({
  day,
  views: shownCount,
  /** Different visitors that day (a hash with that day's salt, discarded when the day ends). */
  visitors: shownCount,
  tourStarts: shownCount,
  tourCompletions: shownCount,
  annotationOpens: shownCount,
  audioPlays: shownCount,
  vrSessions: shownCount,
  arSessions: shownCount,
  devices: z.object({ desktop: shownCount, phone: shownCount, tablet: shownCount, headset: shownCount }),
});
export type ShowDay = z.infer<typeof showDay>;

/** One artefact, one day (or, in `artefacts`, the whole range). */
export const artefactDay = z.object({
  day: day.nullable(),
  placement: z.string(),
  opens: shownCount,
  annotationOpens: shownCount,
  audioPlays: shownCount,
  /** Median time a close-up stayed open (s), null under 5 close-ups. */
  medianDwellSeconds: z.number().nullable(),
});
export type ArtefactDay = z.infer<typeof artefactDay>;

export const statsAnswer = z.object({
  exhibition: z.string(),
  from: day,
  to: day,
  /** Every day of the range, oldest first (days without a visit are zeros). */
  days: z.array(showDay),
  /** The whole range (its visitors: the sum of each day's, since visitors cannot be told apart across days). */
  totals: showDay.omit({ day: true }),
  /** Each artefact with any activity, per day. */
  artefactDays: z.array(artefactDay),
  /** Each artefact over the whole range, most opened first. */
  artefacts: z.array(artefactDay),
});
export type StatsAnswer = z.infer<typeof statsAnswer>;
