import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { build } from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allowsTactileCopy, pickText, roomsInOrder, type Exhibition } from "../../src/shared/exhibition";
import { placementsIn, roomDownloads } from "../../src/shared/exhibition/tiers";
import { arrivalPose } from "../../src/viewer/room-layout";
import { walkingOrder } from "../../src/viewer/room-reading";
import { ApiSession } from "../support/api-session";
import { wav } from "../support/audio";
import { CHROMIUM_PATH, launchChromium } from "../support/browser";
import { ROOT, startServer } from "../support/server";

/**
 * Inclusive access, end to end in real Chromium: axe-core on every page and state in three
 * languages, keyboard-only journeys read back through the accessibility tree and the live region,
 * reduced motion (no camera glide frames), and the 2D view on a browser without WebGL.
 */
const OUT = join(ROOT, "test-results");
mkdirSync(OUT, { recursive: true });
const tea = JSON.parse(readFileSync(join(ROOT, "exhibitions", "tea-and-its-vessels.json"), "utf8")) as Exhibition;
const firstRoom = roomsInOrder(tea)[0]![0];
const inWalkingOrder = walkingOrder(placementsIn(tea, firstRoom), arrivalPose(tea.rooms[firstRoom]!, null)).map(([id]) => id);

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;

/** Every axe run: page, state, language, and what it found (written to test-results/a11y.json). */
const report: {
  page: string;
  state: string;
  lang: string;
  violations: { id: string; impact: string | null | undefined; nodes: number; help: string }[];
  passes: number;
  /** The lowest text contrast axe measured on the page (WCAG AA asks 4.5:1, 3:1 for large text). */
  minContrast: number | null;
  /** Pointer targets axe checked against WCAG 2.2's 24 x 24 px minimum, and how many fell short. */
  targets: { checked: number; small: number };
}[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
});
afterAll(async () => {
  writeFileSync(join(OUT, "a11y.json"), JSON.stringify(report, null, 2));
  await browser?.close();
  await server?.close();
});

async function open(path: string, locale = "en-US", options: Parameters<Browser["newPage"]>[0] = {}, on: Browser = browser): Promise<Page> {
  // A context of its own (axe-core's builder needs one), closed with the page.
  const context = await on.newContext({ viewport: { width: 1280, height: 800 }, locale, ...options });
  const page = await context.newPage();
  page.on("close", () => void context.close());
  page.on("pageerror", (e) => console.error(`[page] ${e.message}`));
  await page.goto(`${server.url}${path}`);
  return page;
}
const sceneReady = (page: Page) => page.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 150_000 });

/** Runs axe (WCAG 2.1 A/AA and best practice) and returns the serious and critical violations, worded for a failure message. */
async function axe(page: Page, name: string, state: string, lang: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]).analyze();
  const ratios = result.passes
    .filter((r) => r.id === "color-contrast")
    .flatMap((r) => r.nodes.map((n) => Number((n.any[0]?.data as { contrastRatio?: number } | undefined)?.contrastRatio)))
    .filter((r) => Number.isFinite(r) && r > 0);
  const targetRule = (list: typeof result.passes) => list.filter((r) => r.id === "target-size").reduce((n, r) => n + r.nodes.length, 0);
  report.push({
    page: name,
    state,
    lang,
    violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help })),
    passes: result.passes.length,
    minContrast: ratios.length ? Math.min(...ratios) : null,
    targets: { checked: targetRule(result.passes) + targetRule(result.violations), small: targetRule(result.violations) },
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${name}/${state}/${lang}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => `${n.target.join(" ")} ${n.html.slice(0, 100)} ${(n.any[0]?.message ?? "").slice(0, 120)}`).slice(0, 4).join(" | ")}`);
}

/** Presses Tab until `selector` has focus (at most `max` times); the keyboard is the only input. */
async function tabTo(page: Page, selector: string, max = 40, back = false): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return i;
  }
  throw new Error(`${selector} not reached with ${max} Tabs; focus is on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120))}`);
}
const focused = (page: Page) => page.evaluate(() => document.activeElement?.outerHTML.slice(0, 160) ?? "");
const announced = (page: Page) => page.locator("[data-announcer]").textContent();

describe("axe-core: no serious or critical violations", () => {
  for (const lang of ["en", "zh-Hant", "ja"]) {
    it(`visit page and its states in ${lang}`, async () => {
      const found: string[] = [];
      const list = await open(`/?lang=${lang}`, lang === "en" ? "en-US" : lang === "ja" ? "ja-JP" : "zh-TW");
      await list.waitForSelector(".exhibition-card");
      found.push(...(await axe(list, "list", "default", lang)));
      await list.close();

      const page = await open(`/visit/tea-and-its-vessels?lang=${lang}`);
      try {
        await sceneReady(page);
        found.push(...(await axe(page, "visit", "walk", lang)));
        await page.click(".text-version-toggle");
        await page.locator("#text-version").waitFor();
        found.push(...(await axe(page, "visit", "text version", lang)));
        await page.click("#text-version .scope button:nth-child(2)");
        found.push(...(await axe(page, "visit", "text version, whole show", lang)));
        await page.locator("#text-version .look-closer").first().click();
        await page.locator(".inspect-panel").waitFor();
        found.push(...(await axe(page, "visit", "inspect", lang)));
        await page.keyboard.press("Escape");
        await page.click(".text-version-toggle");
        await page.click(".tour-start");
        await page.locator(".tour-panel").waitFor();
        found.push(...(await axe(page, "visit", "tour", lang)));
        await page.keyboard.press("Escape");
        await page.click(".preferences-toggle");
        await page.locator(".preferences-panel").waitFor();
        found.push(...(await axe(page, "visit", "preferences", lang)));
        await page.click(".preferences-panel .close");
      } finally {
        await page.close();
      }
      const plan = await open(`/visit/tea-and-its-vessels?lang=${lang}&mode=2d`);
      try {
        await plan.locator(".plan-view").waitFor();
        found.push(...(await axe(plan, "visit", "2D plan", lang)));
      } finally {
        await plan.close();
      }
      expect(found).toEqual([]);
    }, 300_000);
  }

  it("sign-in, join and studio pages", async () => {
    const found: string[] = [];
    const join = await open("/join/ABCD23");
    await join.waitForSelector("main");
    found.push(...(await axe(join, "join", "default", "en")));
    await join.close();

    const page = await open("/signin");
    try {
      await page.waitForSelector("form");
      found.push(...(await axe(page, "sign-in", "default", "en")));
      await page.click("button.link"); // create an account instead
      await page.fill('input[name="name"]', "Access Tester");
      await page.fill('input[name="email"]', "access@atrium.test");
      await page.fill('input[name="password"]', "a long enough password");
      await page.click('button[type="submit"]');
      await page.locator(".new-exhibition").waitFor();
      found.push(...(await axe(page, "my exhibitions", "default", "en")));
      await page.fill('.new-exhibition input[name="title-en"]', "Access check");
      await page.selectOption('.new-exhibition select[name="template"]', "micro");
      await page.click('.new-exhibition button[type="submit"]');
      await page.waitForURL(/\/studio\//);
      await page.waitForFunction(() => document.body.dataset.studioReady === "true" && document.body.dataset.sceneReady === "true", null, { timeout: 150_000, polling: 250 });
      found.push(...(await axe(page, "studio", "default", "en")));
      const cookies = await page.context().cookies();
      const studioUrl = page.url();

      // The same pages in the other two interface languages (chosen from the browser's language).
      for (const [lang, locale] of [["zh-Hant", "zh-TW"], ["ja", "ja-JP"]] as const) {
        const joinPage = await open("/join/ABCD23", locale);
        await joinPage.waitForSelector("main");
        expect(await joinPage.evaluate(() => document.documentElement.lang)).toBe(lang);
        found.push(...(await axe(joinPage, "join", "default", lang)));
        await joinPage.close();
        const signIn = await open("/signin", locale);
        await signIn.waitForSelector("form");
        found.push(...(await axe(signIn, "sign-in", "default", lang)));
        await signIn.close();
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale });
        await context.addCookies(cookies);
        const mine = await context.newPage();
        try {
          await mine.goto(`${server.url}/`);
          await mine.locator(".new-exhibition").waitFor();
          expect(await mine.evaluate(() => document.documentElement.lang)).toBe(lang);
          found.push(...(await axe(mine, "my exhibitions", "default", lang)));
          // The studio of the show made above, in this language.
          // The studio's panels are what axe reads: they are ready before the room's models are (not waited for here; the English pass above waits for both).
          await mine.goto(studioUrl);
          await mine.waitForFunction(() => document.body.dataset.studioReady === "true", null, { timeout: 150_000, polling: 250 });
          expect(await mine.evaluate(() => document.documentElement.lang)).toBe(lang);
          found.push(...(await axe(mine, "studio", "default", lang)));
        } finally {
          await context.close();
        }
      }
    } finally {
      await page.close();
    }
    expect(found).toEqual([]);
  }, 400_000);
});

describe("keyboard only, as a screen reader hears it", () => {
  it("skips to the text version, inspects an artefact, tours the show and changes language without a mouse", async () => {
    const page = await open("/visit/tea-and-its-vessels?lang=en");
    try {
      await sceneReady(page);
      // The 3D view is one named control; its name says what is shown and where the words are.
      const view = await page.locator(".gallery-view").ariaSnapshot();
      expect(view).toContain(`application "3D view of ${pickText(tea.rooms[firstRoom]!.name, "en")}: ${inWalkingOrder.length} objects`);

      // The first Tab stop is the skip link; it opens the text version and moves focus into it.
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.className)).toBe("skip-link");
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.activeElement?.id === "text-version");
      const words = await page.locator("#text-version").ariaSnapshot();
      // Artefacts in walking order, each a heading with where it stands and a button.
      const titles = inWalkingOrder.map((p) => pickText(tea.items[tea.placements[p]!.item]!.title, "en"));
      let at = -1;
      for (const title of titles) {
        const i = words.indexOf(`heading "${title}"`);
        expect(i, title).toBeGreaterThan(at);
        at = i;
      }
      expect(words).toMatch(/paragraph: (on your left|on your right|ahead|behind you), \d+(\.5)? m/);
      expect(words).toContain(`button "Look closer at ${titles[0]}"`);

      // Tab to the first "Look closer": the artefact is highlighted in the scene as it is focused.
      await tabTo(page, ".look-closer");
      expect(await page.locator(".hover-card strong").textContent()).toBe(titles[0]);
      await page.keyboard.press("Enter");
      const panel = page.locator(".inspect-panel");
      await panel.waitFor();
      expect(await panel.getAttribute("data-placement")).toBe(inWalkingOrder[0]);
      // Focus moved into the close-up, and the live region said so.
      expect(await page.evaluate(() => document.activeElement?.classList.contains("inspect-panel"))).toBe(true);
      expect(await announced(page)).toBe(`Close-up: ${titles[0]}`);
      // Esc leaves, and focus returns to the button that opened it.
      await page.keyboard.press("Escape");
      await panel.waitFor({ state: "detached" });
      await page.waitForFunction(() => document.activeElement?.classList.contains("look-closer"));
      expect(await announced(page)).toMatch(/^Walking in /);

      // The guided tour by keyboard: focus lands in the tour panel, each step is announced.
      await tabTo(page, ".tour-start", 60, true);
      await page.keyboard.press("Enter");
      await page.locator(".tour-panel").waitFor();
      expect(await page.evaluate(() => document.activeElement?.classList.contains("tour-panel"))).toBe(true);
      expect(await announced(page)).toBe(`Tour, step 1 of ${tea.tour.length}: ${pickText(tea.tour[0]!.text, "en")}`);
      await tabTo(page, 'button[name="tour-next"]');
      await page.keyboard.press("Enter");
      await page.waitForFunction((sid) => document.querySelector(".tour-panel")?.getAttribute("data-step") === sid, tea.tour[1]!.id);
      expect(await announced(page)).toBe(`Tour, step 2 of ${tea.tour.length}: ${pickText(tea.tour[1]!.text, "en")}`);
      await page.keyboard.press("Escape");
      await page.locator(".tour-panel").waitFor({ state: "detached" });
      // Focus is not dropped on the page: it returns to the tour's start button.
      await page.waitForFunction(() => document.activeElement?.classList.contains("tour-start"), null, { timeout: 5000 }).catch(async () => {
        throw new Error(`focus after the tour: ${await focused(page)}`);
      });

      // Language by keyboard: every label and the page's lang change.
      await tabTo(page, '[data-lang="zh-Hant"]', 60, true);
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.documentElement.lang === "zh-Hant");
      expect(await page.locator("#text-version h2").textContent()).toBe("文字版");
      expect(await page.locator(".gallery-view").getAttribute("aria-label")).toContain(pickText(tea.rooms[firstRoom]!.name, "zh-Hant"));

      // A room change by keyboard is announced.
      const second = roomsInOrder(tea)[1]![0];
      await tabTo(page, `.doorway-words [data-door="${second}"]`, 80);
      await page.keyboard.press("Enter");
      await page.waitForFunction((r) => document.querySelector(`.room-nav [data-room="${r}"]`)?.getAttribute("aria-current") === "true", second);
      expect(await announced(page)).toContain(pickText(tea.rooms[second]!.name, "zh-Hant"));
      await page.screenshot({ path: join(OUT, "access-text-version.png") });
    } finally {
      await page.close();
    }
  }, 240_000);
});

describe("the 3D view's hotspots by keyboard", () => {
  it("reaches every artefact and doorway with Tab, in walking order, each shown on its object; Enter acts; the pins are read", async () => {
    const page = await open("/visit/tea-and-its-vessels?lang=en");
    try {
      await sceneReady(page);
      const titles = inWalkingOrder.map((p) => pickText(tea.items[tea.placements[p]!.item]!.title, "en"));
      // Right after the 3D view: the artefacts in walking order, then the doorway.
      await tabTo(page, ".gallery-view");
      const order: string[] = [];
      let shownOnObject = 0;
      for (let i = 0; i < inWalkingOrder.length + 1; i++) {
        await page.keyboard.press("Tab");
        order.push(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.hotspot ?? `door:${(document.activeElement as HTMLElement | null)?.dataset.hotspotDoor}`));
        if (i >= inWalkingOrder.length) continue;
        // Focused, the hotspot is named after its object and the object is highlighted...
        expect(await page.locator(".hotspot:focus").textContent()).toBe(titles[i]);
        expect(await page.locator(".hover-card strong").textContent()).toBe(titles[i]);
        // ...and, where the object is in view, the ring sits on it (else at the view's edge, dashed).
        const at = await page.evaluate((id) => window.atrium!.artefactScreenPoint(id), inWalkingOrder[i]!);
        await page.waitForFunction(() => document.querySelector<HTMLElement>(".hotspot:focus")?.dataset.onScreen !== undefined);
        if (!at) {
          expect(await page.locator(".hotspot:focus").getAttribute("data-on-screen")).toBe("false");
          continue;
        }
        const ring = (await page.locator(".hotspot:focus").boundingBox())!;
        expect(Math.abs(ring.x + ring.width / 2 - at.x)).toBeLessThan(30);
        expect(Math.abs(ring.y + ring.height / 2 - at.y)).toBeLessThan(30);
        if (shownOnObject++ === 0) await page.screenshot({ path: join(OUT, "access-hotspot.png") });
      }
      expect(shownOnObject).toBeGreaterThan(0);
      const second = roomsInOrder(tea)[1]![0];
      expect(order).toEqual([...inWalkingOrder, `door:${second}`]);
      expect(await page.locator(".hotspots").ariaSnapshot()).toContain(`button "${titles[1]}"`);

      // Enter on the tea bowl's hotspot: its close-up, focus in the panel; its notes' pins are buttons
      // named by their text, and Enter on one takes focus to the note in the panel.
      const bowl = "p-tenmoku";
      await tabTo(page, `.hotspot[data-hotspot="${bowl}"]`, 10, true);
      await page.keyboard.press("Enter");
      await page.locator(`.inspect-panel[data-placement="${bowl}"]`).waitFor();
      await page.waitForFunction(() => document.activeElement?.classList.contains("inspect-panel"));
      const notes = Object.entries(tea.annotations).filter(([, a]) => a.item === tea.placements[bowl]!.item);
      expect(notes.length).toBeGreaterThan(0);
      await page.locator(".annotation-pin").first().waitFor();
      const [noteId, note] = notes[0]!;
      const pin = page.locator(`.annotation-pin[data-annotation="${noteId}"]`);
      expect(await pin.getAttribute("aria-label")).toBe(`1. ${pickText(note.text, "en")}`);
      await pin.focus();
      await page.keyboard.press("Enter");
      await page.waitForFunction((id) => document.activeElement?.matches(`.inspect-panel li[data-annotation="${id}"]`) ?? false, noteId);
      // Esc leaves the close-up; the hotspots are back.
      await page.keyboard.press("Escape");
      await page.locator(".inspect-panel").waitFor({ state: "detached" });
      await page.waitForFunction((id) => document.activeElement?.matches(`.hotspot[data-hotspot="${id}"]`) ?? false, bowl);

      // The doorway's hotspot walks through it.
      await page.locator(`.hotspot[data-hotspot-door="${second}"]`).focus();
      await page.keyboard.press("Enter");
      await page.waitForFunction((r) => document.querySelector(`.room-nav [data-room="${r}"]`)?.getAttribute("aria-current") === "true", second);
      await page.waitForFunction((n) => document.querySelectorAll(".hotspot[data-hotspot]").length === n, Object.values(tea.placements).filter((p) => p.room === second).length);
    } finally {
      await page.close();
    }
  }, 200_000);
});

describe("joining a class by keyboard", () => {
  it("types the class code and a nickname, joins with Enter, and follows the class", async () => {
    const teacher = await ApiSession.signUpOn(server, "keys-teacher@school.test", "Teacher Keys");
    const started = await teacher.call("POST", "/api/classes", { exhibition: "tea-and-its-vessels" });
    expect(started.status).toBe(201);
    const code = started.body.code as string;
    const page = await open("/join?lang=en");
    try {
      // From the top of the page: Tab to the code, type it, Tab to the nickname, type, Enter.
      await tabTo(page, 'input[name="code"]');
      await page.keyboard.type(code.toLowerCase()); // as a student types it from the board
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("nickname");
      await page.keyboard.type("Keys");
      await page.keyboard.press("Enter");
      await sceneReady(page);
      await page.waitForFunction(() => {
        const c = window.atrium?.classState() as { link?: string; state?: unknown; role?: string } | null;
        return c?.link === "online" && c.state != null && c.role === "student";
      }, null, { timeout: 30_000 });
      // Seated as a student by the nickname typed.
      expect(JSON.stringify(await page.evaluate(() => (window.atrium!.classState() as { me?: unknown }).me))).toContain("Keys");

      // axe on the class panels, the teacher's (code, roster, commands) and the student's.
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
      const [name, value] = teacher.cookie.split("=");
      await context.addCookies([{ name: name!, value: value!, url: server.url }]);
      const lead = await context.newPage();
      try {
        await lead.goto(`${server.url}/visit/tea-and-its-vessels?lang=en&class=${started.body.id}`);
        await sceneReady(lead);
        await lead.waitForFunction(() => (window.atrium?.classState() as { role?: string } | null)?.role === "teacher", null, { timeout: 30_000 });
        await lead.locator(".class-code").waitFor();
        await lead.waitForFunction(() => ((window.atrium?.classState() as { roster?: unknown[] } | null)?.roster?.length ?? 0) > 0, null, { timeout: 30_000 });
        // Both stand at the room's entrance: the teacher's figure is not drawn inside the student's head.
        await page.waitForFunction(() => (window.atrium!.classState() as { teacher: unknown }).teacher != null, null, { timeout: 30_000 });
        await page.waitForTimeout(500);
        expect(await page.evaluate(() => (window.atrium!.classState() as { teacherFigure: boolean }).teacherFigure)).toBe(false);
        const found = [...(await axe(lead, "class", "teacher", "en")), ...(await axe(page, "class", "student", "en"))];
        // The same panels in the other languages, still in class: zh-Hant (one of the show's
        // languages) switched in place, Japanese (an interface language only) by ?lang=ja on a
        // reload, which keeps the student's seat (its token lives in the tab's sessionStorage).
        for (const lang of ["zh-Hant", "ja"] as const) {
          for (const [who, p] of [["teacher", lead], ["student", page]] as const) {
            if (lang === "ja") {
              const url = new URL(p.url());
              url.searchParams.set("lang", "ja");
              // The class panels are what axe reads (the room's models are not waited for: the checks below wait for the class link).
              await p.goto(url.toString());
            } else {
              await p.click(`[data-lang="${lang}"]`);
            }
            await p.waitForFunction((l) => document.documentElement.lang === l, lang);
            await p.waitForFunction((r) => {
              const c = window.atrium?.classState() as { link?: string; role?: string } | null;
              return c?.link === "online" && c.role === r;
            }, who, { timeout: 30_000 });
            if (who === "teacher") await p.locator(".class-code").waitFor();
            found.push(...(await axe(p, "class", who, lang)));
            if (lang === "ja") await p.screenshot({ path: join(OUT, `access-class-${who}-ja.png`) });
          }
        }
        expect(found, found.join("\n")).toEqual([]);
      } finally {
        await context.close();
      }
    } finally {
      await page.close();
    }
  }, 400_000);
});

describe("the studio by keyboard", () => {
  it("finds, places, labels and moves an object without a mouse", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, locale: "en-US" });
    const page = await context.newPage();
    page.on("pageerror", (e) => console.error(`[page] ${e.message}`));
    type Doc = { placements: Record<string, { item: string; position: number[] }>; items: Record<string, { title: Record<string, string> }> };
    const doc = () => page.evaluate(() => (window as unknown as { atriumStudio: { editor: { doc: Doc } } }).atriumStudio.editor.doc);
    try {
      expect((await context.request.post(`${server.url}/api/accounts`, { data: { email: "keys@atrium.test", name: "Keyboard Curator", password: "a long enough password" } })).status()).toBe(201);
      const made = await context.request.post(`${server.url}/api/exhibitions`, { data: { id: "keyboard-show", title: { en: "Keyboard show" }, languages: ["en"], template: "micro" } });
      expect(made.status()).toBe(201);
      await page.goto(`${server.url}/studio/keyboard-show`);
      await page.waitForFunction(() => document.body.dataset.studioReady === "true" && document.body.dataset.sceneReady === "true", null, { timeout: 150_000, polling: 250 });
      const before = Object.keys((await doc()).placements);

      // Search the catalogue and press Place: the object lands on the template's first plinth.
      await tabTo(page, 'input[name="catalogue-search"]', 80);
      await page.keyboard.type("tea bowl");
      await page.locator('.catalogue-results li:not(.unplaceable) button[name="place"]').first().waitFor();
      await tabTo(page, '.catalogue-results li:not(.unplaceable) button[name="place"]', 40);
      await page.keyboard.press("Enter");
      await page.waitForFunction((n) => Object.keys((window as unknown as { atriumStudio: { editor: { doc: Doc } } }).atriumStudio.editor.doc.placements).length === n + 1, before.length);
      const placed = Object.keys((await doc()).placements).find((p) => !before.includes(p))!;

      // Its inspector opened: the title and the position are fields reached with Tab.
      await tabTo(page, '[name="item-title"]', 120);
      await page.keyboard.press("Control+A");
      await page.keyboard.type("Bowl placed by keyboard");
      const item = (await doc()).placements[placed]!.item;
      await page.waitForFunction(([i, text]) => (window as unknown as { atriumStudio: { editor: { doc: Doc } } }).atriumStudio.editor.doc.items[i!]?.title.en === text, [item, "Bowl placed by keyboard"]);
      await tabTo(page, 'input[name="position-x"]', 60);
      await page.keyboard.press("Control+A");
      await page.keyboard.type("1.5");
      await page.keyboard.press("Enter");
      await page.waitForFunction((p) => (window as unknown as { atriumStudio: { editor: { doc: Doc } } }).atriumStudio.editor.doc.placements[p]!.position[0] === 1.5, placed);
      await page.screenshot({ path: join(OUT, "access-studio-keyboard.png") });
    } finally {
      await context.close();
    }
  }, 240_000);
});

/** Samples the camera position on every animation frame for `ms` (in the page), after running `act`. */
async function cameraPath(page: Page, act: () => Promise<void>, ms = 1600): Promise<[number, number, number][]> {
  await page.evaluate((duration) => {
    const w = window as unknown as { __path: [number, number, number][]; __done: Promise<void> };
    w.__path = [];
    w.__done = new Promise((done) => {
      const start = performance.now();
      const tick = () => {
        w.__path.push(window.atrium!.cameraPosition());
        if (performance.now() - start < duration) requestAnimationFrame(tick);
        else done();
      };
      requestAnimationFrame(tick);
    });
  }, ms);
  await act();
  return page.evaluate(async () => {
    const w = window as unknown as { __path: [number, number, number][]; __done: Promise<void> };
    await w.__done;
    return w.__path;
  });
}
/** How many sampled frames lie strictly between the first and last position (the glide's frames). */
const inBetween = (path: [number, number, number][]) => {
  const a = path[0]!;
  const b = path[path.length - 1]!;
  const near = (p: number[], q: number[]) => Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!) < 1e-3;
  return path.filter((p) => !near(p, a) && !near(p, b)).length;
};

describe("reduced motion", () => {
  it("cuts to the close-up instead of gliding when the system asks for reduced motion", async () => {
    // The same close-up twice, one page at a time (a page in the background gets no animation frames).
    const closeUpPath = async (options: Parameters<Browser["newPage"]>[0]) => {
      // A small window: SwiftShader then draws enough frames in the 0.9 s a glide lasts to see it.
      const page = await open("/visit/tea-and-its-vessels?lang=en", "en-US", { viewport: { width: 560, height: 420 }, ...options });
      try {
        await sceneReady(page);
        // Opened the way a keyboard user does: the text version's button.
        await page.click(".text-version-toggle");
        await page.locator("#text-version .look-closer").first().waitFor();
        const path = await cameraPath(page, () => page.locator("#text-version .look-closer").first().click(), 2500);
        return { path, reduced: await page.evaluate(() => document.documentElement.classList.contains("reduce-motion")) };
      } finally {
        await page.close();
      }
    };
    const glide = await closeUpPath({});
    const cut = await closeUpPath({ reducedMotion: "reduce" });
    // Both end up at the close-up; only the first passes through the frames in between.
    expect(glide.path.length, "frames sampled").toBeGreaterThan(8);
    expect(inBetween(glide.path), JSON.stringify(glide.path.slice(0, 8))).toBeGreaterThan(2);
    expect(cut.path.length, "frames sampled").toBeGreaterThan(8);
    expect(inBetween(cut.path)).toBe(0);
    expect(glide.reduced).toBe(false);
    expect(cut.reduced).toBe(true);
  }, 240_000);
});

describe("2D view without WebGL", () => {
  let flat: Browser;
  beforeAll(async () => {
    flat = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ["--no-sandbox", "--disable-3d-apis", "--disable-webgl", "--disable-background-networking"] });
  });
  afterAll(async () => {
    await flat?.close();
  });

  it("shows every room as a plan with pictures and the full texts, browsable to the end", async () => {
    const page = await open("/visit/tea-and-its-vessels?lang=en", "en-US", {}, flat);
    try {
      expect(await page.evaluate(() => !!document.createElement("canvas").getContext("webgl"))).toBe(false);
      await page.locator(".plan-view").waitFor();
      expect(await page.locator(".no-3d").textContent()).toContain("cannot draw 3D");
      expect(await page.locator("canvas").count()).toBe(0);
      for (const [roomId] of roomsInOrder(tea)) {
        const ids = walkingOrder(placementsIn(tea, roomId), arrivalPose(tea.rooms[roomId]!, null)).map(([id]) => id);
        if ((await page.locator(".room-nav [aria-current=true]").getAttribute("data-room")) !== roomId) await page.click(`.room-nav [data-room="${roomId}"]`);
        await page.waitForFunction((ids) => [...document.querySelectorAll(".plan-artefact")].map((b) => b.getAttribute("data-placement")).join() === ids.join(), ids);
        // Each picture loads (the shipped posters), and the numbers follow the walking order.
        await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>(".plan-artefact img")].every((i) => i.complete && i.naturalWidth > 0));
        expect(await page.locator(".plan-artefact .plan-number").allTextContents()).toEqual(ids.map((_, i) => String(i + 1)));
        // Each opens its close-up with label and credit line.
        for (const id of ids) {
          await page.click(`.plan-artefact[data-placement="${id}"]`);
          const panel = page.locator(".inspect-panel");
          await panel.waitFor();
          expect(await panel.getAttribute("data-placement")).toBe(id);
          expect(await panel.locator(".inspect-title").textContent()).toBe(pickText(tea.items[tea.placements[id]!.item]!.title, "en"));
          expect(await panel.locator(".credit-line").count()).toBe(1);
          // Its picture (the 2D view has no model to turn), and a tactile copy where the licence allows.
          const item = tea.items[tea.placements[id]!.item]!;
          if (item.asset.kind === "model") {
            await panel.locator(".inspect-poster").waitFor({ state: "visible" });
            expect(await panel.locator(".inspect-poster").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
          }
          if (item.asset.kind === "model" && allowsTactileCopy(item.licences.object)) {
            const href = await panel.locator('.tactile-copy a[href*="tactile.stl"]').getAttribute("href");
            expect(href).toBe(`/api/exhibitions/tea-and-its-vessels/placements/${id}/tactile.stl?size=120`);
          }
          await page.keyboard.press("Escape");
          await panel.waitFor({ state: "detached" });
        }
        await page.screenshot({ path: join(OUT, `access-2d-${roomId}.png`) });
      }
      // The tour as text alone.
      await page.click(".tour-start");
      for (let i = 0; i < tea.tour.length; i++) {
        await page.waitForFunction((sid) => document.querySelector(".tour-panel")?.getAttribute("data-step") === sid, tea.tour[i]!.id);
        expect(await page.locator(".tour-text").textContent()).toBe(pickText(tea.tour[i]!.text, "en"));
        await page.click(i < tea.tour.length - 1 ? 'button[name="tour-next"]' : 'button[name="tour-finish"]');
      }
      await page.locator(".tour-panel").waitFor({ state: "detached" });
    } finally {
      await page.close();
    }
  }, 240_000);

  it("looks around each room from its entrance by keys or by dragging, and gives focus back", async () => {
    const page = await open("/visit/tea-and-its-vessels?lang=en", "en-US", {}, flat);
    try {
      await page.locator(".plan-view").waitFor();
      const view = () =>
        page.locator(".panorama-canvas").evaluate((c: HTMLCanvasElement) => {
          const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
          const levels = new Set<number>();
          let sum = 0;
          for (let i = 0; i < d.length; i += 4 * 31) {
            levels.add(d[i]! >> 3);
            sum += d[i]! + d[i + 1]! + d[i + 2]!;
          }
          return { levels: levels.size, sum };
        });
      for (const [roomId] of roomsInOrder(tea)) {
        if ((await page.locator(".room-nav [aria-current=true]").getAttribute("data-room")) !== roomId) await page.click(`.room-nav [data-room="${roomId}"]`);
        await tabTo(page, ".plan-look-around", 60);
        await page.keyboard.press("Enter");
        await page.locator('.panorama-stage[data-ready="true"]').waitFor();
        expect(await page.locator(".panorama-stage").getAttribute("aria-label")).toContain(pickText(tea.rooms[roomId]!.name, "en"));
        const ahead = await view();
        expect(ahead.levels, "a picture of the room, not a blank").toBeGreaterThan(8);
        if (roomId === firstRoom) await page.screenshot({ path: join(OUT, "access-panorama.png") });
        // Six presses of the right arrow turn 90° to the right: another picture.
        for (let i = 0; i < 6; i++) await page.keyboard.press("ArrowRight");
        await page.waitForFunction(() => document.querySelector(".panorama-stage")?.getAttribute("data-yaw") === "90");
        await page.waitForFunction((before) => {
          const c = document.querySelector<HTMLCanvasElement>(".panorama-canvas")!;
          const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
          let sum = 0;
          for (let i = 0; i < d.length; i += 4 * 31) sum += d[i]! + d[i + 1]! + d[i + 2]!;
          return sum !== before;
        }, ahead.sum);
        // Dragging to the right turns back to the left, as a finger on a phone would.
        const stage = (await page.locator(".panorama-stage").boundingBox())!;
        await page.mouse.move(stage.x + stage.width / 2, stage.y + stage.height / 2);
        await page.mouse.down();
        await page.mouse.move(stage.x + stage.width / 2 + 180, stage.y + stage.height / 2, { steps: 6 });
        await page.mouse.up();
        await page.waitForFunction(() => Number(document.querySelector(".panorama-stage")?.getAttribute("data-yaw")) === 45);
        // Esc closes it and gives focus back to the button that opened it.
        await page.keyboard.press("Escape");
        await page.locator(".panorama-view").waitFor({ state: "detached" });
        await page.waitForFunction(() => document.activeElement?.classList.contains("plan-look-around"));
      }
    } finally {
      await page.close();
    }
  }, 240_000);
});

describe("weak devices and saving data", () => {
  const bone = JSON.parse(readFileSync(join(ROOT, "exhibitions", "bone-and-clay.json"), "utf8")) as Exhibition;

  it("starts a device with under 1 GB of memory in 2D, says why, and lets the visitor try 3D", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
    // What Chromium reports on such a phone (navigator.deviceMemory, rounded: 0.5).
    await context.addInitScript(() => Object.defineProperty(Navigator.prototype, "deviceMemory", { get: () => 0.5 }));
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/visit/tea-and-its-vessels?lang=en`);
      await page.locator(".plan-view").waitFor();
      expect(await page.locator(".no-3d").textContent()).toContain("low on memory");
      expect(await page.locator("canvas").count()).toBe(0);
      await page.screenshot({ path: join(OUT, "access-weak-device.png") });
      await page.click('button[name="show-3d"]');
      await page.locator(".gallery-canvas canvas").waitFor();
      await sceneReady(page);
      // The choice is remembered on this device.
      await page.reload();
      await sceneReady(page);
      expect(await page.locator(".plan-view").count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 200_000);

  it("loads only the light (thumb) tiers when the browser saves data, and when the visitor asks for it", async () => {
    const whaleTiers = (urls: string[]) => urls.filter((u) => u.startsWith("/models/smithsonian/") && u.includes(".glb")).map((u) => u.split("?")[0]!);
    const run = async (setup: (c: Awaited<ReturnType<Browser["newContext"]>>) => Promise<void>, act?: (p: Page) => Promise<void>) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
      await setup(context);
      const page = await context.newPage();
      const asked: string[] = [];
      page.on("request", (r) => asked.push(new URL(r.url()).pathname + new URL(r.url()).search));
      try {
        await page.goto(`${server.url}/visit/bone-and-clay?lang=en`);
        await sceneReady(page);
        if (act) {
          asked.length = 0;
          await act(page);
          await page.reload();
          await sceneReady(page);
        }
        return whaleTiers(asked);
      } finally {
        await context.close();
      }
    };
    // Chromium's data saver: the Save-Data header and navigator.connection.saveData.
    const hinted = await run(async (c) => {
      await c.setExtraHTTPHeaders({ "save-data": "on" });
      await c.addInitScript(() => {
        const connection = (navigator as unknown as { connection: object }).connection;
        Object.defineProperty(Object.getPrototypeOf(connection), "saveData", { get: () => true, configurable: true });
      });
    });
    const firstRoomModels = roomDownloads(bone, "thumb");
    expect(firstRoomModels.length).toBeGreaterThan(0);
    expect(new Set(hinted)).toEqual(new Set(firstRoomModels));
    // The visitor's own choice in Access and display: after it, the page and its preloads ask only for thumbs.
    const chosen = await run(
      async () => undefined,
      async (page) => {
        await page.click(".preferences-toggle");
        await page.locator('.preferences-panel input[name="data-saver"]').check();
        await page.keyboard.press("Escape");
      },
    );
    expect(chosen.length).toBeGreaterThan(0);
    expect(chosen.every((u) => u.endsWith("_thumb.glb")), chosen.join()).toBe(true);
  }, 240_000);
});

describe("captions and transcripts", () => {
  const GUIDE = "/models/audio-test/guide.wav";
  const STEP = "/models/audio-test/step.wav";
  const guideVtt = { en: "WEBVTT\n\n00:00.000 --> 00:02.000\nThe whisk is split from one piece of bamboo.\n\n00:02.000 --> 00:06.000\nIts tines beat the tea into a froth.\n", "zh-Hant": "WEBVTT\n\n00:00.000 --> 00:02.000\n茶筅由一段竹子劈成。\n\n00:02.000 --> 00:06.000\n細穗將抹茶擊拂出沫。\n" };
  const stepVtt = { en: "WEBVTT\n\n00:00.000 --> 00:03.000\nWelcome to the tea room.\n\n00:03.000 --> 00:06.000\nLook at the bowls on the plinths.\n" };
  let captioned: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    // The tea show with an audio guide on the whisk and a recorded first tour step, both captioned.
    const base = mkdtempSync(join(tmpdir(), "atrium-captions-"));
    const modelsDir = join(base, "models");
    mkdirSync(join(modelsDir, "audio-test"), { recursive: true });
    for (const entry of readdirSync(join(ROOT, "models"))) symlinkSync(join(ROOT, "models", entry), join(modelsDir, entry));
    writeFileSync(join(modelsDir, "audio-test/guide.wav"), wav(6));
    writeFileSync(join(modelsDir, "audio-test/step.wav"), wav(6));
    const exhibitionsDir = join(base, "exhibitions");
    mkdirSync(exhibitionsDir);
    const show = structuredClone(tea);
    const whisk = tea.placements[inWalkingOrder[0]!]!.item;
    show.items[whisk]!.audioGuide = { en: GUIDE, "zh-Hant": GUIDE };
    show.items[whisk]!.audioCaptions = guideVtt;
    show.tour[0]!.audio = { en: STEP };
    show.tour[0]!.captions = stepVtt;
    writeFileSync(join(exhibitionsDir, "tea-and-its-vessels.json"), JSON.stringify(show));
    captioned = await startServer({ exhibitionsDir, modelsDir });
  });
  afterAll(async () => {
    await captioned?.close();
  });

  /**
   * Seeks a player (a seek fires `timeupdate`, as playing does) and waits for the caption line to
   * show `expected`; returns what it shows. The file is loaded first, as pressing play would.
   */
  const captionAtTime = async (page: Page, scope: string, time: number, expected: string) => {
    await page.locator(`${scope} audio`).evaluate(async (a: HTMLAudioElement, t) => {
      if (a.readyState < 1) {
        a.preload = "auto";
        const loaded = new Promise((ok) => a.addEventListener("loadedmetadata", ok, { once: true }));
        a.load();
        await loaded;
      }
      a.currentTime = t;
    }, time);
    await page
      .waitForFunction(([s, e]) => document.querySelector(`${s} [data-caption]`)?.textContent?.trim() === e, [scope, expected] as const, { timeout: 10_000 })
      .catch(() => undefined);
    return (await page.locator(`${scope} [data-caption]`).textContent())?.trim();
  };

  it("shows the audio guide's and the tour's captions in the visitor's language, and their transcripts", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
    const page = await context.newPage();
    try {
      await page.goto(`${captioned.url}/visit/tea-and-its-vessels?lang=en&mode=2d`);
      await page.click(`.plan-artefact[data-placement="${inWalkingOrder[0]}"]`);
      await page.locator(".inspect-panel audio").waitFor();
      expect(await page.locator(".inspect-panel audio").getAttribute("src")).toBe(GUIDE);
      expect(await captionAtTime(page, ".inspect-panel", 1, "The whisk is split from one piece of bamboo.")).toBe("The whisk is split from one piece of bamboo.");
      expect(await captionAtTime(page, ".inspect-panel", 3, "Its tines beat the tea into a froth.")).toBe("Its tines beat the tea into a froth.");
      // The transcript: every cue, readable without playing.
      await page.click(".inspect-panel .transcript summary");
      expect(await page.locator(".inspect-panel .transcript li").allTextContents()).toEqual(["The whisk is split from one piece of bamboo.", "Its tines beat the tea into a froth."]);
      await page.screenshot({ path: join(OUT, "access-captions.png") });

      // In Chinese, the Chinese captions.
      await page.click('[data-lang="zh-Hant"]');
      expect(await captionAtTime(page, ".inspect-panel", 3, "細穗將抹茶擊拂出沫。")).toBe("細穗將抹茶擊拂出沫。");
      await page.keyboard.press("Escape");

      // The tour step's recording, captioned (its English captions, marked as English in the Chinese page).
      await page.click(".tour-start");
      await page.locator(".tour-panel audio").waitFor();
      expect(await captionAtTime(page, ".tour-panel", 4, "Look at the bowls on the plinths.")).toBe("Look at the bowls on the plinths.");
      expect(await page.locator(".tour-panel [data-caption]").getAttribute("lang")).toBe("en");

      // Captions off (Access and display): no caption line; the transcript stays.
      await page.click(".preferences-toggle");
      await page.locator('.preferences-panel input[name="captions"]').uncheck();
      await page.keyboard.press("Escape");
      expect(await page.locator(".tour-panel [data-caption]").count()).toBe(0);
      expect(await page.locator(".tour-panel .transcript").count()).toBe(1);
    } finally {
      await context.close();
    }
  }, 120_000);
  it("plays recordings in mono when the visitor asks: both ears hear (L+R)/2", async () => {
    // The graph itself, from the app's own module, in Chromium's Web Audio: a stereo recording
    // with sound only on the left comes out at half strength on both sides.
    const bundle = await build({ entryPoints: [join(ROOT, "src/viewer/mono-audio.ts")], bundle: true, format: "iife", globalName: "monoAudio", write: false });
    const graph = await browser.newPage();
    try {
      await graph.addScriptTag({ content: bundle.outputFiles[0]!.text });
      const [mono, stereo] = await graph.evaluate(async () => {
        const render = async (throughMono: boolean) => {
          const ctx = new OfflineAudioContext(2, 4410, 44100);
          const buffer = ctx.createBuffer(2, 4410, 44100);
          buffer.getChannelData(0).fill(1); // left only
          const source = ctx.createBufferSource();
          source.buffer = buffer;
          source.connect(throughMono ? (window as unknown as { monoAudio: { monoBus(c: BaseAudioContext): AudioNode } }).monoAudio.monoBus(ctx) : ctx.destination);
          source.start();
          const out = await ctx.startRendering();
          const mean = (c: Float32Array) => c.reduce((a, b) => a + b, 0) / c.length;
          return [mean(out.getChannelData(0)), mean(out.getChannelData(1))];
        };
        return [await render(true), await render(false)];
      });
      expect(stereo[0]).toBeCloseTo(1, 3);
      expect(stereo[1]).toBeCloseTo(0, 3);
      expect(mono[0]).toBeCloseTo(0.5, 3);
      expect(mono[1]).toBeCloseTo(0.5, 3);
    } finally {
      await graph.close();
    }

    // In the app: the preference routes the audio guide's player through that bus, and back.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
    const page = await context.newPage();
    try {
      await page.goto(`${captioned.url}/visit/tea-and-its-vessels?lang=en&mode=2d`);
      await page.click(".preferences-toggle");
      await page.locator('.preferences-panel input[name="mono-audio"]').check();
      await page.keyboard.press("Escape");
      await page.click(`.plan-artefact[data-placement="${inWalkingOrder[0]}"]`);
      const player = page.locator(".inspect-panel audio");
      await player.waitFor();
      await page.waitForFunction(() => document.querySelector<HTMLElement>(".inspect-panel audio")?.dataset.audio === "mono");
      // It still plays (through the page's audio context).
      await player.evaluate((a: HTMLAudioElement) => a.play());
      await page.waitForFunction(() => (document.querySelector<HTMLAudioElement>(".inspect-panel audio")?.currentTime ?? 0) > 0.3, null, { timeout: 10_000 });
      await player.evaluate((a: HTMLAudioElement) => a.pause());
      // Turned off: the same player goes straight to the speakers again.
      await page.click(".preferences-toggle");
      await page.locator('.preferences-panel input[name="mono-audio"]').uncheck();
      await page.keyboard.press("Escape");
      await page.waitForFunction(() => document.querySelector<HTMLElement>(".inspect-panel audio")?.dataset.audio === "stereo");
      expect(JSON.parse((await page.evaluate(() => localStorage.getItem("atrium.preferences")))!).monoAudio).toBe(false);
    } finally {
      await context.close();
    }
  }, 120_000);
});
