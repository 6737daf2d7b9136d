import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Exhibition } from "../../src/shared/exhibition";
import type { ClassState, RosterEntry } from "../../src/shared/class-protocol";
import { launchChromium } from "../support/browser";
import { RawClassClient } from "../support/class-clients";
import { ROOT, startServer } from "../support/server";
import { aim, bothEyes, frames, press, probe } from "../support/xr-driver";
import { installXREmulator } from "../support/xr-emulator";

/**
 * A class run end to end in real browsers on the real server: a signed-in teacher starts a class
 * on the tea exhibition; three students join with the code and a nickname, one on a laptop, one
 * on a phone, one in a headset (IWER Quest 3). Follow me, gather, highlight, lock, tour steps and
 * the end of the class are each observed on every student; a raised hand on the teacher's roster.
 */
const OUT = join(ROOT, "test-results");
const TEA = JSON.parse(readFileSync(join(ROOT, "exhibitions/tea-and-its-vessels.json"), "utf8")) as Exhibition;

interface ClassProbe {
  role: "teacher" | "student" | null;
  link: string;
  state: ClassState | null;
  roster: RosterEntry[];
  handRaised: boolean;
  closedReason: string | null;
  guide: { follow: boolean; locked: boolean; gather: number; gatherDone: number; slot: number; spot: [number, number] };
  teacher: { p: number[]; q: number[]; room: string } | null;
  highlightShown: string | null;
}
const cls = (page: Page) => page.evaluate(() => window.atrium!.classState() as ClassProbe);
const camera = (page: Page) => page.evaluate(() => window.atrium!.cameraPosition());
const dist2d = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0]! - b[0]!, a[2]! - b[2]!);
/**
 * Waits until the class probe on `page` satisfies `test` (source over the probe `c`). The probe is
 * read from the page and the test run here: the app's CSP forbids evaluating strings in the page.
 */
const until = async (page: Page, test: string, timeout = 30_000) => {
  const check = new Function("c", `return !!c && (${test});`) as (c: ClassProbe | null) => boolean;
  const end = Date.now() + timeout;
  let seen: ClassProbe | null = null;
  while (Date.now() < end) {
    seen = await page.evaluate(() => (window.atrium?.classState() ?? null) as ClassProbe | null).catch(() => null);
    if (check(seen)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${page === teacher ? "teacher" : page === laptop ? "laptop" : page === phone ? "phone" : "headset"}: never ${test}; class probe: ${JSON.stringify(seen)}`);
};

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let teacherContext: BrowserContext;
let teacher: Page;
let laptop: Page;
let phone: Page;
let headset: Page;
let code = "";

/** Opens the join link in a fresh context, types a nickname, and waits for the class's room. */
async function joinAs(nickname: string, options: { phone?: boolean; vr?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext(
    options.phone
      ? { viewport: { width: 390, height: 760 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: "en-US" }
      : { viewport: { width: 800, height: 480 }, locale: "en-US" },
  );
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error(`[${nickname}] ${e.message}`));
  if (options.vr) await installXREmulator(page);
  await page.goto(`${server.url}/join/${code}`);
  await page.fill("input[name=nickname]", nickname);
  await page.click("button[type=submit]");
  await page.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 150_000 });
  await until(page, `c.link === "online" && c.state !== null`);
  return page;
}

/**
 * Holds a key until the page's camera has moved `metres` from where it was (or turned `radians`):
 * walking speed is per frame, and four pages share two cores' software rendering, so a fixed hold
 * time would walk a different distance on every run.
 */
async function walk(page: Page, key: string, until: { metres?: number; radians?: number }): Promise<void> {
  const p0 = await camera(page);
  const q0 = await page.evaluate(() => window.atrium!.cameraQuaternion());
  await page.keyboard.down(key);
  try {
    await page.waitForFunction(
      ([p, q, m, r]) => {
        const c = window.atrium!.cameraPosition();
        const d = window.atrium!.cameraQuaternion();
        const turned = 2 * Math.acos(Math.min(1, Math.abs(q![0]! * d[0] + q![1]! * d[1] + q![2]! * d[2] + q![3]! * d[3])));
        return (m !== null && Math.hypot(c[0] - p![0]!, c[2] - p![2]!) >= m) || (r !== null && turned >= r);
      },
      [p0, q0, until.metres ?? null, until.radians ?? null] as const,
      { timeout: 60_000, polling: 50 },
    );
  } finally {
    await page.keyboard.up(key);
  }
  await page.waitForTimeout(400);
}

/** Frames the class layer has counted on a student's page (the scene's own clock). */
const studentFrames = (page: Page) => page.evaluate(() => (window.atrium!.classState() as { frames: number }).frames);

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
  teacherContext = await browser.newContext({ viewport: { width: 1100, height: 680 }, locale: "en-US" });
  const signUp = await teacherContext.request.post(`${server.url}/api/accounts`, { data: { email: "lin@school.test", name: "Ms Lin", password: "a long enough password" } });
  expect(signUp.status()).toBe(201);
  teacher = await teacherContext.newPage();
  teacher.on("pageerror", (e) => console.error(`[teacher] ${e.message}`));
  teacher.on("dialog", (d) => void d.accept());
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("a class in the tea exhibition: a teacher and three students (laptop, phone, headset)", () => {
  it("starts a class: a 6-character code, a QR code and a link on the teacher's page", async () => {
    await teacher.goto(`${server.url}/visit/tea-and-its-vessels?lang=en`);
    await teacher.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 150_000 });
    await teacher.click("button.start-class");
    await teacher.waitForFunction(() => /^[2-9A-Z]{6}$/.test(document.querySelector(".class-code")?.textContent ?? ""), null, { timeout: 20_000 });
    code = (await teacher.textContent(".class-code"))!;
    expect(new URL(teacher.url()).searchParams.get("class")).toMatch(/^class-/);
    expect(await teacher.getAttribute(".class-join a", "href")).toBe(`${server.url}/join/${code}`);
    const qr = teacher.locator(".class-join img");
    await qr.waitFor();
    expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect((await cls(teacher)).role).toBe("teacher");
  }, 200_000);

  it("admits three students by code and nickname; the roster shows their devices", async () => {
    laptop = await joinAs("Mei");
    phone = await joinAs("Kai", { phone: true });
    headset = await joinAs("Ari", { vr: true });
    await headset.click("button[name=enter-vr]");
    await headset.waitForFunction(() => (window.atrium!.xr() as { inputs: unknown[] } | null)?.inputs.length === 2, null, { timeout: 60_000 });
    // Status reports come every 5 s: wait for all three devices, the headset in its session.
    await until(teacher, `c.roster.length === 3 && c.roster.every((r) => r.connected && r.device !== null) && c.roster.some((r) => r.immersive)`, 40_000);
    const roster = (await cls(teacher)).roster;
    expect(Object.fromEntries(roster.map((r) => [r.nickname, r.device]))).toEqual({ Mei: "desktop", Kai: "handheld", Ari: "headset" });
    expect(await teacher.locator(".roster-row").count()).toBe(3);
    // A raised hand shows on the teacher's roster; the teacher lowers it.
    await laptop.click("[data-class=hand]");
    await teacher.locator('.roster-row.hand[data-student="Mei"]').waitFor({ timeout: 10_000 });
    await teacher.click('.roster-row[data-student="Mei"] .hand-up');
    await until(laptop, "!c.handRaised", 10_000);
  }, 400_000);

  it("follow me: every student's view follows the teacher's; the headset is moved beside the teacher, never turned", async () => {
    const vrBefore = await probe(headset);
    await teacher.click("[data-class=follow]");
    for (const p of [laptop, phone, headset]) await until(p, "c.guide.follow");
    await walk(teacher, "w", { metres: 3.1 }); // far enough (> 1.5 m beyond any gathering spot) that the headset student must be moved
    await walk(teacher, "ArrowLeft", { radians: 0.3 }); // and turn
    const tc = await camera(teacher);
    const tq = await teacher.evaluate(() => window.atrium!.cameraQuaternion());
    expect(dist2d(tc, [0, 1.6, 3.5])).toBeGreaterThan(3); // the teacher really moved
    for (const p of [laptop, phone]) {
      // Same place and same direction of view (within 0.03 rad) once the interpolation settles.
      await p.waitForFunction(
        ([x, z, q]) => {
          const c = window.atrium!.cameraPosition();
          const d = window.atrium!.cameraQuaternion();
          return Math.hypot(c[0] - x!, c[2] - z!) < 0.02 && Math.abs(q![0]! * d[0] + q![1]! * d[1] + q![2]! * d[2] + q![3]! * d[3]) > 0.9999;
        },
        [tc[0], tc[2], tq] as const,
        { timeout: 20_000 },
      );
    }
    // The headset student was moved (with a fade) and, now that the teacher stands still, is
    // within 1.5 m of their gathering spot by the teacher (spots are at most 1.44 m from the teacher).
    await headset.waitForFunction(
      ([m, x, z]) => {
        const xr = window.atrium!.xr() as { moves: number; fading: boolean; headWorld: { x: number; z: number } };
        const [sx, sz] = (window.atrium!.classState() as { guide: { spot: [number, number] } }).guide.spot;
        return xr.moves > m! && !xr.fading && Math.hypot(sx - x!, sz - z!) < 1.45 && Math.hypot(xr.headWorld.x - sx, xr.headWorld.z - sz) <= 1.5;
      },
      [vrBefore.moves, tc[0], tc[2]] as const,
      { timeout: 60_000 },
    );
    const vr = await probe(headset);
    expect(Math.hypot(vr.headWorld.x - vrBefore.headWorld.x, vr.headWorld.z - vrBefore.headWorld.z)).toBeGreaterThan(1); // really moved
    expect(vr.origin.yaw).toBeCloseTo(vrBefore.origin.yaw, 6); // follow never turns a headset student
    await laptop.screenshot({ path: join(OUT, "class-student-following.png") });
    await teacher.click("[data-class=free]");
    for (const p of [laptop, phone, headset]) await until(p, "!c.guide.follow");
  }, 200_000);

  it("gather: students who walked away are brought next to the teacher", async () => {
    await walk(laptop, "s", { metres: 2.2 }); // the laptop student walks off
    const before = await camera(laptop);
    const tc = await camera(teacher);
    expect(dist2d(before, tc)).toBeGreaterThan(1.6);
    const vrMoves = (await probe(headset)).moves;
    await teacher.click("[data-class=gather]");
    for (const p of [laptop, phone]) await p.waitForFunction(([x, z]) => document.body.dataset.camera === "still" && Math.hypot(window.atrium!.cameraPosition()[0] - x!, window.atrium!.cameraPosition()[2] - z!) < 1.6, [tc[0], tc[2]], { timeout: 20_000 });
    await headset.waitForFunction((m) => (window.atrium!.xr() as { moves: number; fading: boolean }).moves > m && !(window.atrium!.xr() as { fading: boolean }).fading, vrMoves, { timeout: 30_000 });
    const vr = await probe(headset);
    expect(Math.hypot(vr.headWorld.x - tc[0], vr.headWorld.z - tc[2])).toBeLessThan(1.6);
    // Beside the teacher (not in their place), the students see the teacher's figure.
    for (const p of [laptop, phone]) await p.waitForFunction(() => (window.atrium!.classState() as { teacherFigure: boolean }).teacherFigure, null, { timeout: 10_000 });
  }, 200_000);

  it("highlight: the object the teacher selected is spotlit for everyone", async () => {
    // "Follow me" left the teacher by the cup's plinth (walking is metres per second, so a slow frame
    // may take them right up to it): a step back brings the cup into view.
    await walk(teacher, "s", { metres: 1.2 });
    await teacher.waitForFunction(() => document.body.dataset.camera === "still");
    const at = await teacher.evaluate(() => window.atrium!.artefactScreenPoint("p-qingbai"));
    expect(at).not.toBeNull();
    // A click there reaches the 3D view (not the class panel over it).
    expect(await teacher.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.tagName, [at!.x, at!.y])).toBe("CANVAS");
    await teacher.mouse.click(at!.x, at!.y);
    await teacher.locator("[data-class=highlight]:not([disabled])").waitFor({ timeout: 10_000 });
    // In front of a class the owner's close-up shows the label, never the field that edits it.
    await teacher.locator(".inspect-panel").waitFor();
    expect(await teacher.locator(".inspect-title-input").count()).toBe(0);
    await teacher.click("[data-class=highlight]");
    for (const p of [teacher, laptop, phone, headset]) await until(p, `c.highlightShown === "p-qingbai"`);
    expect(await laptop.locator(".highlight-pill").textContent()).toContain("Cup");
    await teacher.keyboard.press("Escape");
    await teacher.waitForFunction(() => document.body.dataset.camera === "still");
    await teacher.screenshot({ path: join(OUT, "class-teacher.png") });
    await laptop.waitForTimeout(300);
    await laptop.screenshot({ path: join(OUT, "class-student-highlight.png") });
    await phone.screenshot({ path: join(OUT, "class-student-phone.png") });
    await bothEyes(headset, join(OUT, "class-student-vr.png"));
  }, 200_000);

  it("lock: students cannot walk, change rooms or teleport until the teacher unlocks", async () => {
    await teacher.click("[data-class=lock]");
    for (const p of [laptop, phone, headset]) await until(p, "c.guide.locked");
    const before = await camera(laptop);
    const frames0 = await studentFrames(laptop);
    await laptop.keyboard.down("w");
    await laptop.waitForFunction((f) => (window.atrium!.classState() as { frames: number }).frames >= f + 15, frames0, { timeout: 60_000 });
    await laptop.keyboard.up("w");
    expect(dist2d(await camera(laptop), before)).toBeLessThan(0.01); // 15 frames of "walk forward": not a step
    expect(await laptop.locator('.room-nav button[data-room="brewing"]').isDisabled()).toBe(true);
    // The headset student points at the floor and pulls the trigger: no teleport.
    const vr = await probe(headset);
    await aim(headset, "right", [0.2, 1.1, -0.2], [vr.headWorld.x + 0.3, 0, vr.headWorld.z + 1]);
    await press(headset, "right", "trigger");
    await frames(headset, 6);
    expect((await probe(headset)).moves).toBe(vr.moves);
    await teacher.click("[data-class=lock]");
    for (const p of [laptop, phone, headset]) await until(p, "!c.guide.locked");
    await walk(laptop, "w", { metres: 0.2 }); // walking again
  }, 200_000);

  it("tour: every student is on the teacher's step and reads its text", async () => {
    await teacher.click(".tour-start");
    await teacher.click(".tour-buttons .primary"); // step 2
    const step = TEA.tour[1]!;
    for (const p of [laptop, phone]) {
      await p.waitForFunction((sid) => document.querySelector(".tour-panel")?.getAttribute("data-step") === sid, step.id, { timeout: 20_000 });
      expect(await p.locator(".tour-text").textContent()).toBe(step.text.en);
      await p.waitForFunction(([x, z]) => document.body.dataset.camera === "still" && Math.hypot(window.atrium!.cameraPosition()[0] - x!, window.atrium!.cameraPosition()[2] - z!) < 0.05, [step.camera.position[0], step.camera.position[2]], { timeout: 20_000 });
    }
    await headset.waitForFunction((sid) => (window.atrium!.xr() as { panels: string[] }).panels.includes(`vr-tour:${sid}`), step.id, { timeout: 30_000 });
    expect((await headset.evaluate((sid) => window.atrium!.xrPanel(`vr-tour:${sid}`), step.id))!.text.join(" ")).toContain(step.text.en!.slice(0, 30));
    await headset.waitForFunction(() => !(window.atrium!.xr() as { fading: boolean }).fading, null, { timeout: 20_000 });
    const vr = await probe(headset);
    expect(Math.hypot(vr.headWorld.x - step.camera.position[0], vr.headWorld.z - step.camera.position[2])).toBeLessThan(0.05);
    // A question at this stop: the teacher writes it, students answer on the laptop and the phone, the spread is live on the teacher's panel.
    const prompt = "What is the dark glaze of the tea bowl called?";
    await teacher.click("[data-class=ask]");
    await teacher.fill(".composer input[name=prompt]", prompt);
    await teacher.fill(".composer input[name=choice-1]", "Tenmoku");
    await teacher.fill(".composer input[name=choice-2]", "Celadon");
    await teacher.getByRole("button", { name: "Add a choice" }).click();
    await teacher.fill(".composer input[name=choice-3]", "Raku");
    await teacher.click("[data-class=ask-send]");
    for (const p of [laptop, phone]) await p.locator(".class-question.student").waitFor({ timeout: 20_000 });
    expect(await phone.locator(".class-question.student .prompt").textContent()).toBe(prompt);
    expect((await cls(laptop)).state!.question).toMatchObject({ kind: "choice", options: ["Tenmoku", "Celadon", "Raku"], step: 1 });
    await laptop.click('.answer-choices [data-choice="0"]');
    await phone.tap('.answer-choices [data-choice="1"]');
    const spread = () => teacher.evaluate(() => [...document.querySelectorAll(".question-spread [data-choice]")].map((li) => Number(li.getAttribute("data-count"))));
    await expect.poll(spread, { timeout: 20_000 }).toEqual([1, 1, 0]);
    expect(await teacher.locator(".question-spread [data-answered]").textContent()).toBe("2 of 3 answered");
    // The headset student sees it on a panel beside the VR menu (answered there in class-vr.test.ts).
    await headset.waitForFunction(() => (window.atrium!.xr() as { panels: string[] }).panels.includes("vr-class-question:q1"), null, { timeout: 30_000 });
    await phone.locator('.answer-choices [data-choice="1"][aria-pressed="true"]').waitFor({ timeout: 10_000 });
    await phone.locator(".class-question .sent").waitFor();
    await phone.screenshot({ path: join(OUT, "class-question-phone.png") });
    // The phone student changes their mind (a second later: one answer a second).
    await phone.waitForTimeout(1100);
    await phone.tap('.answer-choices [data-choice="0"]');
    await expect.poll(spread, { timeout: 20_000 }).toEqual([2, 0, 0]);
    await teacher.locator(".class-panel").screenshot({ path: join(OUT, "class-question-teacher.png") });
    await teacher.click("[data-class=close-question]");
    for (const p of [laptop, phone]) await p.locator(".class-question.student").waitFor({ state: "detached", timeout: 20_000 });
    await teacher.click(".tour-buttons button:nth-child(2)"); // end the tour
    for (const p of [laptop, phone, headset]) await until(p, "c.state.tour === null");
  }, 200_000);

  it("access: the teacher gives the class larger text and reduced motion; students keep them, and may change them", async () => {
    const setOwn = async (size: "1" | "1.5", reduce: boolean) => {
      await teacher.click(".preferences-toggle");
      await teacher.check(`.preferences-panel input[name="text-size"][value="${size}"]`);
      await teacher.setChecked('.preferences-panel input[name="reduced-motion"]', reduce);
      await teacher.keyboard.press("Escape");
      await teacher.locator(".preferences-panel").waitFor({ state: "detached" });
    };
    const applied = (p: Page) => p.evaluate(() => ({ scale: document.documentElement.style.getPropertyValue("--text-scale"), reduced: document.documentElement.classList.contains("reduce-motion") }));
    await setOwn("1.5", true);
    await teacher.click("[data-class=access]");
    for (const p of [laptop, phone]) {
      await p.waitForFunction(() => document.documentElement.style.getPropertyValue("--text-scale") === "1.5", null, { timeout: 20_000 });
      expect(await applied(p)).toEqual({ scale: "1.5", reduced: true });
      expect(await p.locator("[data-class-access]").count()).toBe(1);
    }
    await laptop.screenshot({ path: join(OUT, "class-access-student.png") });
    // Back to normal for the rest of the lesson: given again, then no longer given.
    await setOwn("1", false);
    await teacher.click("[data-class=access]"); // stop giving
    await teacher.click("[data-class=access]"); // give the normal settings
    for (const p of [laptop, phone]) await p.waitForFunction(() => document.documentElement.style.getPropertyValue("--text-scale") === "1" && !document.documentElement.classList.contains("reduce-motion"), null, { timeout: 20_000 });
    await teacher.click("[data-class=access]");
    for (const p of [laptop, phone]) await p.locator("[data-class-access]").waitFor({ state: "detached", timeout: 20_000 });
  }, 120_000);

  it("refuses teacher commands from a student's raw client; the teacher removes that student", async () => {
    // Any program can join with the code and a nickname, and gets an ordinary student's seat.
    const joined = await teacherContext.request.post(`${server.url}/api/classes/join`, { data: { code, nickname: "Raw" } });
    expect(joined.status()).toBe(201);
    const seat = (await joined.json()) as { session: string; token: string };
    const raw = await RawClassClient.open(server.ws, seat.session, { seat: seat.token });
    await raw.next("welcome");
    raw.send({ t: "mode", mode: "follow" });
    expect((await raw.next("refused")).reason).toBe('only the teacher can send "mode"');
    raw.send({ t: "end" });
    expect((await raw.next("refused")).reason).toBe('only the teacher can send "end"');
    raw.send({ t: "remove", student: "anyone" });
    expect((await raw.next("refused")).reason).toBe('only the teacher can send "remove"');
    expect((await cls(teacher)).state).toMatchObject({ mode: "free", ended: false });
    // The teacher removes the raw client from the roster: its socket is closed, its seat is gone.
    await teacher.locator('.roster-row[data-student="Raw"]').waitFor({ timeout: 10_000 });
    await teacher.click('.roster-row[data-student="Raw"] button.remove');
    await expect.poll(() => raw.closed?.code, { timeout: 10_000 }).toBe(4410);
    await teacher.locator('.roster-row[data-student="Raw"]').waitFor({ state: "detached", timeout: 10_000 });
    const again = await RawClassClient.open(server.ws, seat.session, { seat: seat.token }).then(() => "opened", (e: Error) => e.message);
    expect(again).toMatch(/^HTTP 40[134]/);
  });

  it("ends the class: every student is told; the teacher gets the lesson sheet", async () => {
    await teacher.click("[data-class=end]");
    for (const p of [laptop, phone, headset]) await until(p, `c.closedReason === "ended"`);
    expect(await laptop.locator(".class-closed").textContent()).toContain("The class has ended");
    await laptop.screenshot({ path: join(OUT, "class-student-ended.png") });
    const href = await teacher.getAttribute("a.lesson-sheet", "href");
    const sheet = await teacherContext.request.get(`${server.url}${href}`);
    expect(sheet.status()).toBe(200);
    const html = await sheet.text();
    expect(html).toContain("<h1>Tea and its Vessels</h1>");
    expect(html).toContain(TEA.tour[4]!.text.en);
    expect(html).toMatch(/Students: 4\b/); // Mei, Kai, Ari and the removed raw client
    expect(html).toContain("<strong>What is the dark glaze of the tea bowl called?</strong> <span class=\"room\">(tour stop 2)</span> · 2 answered");
    expect(html).not.toMatch(/\b(Mei|Kai|Ari)\b/);
    // The teacher's two questions after class: how it went, and a word for the museum; answered once.
    await teacher.locator(".teacher-survey").waitFor({ timeout: 20_000 });
    await teacher.check('.teacher-survey input[name="class-score"][value="4"]');
    await teacher.fill(".teacher-survey textarea[name=class-comment]", "The phone students liked answering at the tea bowl.");
    await teacher.click(".teacher-survey button[type=submit]");
    await teacher.locator(".teacher-survey-thanks").waitFor({ timeout: 20_000 });
    await teacher.locator(".class-panel").screenshot({ path: join(OUT, "class-teacher-survey.png") });
    const classId = new URL(teacher.url()).searchParams.get("class")!;
    expect(await (await teacherContext.request.get(`${server.url}/api/classes/${classId}/survey`)).json()).toEqual({ answered: true });
    expect((await teacherContext.request.post(`${server.url}/api/classes/${classId}/survey`, { data: { score: 5 } })).status()).toBe(409);
    // Printed from a window of its own (the HTML is self-contained: no scripts, images or links).
    const printing = await browser.newContext({ viewport: { width: 800, height: 1000 }, locale: "en-US" });
    const page = await printing.newPage();
    await page.setContent(html);
    await page.screenshot({ path: join(OUT, "class-lesson-sheet.png"), fullPage: true });
    await printing.close();
  }, 120_000);
});

describe("joining with an expired code", () => {
  it("says the code has expired and asks for a new one", async () => {
    const shortLived = await startServer({ classLimits: { codeTtlMs: 1 } });
    try {
      const context = await browser.newContext({ locale: "en-US" });
      await context.request.post(`${shortLived.url}/api/accounts`, { data: { email: "wu@school.test", name: "Mr Wu", password: "a long enough password" } });
      const info = (await (await context.request.post(`${shortLived.url}/api/classes`, { data: { exhibition: "tea-and-its-vessels" } })).json()) as { code: string };
      const student = await (await browser.newContext({ locale: "en-US" })).newPage();
      await student.goto(`${shortLived.url}/join/${info.code}`);
      await student.fill("input[name=nickname]", "Late");
      await student.click("button[type=submit]");
      const error = await student.locator(".form-error").textContent({ timeout: 10_000 });
      expect(error).toMatch(new RegExp(`^The class code ${info.code} has expired\\b.*Ask your teacher for a new code\\.$`));
      expect(new URL(student.url()).pathname).toBe(`/join/${info.code}`);
      await student.screenshot({ path: join(OUT, "class-join-expired.png") });
    } finally {
      await shortLived.close();
    }
  }, 60_000);
});
