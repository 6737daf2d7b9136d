import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureAdmin } from "../../server/accounts/admin";
import { csvCell, DWELL_STEPS, dwellBucket, medianDwell, shown } from "../../server/explore/visit-stats";
import type { VisitReport } from "../../src/shared/api/stats";
import { REPORT_INTERVAL_MS, VisitCounter } from "../../src/stats/visit-counter";
import { ApiSession, TEST_ADMIN } from "../support/api-session";
import { documentedAnswers } from "../support/openapi";
import { startServer } from "../support/server";

/**
 * Visit statistics, privacy first (issue 23): a scripted run of visits over two days gives
 * exactly the expected table (counts under 5 shown as "< 5", visitors told apart only within a
 * day, close-up medians), nothing that could name a visitor is stored, a browser refusing
 * tracking is not counted, and every hostile report or reader is refused cheaply.
 */
const SHOW = "tea-and-its-vessels";
const DAY1 = Date.parse("2026-03-01T10:00:00Z");
const DAY2 = Date.parse("2026-03-02T09:00:00Z");
let clock = DAY1;
let server: Awaited<ReturnType<typeof startServer>>;
let owner: ApiSession;
beforeAll(async () => {
  // Behind one trusted proxy: each scripted visitor comes from its own address (X-Forwarded-For).
  server = await startServer({ clock: () => clock, trustProxy: 1, throttles: { visitReportsPerAddressPerMinute: 30 } });
  await ensureAdmin(server.accounts, TEST_ADMIN.email, TEST_ADMIN.password);
  owner = await ApiSession.admin(server); // the site administrator owns the sample shows
});
afterAll(() => server.close());

const blank = (view: boolean, device: VisitReport["device"] = "desktop"): VisitReport => ({
  exhibition: SHOW,
  view,
  device,
  tourStarts: 0,
  tourCompletions: 0,
  audioPlays: 0,
  vrSessions: 0,
  arSessions: 0,
  artefacts: [],
});
const activity = (placement: string, opens: number, dwellMs: number[], annotationOpens = 0, audioPlays = 0) => ({ placement, opens, annotationOpens, audioPlays, dwellMs });

/** A report from a visitor at `address` (as a browser sends it: JSON, same origin, no cookie). */
function report(address: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/api/visits`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": address, "user-agent": "Mozilla/5.0 (scripted visitor)", origin: server.url, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
async function visit(address: string, body: VisitReport) {
  const r = await report(address, body);
  expect(r.status, await r.clone().text()).toBe(204);
}

describe("visit statistics", () => {
  it("turns a scripted run of 20 visitors over two days into exactly the expected table, CSV and gallery order", async () => {
    const api = await documentedAnswers(server);
    // Day 1: twelve visitors. 1-6 open the tenmoku bowl (10, 20, 30, 40, 60, 60 s), 1-3 open one
    // of its annotations, 1-5 start the tour and 1-4 finish it, 12 enters VR; visitor 1 reloads.
    clock = DAY1;
    const dwell1 = [10_000, 20_000, 30_000, 40_000, 60_000, 60_500];
    for (let v = 1; v <= 12; v++) {
      const r = blank(true, v <= 8 ? "desktop" : v <= 11 ? "phone" : "headset");
      if (v <= 6) r.artefacts.push(activity("p-tenmoku", 1, [dwell1[v - 1]!], v <= 3 ? 1 : 0));
      if (v <= 5) r.tourStarts = 1;
      if (v <= 4) r.tourCompletions = 1;
      if (v === 12) r.vrSessions = 1;
      await visit(`10.0.0.${v}`, r);
    }
    await visit("10.0.0.1", blank(true)); // a reload: a view, not a new visitor
    // Day 2: visitors 13-20 and visitor 1 again (a new day: counted again, not recognisable as the same).
    clock = DAY2;
    for (const v of [1, 13, 14, 15, 16, 17, 18, 19, 20]) {
      const r = blank(true, "phone");
      r.artefacts.push(activity("p-tenmoku", 1, [5_000], 0, 1));
      if (v >= 15) (r.tourStarts = 1), (r.tourCompletions = 1);
      await visit(`10.0.0.${v}`, r);
    }
    // A later report of one visit (no view), one artefact the show does not have (dropped).
    const later = blank(false, "phone");
    later.artefacts.push(activity("p-teapot", 1, [3_000]), activity("made-up", 50, [1_000]));
    later.audioPlays = 2; // a tour step's guide
    await visit("10.0.0.13", later);

    const answer = await owner.call("GET", `/api/exhibitions/${SHOW}/stats?from=2026-03-01&to=2026-03-02`);
    expect(answer.status).toBe(200);
    api.check("/api/exhibitions/{id}/stats", "get", "200", answer.body);
    const zero = { desktop: 0, phone: 0, tablet: 0, headset: 0 };
    expect(answer.body).toEqual({
      exhibition: SHOW,
      from: "2026-03-01",
      to: "2026-03-02",
      days: [
        { day: "2026-03-01", views: 13, visitors: 12, tourStarts: 5, tourCompletions: "< 5", annotationOpens: "< 5", audioPlays: 0, vrSessions: "< 5", arSessions: 0, devices: { ...zero, desktop: 9, phone: "< 5", headset: "< 5" } },
        { day: "2026-03-02", views: 9, visitors: 9, tourStarts: 6, tourCompletions: 6, annotationOpens: 0, audioPlays: 11, vrSessions: 0, arSessions: 0, devices: { ...zero, phone: 9 } },
      ],
      totals: { views: 22, visitors: 21, tourStarts: 11, tourCompletions: 10, annotationOpens: "< 5", audioPlays: 11, vrSessions: "< 5", arSessions: 0, devices: { ...zero, desktop: 9, phone: 12, headset: "< 5" } },
      artefactDays: [
        { day: "2026-03-01", placement: "p-tenmoku", opens: 6, annotationOpens: "< 5", audioPlays: 0, medianDwellSeconds: 30 },
        { day: "2026-03-02", placement: "p-teapot", opens: "< 5", annotationOpens: 0, audioPlays: 0, medianDwellSeconds: null },
        { day: "2026-03-02", placement: "p-tenmoku", opens: 9, annotationOpens: 0, audioPlays: 9, medianDwellSeconds: 5 },
      ],
      artefacts: [
        // 15 close-ups: nine of 5 s, then 10, 20, 30, 40, 60, 60 s: the middle (8th) is 5 s.
        { day: null, placement: "p-tenmoku", opens: 15, annotationOpens: "< 5", audioPlays: 9, medianDwellSeconds: 5 },
        { day: null, placement: "p-teapot", opens: "< 5", annotationOpens: 0, audioPlays: 0, medianDwellSeconds: null },
      ],
    });

    // The same as CSV, for a spreadsheet (titles in the asked language, a BOM for Chinese).
    const csv = await owner.get(`/api/exhibitions/${SHOW}/stats.csv?from=2026-03-01&to=2026-03-02&lang=zh-Hant`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.headers.get("content-disposition")).toContain(`${SHOW}-visits-2026-03-01-2026-03-02.csv`);
    const lines = (await csv.text()).replace(/^\uFEFF/, "").trimEnd().split("\r\n");
    expect(lines[0]).toBe("day,artefact,title,views,visitors,tour_starts,tour_completions,annotation_opens,audio_plays,vr_sessions,ar_sessions,desktop,phone,tablet,headset,opens,median_dwell_s");
    expect(lines[1]).toBe("2026-03-01,,,13,12,5,< 5,< 5,0,< 5,0,9,< 5,0,< 5,,");
    expect(lines[2]).toBe("2026-03-02,,,9,9,6,6,0,11,0,0,0,9,0,0,,");
    expect(lines[3]).toBe("2026-03-01,p-tenmoku,黑釉茶碗,,,,,< 5,0,,,,,,,6,30");
    expect(lines.length).toBe(6);

    // Nothing stored could name a visitor: no address, no user agent; only today's salt is kept.
    const rows = JSON.stringify([
      await server.accounts.db.all("SELECT * FROM visit_counts"),
      await server.accounts.db.all("SELECT * FROM visit_dwell"),
      await server.accounts.db.all("SELECT * FROM visit_visitors"),
    ]);
    expect(rows).not.toContain("10.0.0.");
    expect(rows).not.toContain("scripted visitor");
    expect(await server.accounts.db.all("SELECT day FROM visit_salts")).toEqual([{ day: "2026-03-02" }]);
    expect(rows).not.toContain("made-up");

    // The gallery's "most visited" (the last 30 days, here of DAY2): the tea show before a show
    // published since, which "newest" puts first.
    const other = await ApiSession.signUpOn(server, "newer@school.test");
    expect((await other.call("POST", "/api/exhibitions", { id: "newer-show", title: { en: "Newer" }, template: "micro" })).status).toBe(201);
    expect((await other.call("POST", "/api/exhibitions/newer-show/publish")).status).toBe(200);
    const order = async (sort: string) => ((await new ApiSession(server).call("GET", `/api/explore?sort=${sort}`)).body.cards as { id: string }[]).map((c) => c.id);
    const visited = await order("visited");
    expect(visited[0]).toBe(SHOW);
    expect(visited).toContain("newer-show");
    expect((await order("newest"))[0]).toBe("newer-show");
  });

  it("counts nothing for a browser that sends Do Not Track or Global Privacy Control", async () => {
    clock = Date.parse("2026-04-01T12:00:00Z");
    for (const headers of [{ dnt: "1" }, { "sec-gpc": "1" }] as Record<string, string>[]) expect((await report("10.1.0.1", blank(true), headers)).status).toBe(204);
    const day = (await owner.call("GET", `/api/exhibitions/${SHOW}/stats?from=2026-04-01&to=2026-04-01`)).body.days[0];
    expect(day.views).toBe(0);
    expect(day.visitors).toBe(0);
  });

  it("lets only owners and curators read them: anonymous, viewers and commenters are refused", async () => {
    const path = `/api/exhibitions/${SHOW}/stats`;
    expect((await new ApiSession(server).call("GET", path)).status).toBe(403); // a public show: seen, but not its statistics
    const stranger = await ApiSession.signUpOn(server, "stranger@school.test");
    expect((await stranger.call("GET", path)).status).toBe(403);
    expect((await stranger.get(`${path.replace("/stats", "/stats.csv")}`)).status).toBe(403);
    const commenter = await ApiSession.signUpOn(server, "commenter@school.test");
    expect((await owner.call("POST", `/api/exhibitions/${SHOW}/members`, { email: "commenter@school.test", role: "commenter" })).status).toBeLessThan(300);
    expect((await commenter.call("GET", path)).status).toBe(403);
    // A private show does not exist for others, neither to read nor to report on.
    const mine = await ApiSession.signUpOn(server, "private-stats@school.test");
    expect((await mine.call("POST", "/api/exhibitions", { id: "private-stats", title: { en: "Private" }, template: "micro" })).status).toBe(201);
    expect((await stranger.call("GET", "/api/exhibitions/private-stats/stats")).status).toBe(404);
    expect((await report("10.2.0.1", { ...blank(true), exhibition: "private-stats" })).status).toBe(404);
    expect((await mine.call("GET", "/api/exhibitions/private-stats/stats")).status).toBe(200);
    // Ranges: in order, at most a year, days as days.
    const bad = await owner.call("GET", `${path}?from=2026-05-02&to=2026-05-01`);
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe("from");
    expect((await owner.call("GET", `${path}?from=2020-01-01&to=2026-05-01`)).status).toBe(400);
    expect((await owner.call("GET", `${path}?from=yesterday`)).body.field).toBe("from");
  });

  it("refuses hostile reports: another site's, oversized, malformed, a flood", async () => {
    const before = await server.accounts.db.all("SELECT * FROM visit_counts");
    // From another site's page.
    expect((await report("10.3.0.1", blank(true), { origin: "https://elsewhere.example" })).status).toBe(403);
    // Too large (a show has no more than 64 artefacts in one report, 8 KB in all).
    const big = { ...blank(true), artefacts: Array.from({ length: 200 }, (_, i) => activity(`p${i}`, 1, [1000])) };
    expect((await report("10.3.0.2", big)).status).toBe(413);
    // Malformed: the field is named.
    const wrong = await report("10.3.0.3", { ...blank(true), view: "yes" });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { field: string }).field).toBe("view");
    const extra = await report("10.3.0.3", { ...blank(true), visitorId: "abc" }); // no identifier may ride along
    expect(extra.status).toBe(400);
    expect((await report("10.3.0.3", { ...blank(true), tourStarts: 1e9 })).status).toBe(400);
    expect((await report("10.3.0.3", "{not json")).status).toBe(400);
    expect((await report("10.3.0.3", blank(true), { "content-type": "text/plain" })).status).toBe(415);
    expect(await server.accounts.db.all("SELECT * FROM visit_counts")).toEqual(before);
    // A flood from one address: refused with 429 and Retry-After past the limit (30 a minute here).
    const answers = await Promise.all(Array.from({ length: 60 }, () => report("10.3.0.9", blank(false))));
    const refused = answers.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(25);
    expect(Number(refused[0]!.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("the visit page's counter", () => {
  it("sends the view at once, then at most one report a minute with only what happened, and one on leaving", () => {
    let t = 0;
    const sent: VisitReport[] = [];
    const c = new VisitCounter(SHOW, "phone", (r) => sent.push(r), () => t);
    c.opened("p-teapot");
    expect(c.flush(true)).toBe(false); // left while loading: no view, nothing sent
    c.closed();
    c.start(); // the room is on show: the view
    expect(sent.length).toBe(1);
    expect(sent[0]).toMatchObject({ view: true, device: "phone" });
    c.opened("p-tenmoku");
    t = 12_000;
    c.annotationOpened("p-tenmoku");
    c.audioPlayed("p-tenmoku");
    c.closed();
    c.tourStarted();
    for (t = 12_000; t < REPORT_INTERVAL_MS; t += 1000) expect(c.flush()).toBe(false); // not before a minute
    t = REPORT_INTERVAL_MS;
    expect(c.flush()).toBe(true);
    expect(sent[1]).toEqual({ ...blank(false, "phone"), tourStarts: 1, artefacts: [activity("p-tenmoku", 1, [12_000], 1, 1)] });
    t += 5 * REPORT_INTERVAL_MS;
    expect(c.flush()).toBe(false); // nothing happened: nothing sent
    // Hidden with a close-up open: its time so far is counted, the time away is not.
    c.opened("p-teapot");
    t += 4000;
    expect(c.flush(true)).toBe(true);
    expect(sent[2]!.artefacts).toEqual([activity("p-teapot", 1, [4000])]);
    t += 600_000; // away for ten minutes
    c.resumed();
    t += 2000;
    c.closed();
    expect(c.flush(true)).toBe(true);
    expect(sent[3]!.artefacts).toEqual([activity("p-teapot", 0, [2000])]);
    expect(sent.length).toBe(4);
  });

  it("shows small counts as \"< 5\", keeps close-up times in steps and quotes CSV cells safely", () => {
    expect([0, 1, 4, 5, 120].map(shown)).toEqual([0, "< 5", "< 5", 5, 120]);
    expect([0, 999, 1000, 9_999, 10_000, 11_999, 12_000, 3_600_000].map((ms) => DWELL_STEPS[dwellBucket(ms)])).toEqual([0, 0, 1, 9, 10, 10, 12, 1800]);
    expect(medianDwell(new Map([[3, 4]]))).toBeNull(); // under 5 close-ups: no median
    expect(medianDwell(new Map([[3, 3], [10, 3]]))).toBe(3);
    expect(csvCell("=HYPERLINK(\"x\")")).toBe("\"'=HYPERLINK(\"\"x\"\")\"");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell(null)).toBe("");
  });
});

describe("the visitor survey", () => {
  const answer = (address: string, body: unknown, show = SHOW) =>
    fetch(`${server.url}/api/exhibitions/${show}/survey/answers`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": address, origin: server.url },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  it("is off until an owner turns it on; then visitors answer once each and owners read the positive share per day", async () => {
    const api = await documentedAnswers(server);
    clock = Date.parse("2026-05-01T10:00:00Z");
    const anyone = new ApiSession(server);
    const off = await anyone.call("GET", `/api/exhibitions/${SHOW}/survey`);
    expect(off.status).toBe(200);
    expect(off.body.enabled).toBe(false);
    expect((await answer("10.5.0.1", { enjoy: 5 })).status).toBe(409); // nothing asked yet
    // Only owners and curators choose the questions.
    expect((await anyone.call("PUT", `/api/exhibitions/${SHOW}/survey`, { enabled: true, questions: ["enjoy"] })).status).toBe(403);
    const set = await owner.call("PUT", `/api/exhibitions/${SHOW}/survey`, { enabled: true, questions: ["enjoy", "learned"] });
    expect(set.status).toBe(200);
    api.check("/api/exhibitions/{id}/survey", "put", "200", set.body);
    expect((await anyone.call("GET", `/api/exhibitions/${SHOW}/survey`)).body).toEqual({ enabled: true, questions: ["enjoy", "learned"] });
    for (const bad of [{ enabled: true, questions: [] }, { enabled: true, questions: ["enjoy", "enjoy"] }, { enabled: true, questions: ["favourite-colour"] }]) {
      const r = await owner.call("PUT", `/api/exhibitions/${SHOW}/survey`, bad);
      expect(r.status).toBe(400);
      expect(r.body.error).toMatch(/questions/);
    }
    // Day 1: six answers (4 and 5 are positive: 4 of 6); day 2: two (the share needs 5: none).
    for (const [i, enjoy] of [5, 4, 4, 5, 2, 3].entries()) expect((await answer(`10.5.1.${i}`, { enjoy, ...(i === 0 ? { learned: "天目釉的兔毫紋" } : {}) })).status).toBe(204);
    clock = Date.parse("2026-05-02T10:00:00Z");
    expect((await answer("10.5.2.1", { enjoy: 5, recommend: true })).status).toBe(204); // a question not asked: dropped
    expect((await answer("10.5.2.2", { learned: "=cmd|' /C calc'!A0" })).status).toBe(204);
    // Refused: malformed, too long, nothing answered, unknown fields.
    for (const bad of [{ enjoy: 6 }, { enjoy: "5" }, { learned: "x".repeat(501) }, {}, { enjoy: 3, name: "Ada" }]) expect((await answer("10.5.3.1", bad)).status).toBe(400);
    expect((await answer("10.5.3.1", { recommend: true })).status).toBe(400); // only an unasked question answered

    const results = await owner.call("GET", `/api/exhibitions/${SHOW}/survey/results?from=2026-05-01&to=2026-05-02`);
    expect(results.status).toBe(200);
    api.check("/api/exhibitions/{id}/survey/results", "get", "200", results.body);
    expect(results.body.days).toEqual([
      { day: "2026-05-01", answers: 6, enjoy: [0, "< 5", "< 5", "< 5", "< 5"], recommendYes: 0, recommendNo: 0, positiveShare: 0.667 },
      { day: "2026-05-02", answers: "< 5", enjoy: [0, 0, 0, 0, "< 5"], recommendYes: 0, recommendNo: 0, positiveShare: null },
    ]);
    expect(results.body.total).toMatchObject({ day: null, answers: 8, positiveShare: 0.714 }); // 5 of 7 that say
    expect(results.body.learned).toEqual([
      { day: "2026-05-02", text: "=cmd|' /C calc'!A0" },
      { day: "2026-05-01", text: "天目釉的兔毫紋" },
    ]);
    const csv = await (await owner.get(`/api/exhibitions/${SHOW}/survey.csv?from=2026-05-01&to=2026-05-02`)).text();
    expect(csv).toContain("2026-05-01,6,0,< 5,< 5,< 5,< 5,0,0,0.667");
    expect(csv).toContain("2026-05-02,'=cmd|' /C calc'!A0"); // never read as a formula by a spreadsheet
    // Others never read the answers.
    expect((await anyone.call("GET", `/api/exhibitions/${SHOW}/survey/results`)).status).toBe(403);
    expect((await anyone.get(`/api/exhibitions/${SHOW}/survey.csv`)).status).toBe(403);
  });

  it("refuses a flood of answers from one address, and answers to a show the visitor cannot see", async () => {
    const answers = await Promise.all(Array.from({ length: 130 }, () => answer("10.6.0.1", { enjoy: 4 })));
    const refused = answers.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(10); // 120 an hour per address
    expect(Number(refused[0]!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await answer("10.6.0.2", { enjoy: 4 }, "private-stats")).status).toBe(404);
    expect((await answer("10.6.0.2", "x".repeat(5000))).status).toBe(413);
  });
});
