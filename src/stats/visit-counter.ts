import { MAX_DWELL_MS, type ArtefactActivity, type DeviceClass, type VisitReport } from "../shared/api/stats";

/** A visit page reports at most this often while it is open (ms); once more when the visitor leaves. */
export const REPORT_INTERVAL_MS = 60_000;
/** Reports name at most this many artefacts and close-up times each (the server's limits). */
const MAX_ARTEFACTS = 64;
const MAX_DWELLS = 16;

/**
 * Counts what one visit page does, in memory only, and hands a report to `send` at most once a
 * `REPORT_INTERVAL_MS` (the first as soon as the room is on show, `start`: that is the view) and
 * when the visitor leaves. Nothing identifies the visitor: no id, no cookie, no storage; a report holds
 * counts since the previous one. Framework-free and event-driven (nothing runs per frame):
 * `src/stats/stats-extension.tsx` wires it to the page.
 */
export class VisitCounter {
  /** The room is on show: nothing is reported before (a page closed while loading was no view). */
  private started = false;
  private viewSent = false;
  private lastSent = -Infinity;
  private tourStarts = 0;
  private tourCompletions = 0;
  private audioPlays = 0;
  private vrSessions = 0;
  private arSessions = 0;
  private artefacts = new Map<string, ArtefactActivity>();
  /** The close-up open now, and since when (null while none, or while the page is hidden). */
  private open: { placement: string; since: number } | null = null;

  constructor(
    private readonly exhibition: string,
    private readonly device: DeviceClass,
    private readonly send: (report: VisitReport) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  private activity(placement: string): ArtefactActivity | null {
    let a = this.artefacts.get(placement);
    if (!a) {
      if (this.artefacts.size >= MAX_ARTEFACTS) return null;
      a = { placement, opens: 0, annotationOpens: 0, audioPlays: 0, dwellMs: [] };
      this.artefacts.set(placement, a);
    }
    return a;
  }

  /** A close-up opened (another one open closes first). */
  opened(placement: string): void {
    if (this.open?.placement === placement) return;
    this.closed();
    const a = this.activity(placement);
    if (a) a.opens++;
    this.open = { placement, since: this.now() };
  }

  /** The close-up was closed: its time is counted. */
  closed(): void {
    if (!this.open) return;
    const a = this.activity(this.open.placement);
    // Not timed while the page was hidden (its time up to then was counted when it was hidden).
    if (a && a.dwellMs.length < MAX_DWELLS && !Number.isNaN(this.open.since)) a.dwellMs.push(Math.min(MAX_DWELL_MS, Math.round(this.now() - this.open.since)));
    this.open = null;
  }

  annotationOpened(placement: string): void {
    const a = this.activity(placement);
    if (a) a.annotationOpens++;
  }

  /** An audio guide played: an artefact's, or a tour step's (null). */
  audioPlayed(placement: string | null): void {
    if (placement === null) this.audioPlays++;
    else {
      const a = this.activity(placement);
      if (a) a.audioPlays++;
    }
  }

  tourStarted(): void {
    this.tourStarts++;
  }

  /** The tour reached its last step. */
  tourCompleted(): void {
    this.tourCompletions++;
  }

  immersive(kind: "vr" | "ar"): void {
    if (kind === "vr") this.vrSessions++;
    else this.arSessions++;
  }

  /** The room is on show: the view is reported at once. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.flush();
  }

  private pending(): boolean {
    if (!this.started) return false;
    return !this.viewSent || this.tourStarts + this.tourCompletions + this.audioPlays + this.vrSessions + this.arSessions > 0 || this.artefacts.size > 0;
  }

  /**
   * Sends what was counted since the last report, if anything was and a minute has passed (the
   * first report at once). `leaving`: the page is being hidden or closed; an open close-up's time
   * ends here (`resumed` starts it again if the visitor comes back) and the minute is not waited for.
   * Returns whether a report was sent.
   */
  flush(leaving = false): boolean {
    if (leaving && this.open) {
      const placement = this.open.placement;
      this.closed();
      this.open = { placement, since: Number.NaN }; // still open, not timed while away
    }
    if (!this.pending() || (!leaving && this.viewSent && this.now() - this.lastSent < REPORT_INTERVAL_MS)) return false;
    const report: VisitReport = {
      exhibition: this.exhibition,
      view: !this.viewSent,
      device: this.device,
      tourStarts: this.tourStarts,
      tourCompletions: this.tourCompletions,
      audioPlays: this.audioPlays,
      vrSessions: this.vrSessions,
      arSessions: this.arSessions,
      artefacts: [...this.artefacts.values()],
    };
    this.viewSent = true;
    this.lastSent = this.now();
    this.tourStarts = this.tourCompletions = this.audioPlays = this.vrSessions = this.arSessions = 0;
    this.artefacts = new Map();
    this.send(report);
    return true;
  }

  /** The page is shown again: a close-up still open is timed from now. */
  resumed(): void {
    if (this.open && Number.isNaN(this.open.since)) this.open.since = this.now();
  }
}
