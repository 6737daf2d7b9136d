import { createHash, randomBytes } from "node:crypto";
import type { SqlDb } from "../db/sql";
import {
  DEVICE_CLASSES,
  SMALLEST_SHOWN,
  type ArtefactDay,
  type ShowDay,
  type ShownCount,
  type StatsAnswer,
  type VisitReport,
} from "../../src/shared/api/stats";

/**
 * Visit statistics, privacy first (issue 23). What is kept is counts per show, per artefact and
 * per day (`visit_counts`), a histogram of close-up times (`visit_dwell`) and, for the number of
 * different visitors, one hash per visitor, show and day (`visit_visitors`): SHA-256 of that
 * day's random salt, the address, the browser's user agent and the show. The salt is kept only
 * for its day (`visit_salts`, deleted when a new day starts), so once the day is over nobody,
 * not even the server, can tell whether two hashes, or a hash and an address, belong together.
 * No cookie, no identifier in the browser, no address or user agent stored. Tables: SQLite here,
 * PostgreSQL schema step 6 in the scaled mode (every process shares the day's salt).
 */

/** Close-up times are kept as a histogram, not one row per close-up: its steps (s). */
export const DWELL_STEPS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20, 25, 30, 40, 50, 60, 75, 90, 120, 150, 180, 240, 300, 420, 600, 900, 1200, 1800] as const;

/** The histogram step a close-up time falls in. */
export function dwellBucket(ms: number): number {
  const s = ms / 1000;
  let i = 0;
  while (i + 1 < DWELL_STEPS.length && DWELL_STEPS[i + 1]! <= s) i++;
  return i;
}

/** The median of a histogram (the lower middle one of an even count), as its step's start (s); null under 5 close-ups. */
export function medianDwell(buckets: ReadonlyMap<number, number>): number | null {
  let total = 0;
  for (const n of buckets.values()) total += n;
  if (total < SMALLEST_SHOWN) return null;
  const middle = Math.ceil(total / 2);
  let seen = 0;
  for (const [bucket, n] of [...buckets].sort((a, b) => a[0] - b[0])) {
    seen += n;
    if (seen >= middle) return DWELL_STEPS[bucket]!;
  }
  return null;
}

/** A count as shown: "< 5" from 1 to 4, so that no single visit can be picked out. */
export const shown = (n: number): ShownCount => (n > 0 && n < SMALLEST_SHOWN ? "< 5" : n);

/** The UTC day of a time, `YYYY-MM-DD`. */
export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end; t += 86_400_000) out.push(dayOf(t));
  return out;
}

/** Who sent a report, as the daily hash uses it (and nothing else does). */
export interface Reporter {
  address: string;
  userAgent: string;
}

const SHOW_METRICS = ["views", "tour_starts", "tour_completions", "audio_plays", "vr_sessions", "ar_sessions"] as const;

export class VisitStats {
  private salt: { day: string; salt: string } | null = null;

  constructor(
    private readonly db: SqlDb,
    private readonly now: () => number = Date.now,
  ) {}

  /** Today's salt: made by whichever process asks first, shared by all; earlier days' deleted. */
  private async saltOf(day: string): Promise<string> {
    if (this.salt?.day === day) return this.salt.salt;
    await this.db.run("INSERT INTO visit_salts (day, salt) VALUES (?, ?) ON CONFLICT DO NOTHING", [day, randomBytes(32).toString("base64")]);
    const row = await this.db.one<{ salt: string }>("SELECT salt FROM visit_salts WHERE day = ?", [day]);
    await this.db.run("DELETE FROM visit_salts WHERE day < ?", [day]);
    this.salt = { day, salt: row!.salt };
    return row!.salt;
  }

  /**
   * Adds one report. `known` says which placements the show has (others are dropped: a report
   * cannot invent artefacts). The visitor's hash is stored with the first report of a page only.
   */
  async record(report: VisitReport, from: Reporter, known: (placement: string) => boolean): Promise<void> {
    const day = dayOf(this.now());
    const counts: [string, string, number][] = [];
    const add = (placement: string, metric: string, n: number) => n > 0 && counts.push([placement, metric, n]);
    if (report.view) {
      add("", "views", 1);
      add("", `device:${report.device}`, 1);
    }
    add("", "tour_starts", report.tourStarts);
    add("", "tour_completions", report.tourCompletions);
    add("", "audio_plays", report.audioPlays);
    add("", "vr_sessions", report.vrSessions);
    add("", "ar_sessions", report.arSessions);
    const dwell = new Map<string, number>();
    for (const a of report.artefacts) {
      if (!known(a.placement)) continue;
      add(a.placement, "opens", a.opens);
      add(a.placement, "annotation_opens", a.annotationOpens);
      add(a.placement, "audio_plays", a.audioPlays);
      for (const ms of a.dwellMs) {
        const key = `${a.placement}\n${dwellBucket(ms)}`;
        dwell.set(key, (dwell.get(key) ?? 0) + 1);
      }
    }
    const visitor = report.view
      ? createHash("sha256").update(`${await this.saltOf(day)}\n${from.address}\n${from.userAgent}\n${report.exhibition}`).digest("base64url").slice(0, 32)
      : null;
    if (counts.length === 0 && dwell.size === 0 && !visitor) return;
    await this.db.transaction(async (db) => {
      for (const [placement, metric, n] of counts)
        await db.run(
          "INSERT INTO visit_counts (exhibition_id, day, placement, metric, n) VALUES (?, ?, ?, ?, ?) ON CONFLICT (exhibition_id, day, placement, metric) DO UPDATE SET n = visit_counts.n + excluded.n",
          [report.exhibition, day, placement, metric, n],
        );
      for (const [key, n] of dwell) {
        const [placement, bucket] = key.split("\n");
        await db.run(
          "INSERT INTO visit_dwell (exhibition_id, day, placement, bucket, n) VALUES (?, ?, ?, ?, ?) ON CONFLICT (exhibition_id, day, placement, bucket) DO UPDATE SET n = visit_dwell.n + excluded.n",
          [report.exhibition, day, placement, Number(bucket), n],
        );
      }
      if (visitor) await db.run("INSERT INTO visit_visitors (exhibition_id, day, visitor) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [report.exhibition, day, visitor]);
    });
  }

  /** The default range: the last 30 days, today included. */
  range(from?: string, to?: string): { from: string; to: string } {
    const end = to ?? dayOf(this.now());
    return { from: from ?? dayOf(Date.parse(`${end}T00:00:00Z`) - 29 * 86_400_000), to: end };
  }

  /** A show's statistics from `from` to `to` (days, both included), every count as shown (`shown`). */
  async table(exhibition: string, from: string, to: string): Promise<StatsAnswer> {
    const where = "exhibition_id = ? AND day >= ? AND day <= ?";
    const params = [exhibition, from, to];
    const counts = await this.db.all<{ day: string; placement: string; metric: string; n: number | string }>(`SELECT day, placement, metric, n FROM visit_counts WHERE ${where}`, params);
    const visitors = await this.db.all<{ day: string; n: number | string }>(`SELECT day, COUNT(*) AS n FROM visit_visitors WHERE ${where} GROUP BY day`, params);
    const dwell = await this.db.all<{ day: string; placement: string; bucket: number; n: number | string }>(`SELECT day, placement, bucket, n FROM visit_dwell WHERE ${where}`, params);

    const get = new Map<string, number>(); // `${day}\n${placement}\n${metric}`, PostgreSQL's BIGINT read as a number
    for (const r of counts) get.set(`${r.day}\n${r.placement}\n${r.metric}`, Number(r.n));
    const n = (d: string, p: string, m: string) => get.get(`${d}\n${p}\n${m}`) ?? 0;
    const visitorsOn = new Map(visitors.map((r) => [r.day, Number(r.n)]));
    const placements = [...new Set([...counts.filter((r) => r.placement).map((r) => r.placement), ...dwell.map((r) => r.placement)])].sort();
    const histograms = new Map<string, Map<number, number>>(); // per `${day}\n${placement}`, and per `\n${placement}` for the range
    for (const r of dwell)
      for (const key of [`${r.day}\n${r.placement}`, `\n${r.placement}`]) {
        const h = histograms.get(key) ?? new Map<number, number>();
        h.set(r.bucket, (h.get(r.bucket) ?? 0) + Number(r.n));
        histograms.set(key, h);
      }
    const sumPlacements = (d: string, metric: string) => placements.reduce((s, p) => s + n(d, p, metric), 0);

    // Each day's exact counts, summed for the range's totals, then shown.
    const raw = daysBetween(from, to).map((d) => {
      const [views, tourStarts, tourCompletions, tourAudio, vrSessions, arSessions] = SHOW_METRICS.map((m) => n(d, "", m)) as number[];
      return {
        day: d,
        counts: [views!, visitorsOn.get(d) ?? 0, tourStarts!, tourCompletions!, sumPlacements(d, "annotation_opens"), tourAudio! + sumPlacements(d, "audio_plays"), vrSessions!, arSessions!],
        devices: DEVICE_CLASSES.map((c) => n(d, "", `device:${c}`)),
      };
    });
    const showAs = (counts: number[], devices: number[]): Omit<ShowDay, "day"> => {
      const [views, visitors, tourStarts, tourCompletions, annotationOpens, audioPlays, vrSessions, arSessions] = counts.map(shown);
      return {
        views: views!,
        visitors: visitors!,
        tourStarts: tourStarts!,
        tourCompletions: tourCompletions!,
        annotationOpens: annotationOpens!,
        audioPlays: audioPlays!,
        vrSessions: vrSessions!,
        arSessions: arSessions!,
        devices: Object.fromEntries(DEVICE_CLASSES.map((c, i) => [c, shown(devices[i]!)])) as ShowDay["devices"],
      };
    };
    const days: ShowDay[] = raw.map((r) => ({ day: r.day, ...showAs(r.counts, r.devices) }));
    const sum = (rows: number[][]) => rows[0]!.map((_, i) => rows.reduce((s, r) => s + r[i]!, 0));
    const totals = showAs(sum(raw.map((r) => r.counts)), sum(raw.map((r) => r.devices)));
    const activeDays = [...new Set(counts.map((r) => r.day).concat(dwell.map((r) => r.day)))].sort();
    const artefactDays: ArtefactDay[] = activeDays.flatMap((d) =>
      placements
        .filter((p) => n(d, p, "opens") + n(d, p, "annotation_opens") + n(d, p, "audio_plays") > 0 || histograms.has(`${d}\n${p}`))
        .map((p) => ({
          day: d,
          placement: p,
          opens: shown(n(d, p, "opens")),
          annotationOpens: shown(n(d, p, "annotation_opens")),
          audioPlays: shown(n(d, p, "audio_plays")),
          medianDwellSeconds: medianDwell(histograms.get(`${d}\n${p}`) ?? new Map()),
        })),
    );
    const total = (p: string, metric: string) => activeDays.reduce((s, d) => s + n(d, p, metric), 0);
    const artefacts: ArtefactDay[] = placements
      .map((p) => ({ p, opens: total(p, "opens") }))
      .sort((a, b) => b.opens - a.opens || a.p.localeCompare(b.p))
      .map(({ p, opens }) => ({
        day: null,
        placement: p,
        opens: shown(opens),
        annotationOpens: shown(total(p, "annotation_opens")),
        audioPlays: shown(total(p, "audio_plays")),
        medianDwellSeconds: medianDwell(histograms.get(`\n${p}`) ?? new Map()),
      }));
    return { exhibition, from, to, days, totals, artefactDays, artefacts };
  }

  /** Views of every show since a day (for the gallery's "most visited"). */
  async viewsSince(from: string): Promise<Map<string, number>> {
    const rows = await this.db.all<{ exhibition_id: string; n: number | string }>("SELECT exhibition_id, SUM(n) AS n FROM visit_counts WHERE metric = 'views' AND day >= ? GROUP BY exhibition_id", [from]);
    return new Map(rows.map((r) => [r.exhibition_id, Number(r.n)]));
  }
}

/** A cell of a CSV file: quoted when needed, and never read as a formula by a spreadsheet. */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The statistics as CSV: one row per day for the show, then one per artefact and day (titles in the given language). */
export function statsCsv(answer: StatsAnswer, titleOf: (placement: string) => string): string {
  const header = ["day", "artefact", "title", "views", "visitors", "tour_starts", "tour_completions", "annotation_opens", "audio_plays", "vr_sessions", "ar_sessions", ...DEVICE_CLASSES, "opens", "median_dwell_s"];
  const rows: (string | number | null)[][] = [header];
  for (const d of answer.days)
    rows.push([d.day, "", "", d.views, d.visitors, d.tourStarts, d.tourCompletions, d.annotationOpens, d.audioPlays, d.vrSessions, d.arSessions, ...DEVICE_CLASSES.map((c) => d.devices[c]), null, null]);
  for (const a of answer.artefactDays)
    rows.push([a.day, a.placement, titleOf(a.placement), null, null, null, null, a.annotationOpens, a.audioPlays, null, null, ...DEVICE_CLASSES.map(() => null), a.opens, a.medianDwellSeconds]);
  return rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
