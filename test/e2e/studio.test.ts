import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountStore } from "../../server/accounts/account-store";
import { ensureAdmin } from "../../server/accounts/admin";
import { ApiSession } from "../support/api-session";
import { launchChromium } from "../support/browser";
import { coveredText } from "../support/layout";
import { orangePixels } from "../support/pixels";
import { ROOT, startServer } from "../support/server";

/**
 * The curation studio with three people in three browsers: Ana (owner, Palace Museum), Bo
 * (co-curator, Carnegie Museum of Art) and Lin (a teacher invited as commenter). Real server,
 * real Chromium, the studio's own UI; `window.atriumStudio` is read only to observe.
 */
const OUT = join(ROOT, "test-results");
const accounts = new AccountStore(":memory:");
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
const SHOW = "joint-tea";

type StudioWindow = { atriumStudio?: { editor: { doc: { placements: Record<string, { position: number[]; item: string }>; items: Record<string, { title: Record<string, string>; description?: Record<string, string>; lockedBy?: string }> } } } };

async function studioPage(session: ApiSession): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, locale: "en-US" });
  const [name, value] = session.cookie.split("=");
  await context.addCookies([{ name: name!, value: value!, url: server.url }]);
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error(`[page] ${e.message}`));
  await page.goto(`${server.url}/studio/${SHOW}?lang=en`);
  await page.waitForFunction(() => document.body.dataset.studioReady === "true" && document.body.dataset.sceneReady === "true", null, { timeout: 150_000, polling: 100 });
  return page;
}
const placements = (page: Page) => page.evaluate(() => Object.keys((window as StudioWindow).atriumStudio!.editor.doc.placements));
const placement = (page: Page, id: string) => page.evaluate((pid) => (window as StudioWindow).atriumStudio!.editor.doc.placements[pid] ?? null, id);

/**
 * Where to grab the gizmo's x arrow on placement `id`, and how far one metre along x goes on the
 * page: TransformControls draws its arrows at a size proportional to the distance (its x arrow
 * runs to about 0.14 d), pointing to the camera's side of the object.
 */
async function gizmoXArrow(page: Page, id: string, along = 0.08) {
  const [grip, metre, origin] = (await page.evaluate(([pid, f]) => {
    const w = window as unknown as { atriumStudio: { editor: { doc: { placements: Record<string, { position: number[] }> } }; bridge: { screenPoint(x: number, y: number, z: number): { x: number; y: number } | null } } };
    const [x, , z] = w.atriumStudio.editor.doc.placements[pid]!.position as [number, number, number];
    const cam = window.atrium!.cameraPosition();
    const d = Math.hypot(cam[0] - x, cam[1], cam[2] - z);
    const side = cam[0] >= x ? 1 : -1;
    return [w.atriumStudio.bridge.screenPoint(x + side * (f as number) * d, 0, z), w.atriumStudio.bridge.screenPoint(x + 1, 0, z), w.atriumStudio.bridge.screenPoint(x, 0, z)];
  }, [id, along] as const)) as { x: number; y: number }[];
  return { grip: grip!, perMetre: { x: metre!.x - origin!.x, y: metre!.y - origin!.y } };
}

/** The pointer's shape over the 3D view (the gizmo sets it over its handles). */
const canvasCursor = (page: Page) => page.evaluate(() => getComputedStyle(document.querySelector(".gallery-canvas canvas")!).cursor);

/**
 * Presses the gizmo's x arrow on placement `id`: points along the arrow are hovered until the
 * gizmo shows its grab cursor (its handle is under the pointer, as the gizmo itself judged from
 * the last frame drawn), and the press is made there. A press before the gizmo has been drawn on a
 * newly picked object, or beside the thin arrow, would take nothing and the drag would not start.
 */
async function pressGizmoX(page: Page, id: string) {
  const tried: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const along of [0.08, 0.065, 0.095, 0.05]) {
      const at = await gizmoXArrow(page, id, along);
      await page.mouse.move(at.grip.x, at.grip.y, { steps: 2 });
      const grab = await page
        .waitForFunction(() => getComputedStyle(document.querySelector(".gallery-canvas canvas")!).cursor === "grab", null, { timeout: 800, polling: 50 })
        .then(() => true, () => false);
      if (grab) {
        await page.mouse.down();
        return at;
      }
      tried.push(`${Math.round(at.grip.x)},${Math.round(at.grip.y)}: ${await canvasCursor(page)}`);
    }
  }
  throw new Error(`the gizmo's x arrow on ${id} never showed the grab cursor (points tried, cursor: ${tried.join("; ")})`);
}

/**
 * Placements of `ids` whose centre is on the canvas (not under a panel), nearest the camera first
 * (no other object stands in front of the first), each with that centre on the page.
 */
function onCanvas(page: Page, ids: readonly string[]) {
  return page.evaluate((list) => {
    const [cx, , cz] = window.atrium!.cameraPosition();
    return list
      .map((id) => [id, window.atrium!.artefactScreenPoint(id), window.atrium!.artefactPose(id)!.position] as const)
      .filter(([, at]) => at !== null && document.elementFromPoint(at.x, at.y)?.tagName === "CANVAS")
      .sort((p, q) => Math.hypot(p[2][0] - cx, p[2][2] - cz) - Math.hypot(q[2][0] - cx, q[2][2] - cz))
      .map(([id, at]) => ({ id, at: at! }));
  }, ids);
}

/** Whether these page points are all on the canvas (no panel over them). */
const allOnCanvas = (page: Page, points: { x: number; y: number }[]) => page.evaluate((list) => list.every((p) => document.elementFromPoint(p.x, p.y)?.tagName === "CANVAS"), points);

let ana: ApiSession, bo: ApiSession, lin: ApiSession;
beforeAll(async () => {
  await ensureAdmin(accounts, "admin@atrium.test", "correct horse battery");
  server = await startServer({ accounts });
  const admin = new ApiSession(server);
  await admin.call("POST", "/api/sessions", { email: "admin@atrium.test", password: "correct horse battery" });
  ana = await ApiSession.signUpOn(server, "ana@palace.test", "Ana");
  bo = await ApiSession.signUpOn(server, "bo@cmoa.test", "Bo");
  lin = await ApiSession.signUpOn(server, "lin@school.test", "Teacher Lin");
  await admin.call("POST", "/api/museums", { id: "palace", name: { en: "Palace Museum (sample)", "zh-Hant": "故宮（示範）" } });
  await admin.call("POST", "/api/museums", { id: "cmoa", name: { en: "Carnegie Museum of Art", "zh-Hant": "卡內基藝術博物館" } });
  await admin.call("POST", "/api/museums/palace/members", { email: "ana@palace.test", role: "admin" });
  await admin.call("POST", "/api/museums/cmoa/members", { email: "bo@cmoa.test", role: "curator" });
  expect((await ana.call("POST", "/api/exhibitions", { id: SHOW, title: { en: "Tea across two museums", "zh-Hant": "兩館茶器聯展" }, museum: "palace", template: "two-museum" })).status).toBe(201);
  for (const [who, role] of [[bo, "curator"], [lin, "commenter"]] as const) {
    const invite = (await ana.call("POST", `/api/exhibitions/${SHOW}/invites`, { role })).body;
    expect((await who.call("POST", `/api/invites/${invite.token}/accept`)).status).toBe(200);
  }
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the curation studio in three browsers", () => {
  let a: Page, b: Page, c: Page;
  let pid = "";

  it("A drags a catalogue item into the room and B sees it within a second", async () => {
    [a, b] = await Promise.all([studioPage(ana), studioPage(bo)]);
    await a.locator('input[name="catalogue-search"]').fill("tea bowl");
    // The search's own results (not the list shown before it), so the drag starts on an entry
    // that stays on screen.
    await a.waitForFunction(() => [...document.querySelectorAll(".catalogue-results li strong")].slice(0, 1).some((s) => /bowl/i.test(s.textContent ?? "")), null, { timeout: 30_000, polling: 100 });
    const first = a.locator(".catalogue-results li:not(.unplaceable)").first();
    await first.waitFor();
    await a.waitForFunction(() => document.querySelector(".catalogue-results li:not(.unplaceable)")?.getAttribute("draggable") === "true", null, { timeout: 30_000, polling: 100 });
    // Both pages note (same machine, same clock) when the first placement reaches their document.
    for (const page of [a, b])
      await page.evaluate(() => {
        const w = window as unknown as { atriumStudio: { live: { store: { subscribe(l: () => void): () => void; getSnapshot(): { placements: object } } } }; firstPlacementAt?: number };
        const store = w.atriumStudio.live.store;
        const off = store.subscribe(() => {
          if (Object.keys(store.getSnapshot().placements).length > 0) {
            w.firstPlacementAt = Date.now();
            off();
          }
        });
      });
    const box = (await a.locator(".gallery-canvas").boundingBox())!;
    const placed = () => a.waitForFunction(() => Object.keys((window as StudioWindow).atriumStudio!.editor.doc.placements).length === 1, null, { timeout: 15_000, polling: 100 });
    await first.dragTo(a.locator(".gallery-canvas"), { targetPosition: { x: box.width * 0.55, y: box.height * 0.8 } });
    // A synthetic drag on a loaded machine can be lost before it reaches the page (in CI, twice
    // in a row once; never here): up to two more drags, said in the log. A drop the page ignores
    // fails all three.
    for (let attempt = 2; !(await placed().then(() => true, () => false)); attempt++) {
      if (attempt > 3) await placed();
      console.warn(`[studio] drag ${attempt - 1} placed nothing; dragging again`);
      await a.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      await first.dragTo(a.locator(".gallery-canvas"), { targetPosition: { x: box.width * 0.55, y: box.height * 0.8 } });
    }
    pid = (await placements(a))[0]!;
    await b.waitForFunction((id) => (window as StudioWindow).atriumStudio!.editor.doc.placements[id] !== undefined, pid, { timeout: 5000, polling: 100 });
    const [placedAt, seenAt] = await Promise.all([a, b].map((page) => page.evaluate(() => (window as unknown as { firstPlacementAt: number }).firstPlacementAt)));
    console.log(`[studio] A's new placement reached B's document after ${seenAt! - placedAt!} ms`);
    expect(seenAt! - placedAt!).toBeLessThan(1000);
    // Same machine, but each page has its own process: their clocks agree only to a few milliseconds.
    expect(seenAt! - placedAt!).toBeGreaterThan(-5);
    // It is drawn in B's room too (its model loads), on a plinth.
    await b.waitForFunction((id) => window.atrium!.artefactIds().includes(id), pid, { timeout: 60_000, polling: 100 });
    await a.locator(`.inspector[data-placement="${pid}"]`).waitFor();
  });

  it("A moves it; B sees the move and sees A on it", async () => {
    await a.locator('input[name="position-x"]').fill("1.5");
    await a.locator('input[name="position-x"]').press("Enter");
    await b.waitForFunction((id) => (window as StudioWindow).atriumStudio!.editor.doc.placements[id]!.position[0] === 1.5, pid, { timeout: 5000, polling: 100 });
    // B sees Ana in the presence list and her selection, labelled, in the 3D view.
    await b.locator('.presence [data-peer="Ana"]').waitFor();
    await b.locator(".peer-tag", { hasText: "Ana" }).first().waitFor({ timeout: 10_000 });
    await a.screenshot({ path: join(OUT, "studio-owner.png") });
  });

  it("B relabels it, then undoes only B's own edit: A's move stays", async () => {
    const p = await b.evaluate((id) => window.atrium!.artefactScreenPoint(id), pid);
    await b.mouse.click(p!.x, p!.y);
    await b.locator(`.inspector[data-placement="${pid}"]`).waitFor();
    await b.locator('.lang-tabs [data-lang="en"]').click();
    const title = b.locator('input[name="item-title"]');
    const before = await title.inputValue();
    await title.fill("Tea bowl, hare's-fur glaze");
    const itemId = (await placement(a, pid))!.item;
    await a.waitForFunction((id) => (window as StudioWindow).atriumStudio!.editor.doc.items[id]!.title.en === "Tea bowl, hare's-fur glaze", itemId, { timeout: 5000, polling: 100 });
    // A sees who is on the item.
    await a.locator(".who-here .peer-tag", { hasText: "Bo" }).waitFor();
    await b.screenshot({ path: join(OUT, "studio-co-curator.png") });

    await b.locator('button[name="undo"]').click();
    await a.waitForFunction(([id, t]) => (window as StudioWindow).atriumStudio!.editor.doc.items[id!]!.title.en === t, [itemId, before] as const, { timeout: 5000, polling: 100 });
    expect((await placement(a, pid))!.position[0]).toBe(1.5);
    expect((await placement(b, pid))!.position[0]).toBe(1.5);
    // B has nothing else to undo: A's placing and moving are not B's.
    expect(await b.locator('button[name="undo"]').isDisabled()).toBe(true);
  });

  it("A and B type into the same description at once, in English and in Chinese: both keep every character, shown in both pages and after a reload", async () => {
    const itemId = (await placement(a, pid))!.item;
    const description = (page: Page, lang: string) => page.evaluate(([id, l]) => (window as StudioWindow).atriumStudio!.editor.doc.items[id!]!.description?.[l!] ?? "", [itemId, lang] as const);
    const words: Record<string, [string, string]> = { en: ["Hare's fur glaze, Jian ware. ", "Song dynasty."], "zh-Hant": ["建窯兔毫盞，", "宋代。"] };
    for (const lang of ["en", "zh-Hant"]) {
      for (const page of [a, b]) await page.locator(`.lang-tabs [data-lang="${lang}"]`).click();
      const [first, second] = words[lang]!;
      const start = await description(a, lang);
      const fieldA = a.locator('textarea[name="item-description"]');
      const fieldB = b.locator('textarea[name="item-description"]');
      // A writes at the start, B at the end, at the same time (each key a separate keystroke).
      await fieldA.focus();
      await a.keyboard.press("Control+Home");
      await fieldB.focus();
      await b.keyboard.press("Control+End");
      await Promise.all([a.keyboard.type(first, { delay: 25 }), b.keyboard.type(second, { delay: 35 })]);
      const expected = first + start + second;
      for (const page of [a, b]) await page.waitForFunction(([id, l, t]) => (window as StudioWindow).atriumStudio!.editor.doc.items[id!]!.description?.[l!] === t, [itemId, lang, expected] as const, { timeout: 10_000, polling: 100 });
      // What each page shows in the field is the merged text, and each caret stayed where its writer typed.
      expect(await fieldA.inputValue()).toBe(expected);
      expect(await fieldB.inputValue()).toBe(expected);
      expect(await fieldA.evaluate((el: HTMLTextAreaElement) => el.selectionStart)).toBe(first.length);
      expect(await fieldB.evaluate((el: HTMLTextAreaElement) => el.selectionStart)).toBe(expected.length);
      // Each sees the other's caret in the other's colour and name.
      await b.locator('.co-caret[data-peer="Ana"]').waitFor({ timeout: 5000 });
      await a.locator('.co-caret[data-peer="Bo"]').waitFor({ timeout: 5000 });
      if (lang === "zh-Hant") await b.screenshot({ path: join(OUT, "studio-co-writing.png") });
    }
    const both = { en: await description(a, "en"), zh: await description(a, "zh-Hant") };
    await b.reload();
    await b.waitForFunction(() => document.body.dataset.studioReady === "true", null, { timeout: 60_000, polling: 100 });
    await b.waitForFunction((id) => (window as StudioWindow).atriumStudio!.editor.doc.items[id]?.description !== undefined, itemId, { timeout: 30_000, polling: 100 });
    expect({ en: await description(b, "en"), zh: await description(b, "zh-Hant") }).toEqual(both);
    expect(both.en.startsWith(words.en![0]) && both.en.endsWith(words.en![1])).toBe(true);
    expect(both.zh.startsWith(words["zh-Hant"]![0]) && both.zh.endsWith(words["zh-Hant"]![1])).toBe(true);
    await a.locator('textarea[name="item-description"]').blur();
  });

  it("a change the server refuses is undone in B's page, with the reason, and not sent again", async () => {
    // A page's own document written outside the studio's tools (as a page of an older build, or a
    // race with a lock, would): the server refuses it; the page goes back to the server's document.
    await b.evaluate(() => (window as unknown as { atriumStudio: { live: { store: { ydoc: { getMap(n: string): { set(k: string, v: unknown): void } } } } } }).atriumStudio.live.store.ydoc.getMap("meta").set("published", true));
    const alert = b.locator(".live-status .rolled-back");
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.textContent()).toMatch(/undone: meta\.published: set by the server only/);
    await b.waitForFunction(() => document.body.dataset.studioReady === "true" && (window as unknown as { atriumStudio: { live: { getState(): { status: string; synced: boolean } } } }).atriumStudio.live.getState().synced, null, { timeout: 30_000, polling: 100 });
    expect(await b.evaluate(() => (window as unknown as { atriumStudio: { editor: { doc: { meta: { published: boolean } } } } }).atriumStudio.editor.doc.meta.published)).toBe(false);
    await b.screenshot({ path: join(OUT, "studio-refused-rolled-back.png") });
    // B goes on editing: the next change is taken (and the notice goes).
    const itemId = (await placement(a, pid))!.item;
    await b.waitForFunction((id) => window.atrium!.artefactIds().includes(id), pid, { timeout: 60_000, polling: 100 });
    const p = await b.evaluate((id) => window.atrium!.artefactScreenPoint(id), pid);
    await b.mouse.click(p!.x, p!.y);
    await b.locator(`.inspector[data-placement="${pid}"]`).waitFor();
    await b.locator('.lang-tabs [data-lang="en"]').click();
    const title = b.locator('input[name="item-title"]');
    await title.fill("Tea bowl (Jian ware)");
    await a.waitForFunction((id) => (window as StudioWindow).atriumStudio!.editor.doc.items[id]!.title.en === "Tea bowl (Jian ware)", itemId, { timeout: 10_000, polling: 100 });
    await alert.waitFor({ state: "detached", timeout: 5000 });
  });

  it("a commenter can comment but not move: the UI is disabled and the server refuses", async () => {
    c = await studioPage(lin);
    // A synthetic click on a loaded machine can be lost like a drag (once in CI): up to two more
    // clicks at the artefact's point read again, said in the log; a page that ignores the click fails all three.
    for (let attempt = 1; ; attempt++) {
      const p = await c.evaluate((id) => window.atrium!.artefactScreenPoint(id), pid);
      await c.mouse.click(p!.x, p!.y);
      const opened = await c.locator(`.inspector[data-placement="${pid}"]`).waitFor({ timeout: 10_000 }).then(() => true, (e: Error) => (attempt >= 3 ? Promise.reject(e) : false));
      if (opened) break;
      console.warn(`[studio] click ${attempt} opened no inspector; clicking again`);
    }
    expect(await c.locator('input[name="position-x"]').isDisabled()).toBe(true);
    expect(await c.locator('input[name="item-title"]').isDisabled()).toBe(true);
    expect(await c.locator('button[name="tool-move"]').isDisabled()).toBe(true);
    expect(await c.locator('button[name="remove"]').count()).toBe(0);
    await c.locator('textarea[name="comment"]').fill("Could students see the foot of this bowl in VR?");
    await c.locator(".comments > form button").click();
    await a.locator(".comments li", { hasText: "Could students see the foot" }).waitFor({ timeout: 5000 });
    await c.screenshot({ path: join(OUT, "studio-commenter.png") });

    // A tampered client skips the editor's checks: the server refuses and nothing moves.
    await c.evaluate((id) => {
      const s = (window as unknown as { atriumStudio: { live: { store: { apply(op: (d: unknown) => unknown): void } } } }).atriumStudio;
      s.live.store.apply((d) => {
        const doc = d as { placements: Record<string, { position: number[] }> };
        return { ...doc, placements: { ...doc.placements, [id]: { ...doc.placements[id]!, position: [-3, 0, -3] } } };
      });
    }, pid);
    // Refused, then rolled back: the page says so either way (the notice of the fresh connection).
    await c.locator(".live-status .refused, .live-status .rolled-back").first().waitFor({ timeout: 10_000 });
    await a.waitForTimeout(500);
    expect((await placement(a, pid))!.position[0]).toBe(1.5);
    // Three software-rendered pages share two cores: the commenter leaves to keep the others responsive.
    await c.context().close();
  });

  it("comments: Ana mentions Bo, who is told and sees it unread; Ana edits hers; Bo resolves the thread", async () => {
    await b.locator(".inspector header button.icon").click();
    await a.locator('textarea[name="comment"]').fill("@Bo could you check the glaze name?");
    await a.locator(".comments > form button").click();
    await b.locator(".comment-notice", { hasText: "Ana mentioned you on" }).waitFor({ timeout: 10_000 });
    const badge = b.locator('button[name="panel-comments"] .badge');
    await badge.waitFor({ timeout: 5000 });
    expect(await badge.textContent()).toBe("1");
    await b.locator('button[name="panel-comments"]').click();
    const row = b.locator(".comments-panel .threads li").first();
    await row.locator(".badge").waitFor();
    await b.screenshot({ path: join(OUT, "studio-comments-panel.png") });
    await row.locator(".thread-link").click();
    await b.locator(`.inspector[data-placement="${pid}"] .comments li.mentions-me`).waitFor({ timeout: 5000 });
    await badge.waitFor({ state: "detached", timeout: 5000 });
    // Ana edits her own comment (and only she sees Edit on it).
    const mine = a.locator(".comments li", { hasText: "@Bo could you check" });
    await mine.locator('button[name="edit-comment"]').click();
    await a.locator('textarea[name="edit-comment"]').fill("@Bo could you check the glaze name? Hare's fur, I think.");
    await a.locator('button[name="save-comment"]').click();
    const seenByBo = b.locator(".comments li", { hasText: "Hare's fur, I think." });
    await seenByBo.waitFor({ timeout: 5000 });
    expect(await seenByBo.textContent()).toContain("edited");
    expect(await seenByBo.locator('button[name="edit-comment"]').count()).toBe(0);
    // Bo resolves the thread; Ana's page shows who did.
    await b.locator('button[name="resolve-thread"]').click();
    await a.locator('.comments[data-resolved="true"] .resolved-note', { hasText: "Resolved by Bo" }).waitFor({ timeout: 5000 });
    await a.screenshot({ path: join(OUT, "studio-comments-resolved.png") });
    // The same through the API.
    const api = (await bo.call("GET", `/api/exhibitions/${SHOW}/comments`)).body as { threads: { item: string; resolved: boolean; resolvedBy: { name: string } | null; mentionsMe: number; comments: { text: string; edited?: number }[] }[] };
    const itemId = (await placement(a, pid))!.item;
    const thread = api.threads.find((x) => x.item === itemId)!;
    expect(thread).toMatchObject({ resolved: true, resolvedBy: { name: "Bo" }, mentionsMe: 1 });
    expect(thread.comments.some((x) => x.text.endsWith("Hare's fur, I think.") && x.edited! > 0)).toBe(true);
  });

  it("restoring a named version brings back a removed item", async () => {
    await a.locator('button[name="panel-versions"]').click();
    await a.locator('input[name="version-name"]').fill("before review");
    await a.locator(".versions-panel form button").click();
    await a.locator('.versions [data-version="before review"]').waitFor();
    await a.screenshot({ path: join(OUT, "studio-versions.png") });
    await a.locator('button[name="panel-versions"]').click();
    // Select and remove the bowl (Delete key), seen by B.
    const p = await a.evaluate((id) => window.atrium!.artefactScreenPoint(id), pid);
    await a.mouse.click(p!.x, p!.y);
    await a.locator('button[name="remove"]').click();
    await b.waitForFunction(() => Object.keys((window as StudioWindow).atriumStudio!.editor.doc.placements).length === 0, null, { timeout: 5000, polling: 100 });
    await a.locator('button[name="panel-versions"]').click();
    const restored = a.waitForResponse((r) => r.url().includes("/restore"));
    await a.locator('.versions [data-version="before review"] button[name="restore"]').click();
    const answer = await restored;
    expect(answer.status(), await answer.text()).toBe(200);
    for (const page of [a, b]) await page.waitForFunction((id) => (window as StudioWindow).atriumStudio!.editor.doc.placements[id] !== undefined, pid, { timeout: 5000, polling: 100 });
    await b.waitForFunction((id) => window.atrium!.artefactIds().includes(id), pid, { timeout: 60_000, polling: 100 });
  });

  it("several objects at once: shift-click and box select, align and spread as one step each, drag the group with snapping shown, delete and undo", async () => {
    // Ana closes the Versions panel (the inspector shows when no panel is open) and makes two
    // copies of the bowl beside it (each copy is selected as it is made).
    if (await a.locator(".versions-panel").isVisible()) await a.locator('button[name="panel-versions"]').click();
    let p = await a.evaluate((id) => window.atrium!.artefactScreenPoint(id), pid);
    await a.mouse.click(p!.x, p!.y);
    await a.locator(`.inspector[data-placement="${pid}"]`).waitFor();
    // Each copy, selected as it is made, is put in view to the bowl's left with the inspector's fields.
    const z = (await placement(a, pid))!.position[2]!;
    // (Neither in a row nor evenly spaced, so that aligning and spreading both change something.)
    for (const [x, dz] of [[0.9, 0.3], [-0.1, -0.25]] as const) {
      await a.locator('button[name="duplicate"]').click();
      await a.waitForFunction((n) => Object.keys((window as StudioWindow).atriumStudio!.editor.doc.placements).length === n, x > 0 ? 2 : 3, { timeout: 5000, polling: 100 });
      for (const [field, value] of [["position-x", x], ["position-z", Math.round((z + dz) * 1000) / 1000]] as const) {
        await a.locator(`input[name="${field}"]`).fill(String(value));
        await a.locator(`input[name="${field}"]`).press("Enter");
      }
    }
    await a.waitForFunction((n) => Object.values((window as StudioWindow).atriumStudio!.editor.doc.placements).filter((q) => q.position[0] === -0.1).length === n, 1, { timeout: 5000, polling: 100 });
    const ids = await placements(a);
    for (const id of ids) await a.waitForFunction((x) => window.atrium!.artefactIds().includes(x), id, { timeout: 60_000, polling: 100 });
    const [one, two, three] = [pid, ...ids.filter((x) => x !== pid)] as [string, string, string];
    const screen = (id: string) => a.evaluate((x) => window.atrium!.artefactScreenPoint(x), id);
    // Click the first, Shift-click the second, Shift-drag a box round the third.
    p = await screen(one);
    await a.mouse.click(p!.x, p!.y);
    p = await screen(two);
    await a.keyboard.down("Shift");
    await a.mouse.click(p!.x, p!.y);
    const c = (await screen(three))!;
    await a.mouse.move(c.x - 70, c.y - 90);
    await a.mouse.down();
    await a.mouse.move(c.x + 70, c.y + 60, { steps: 6 });
    await a.mouse.up();
    await a.keyboard.up("Shift");
    const tools = a.locator(".selection-tools");
    await tools.locator("h3", { hasText: "3 objects selected" }).waitFor({ timeout: 5000 });
    await a.screenshot({ path: join(OUT, "studio-multi-select.png") });

    const zs = () => b.evaluate((list) => list.map((id) => (window as StudioWindow).atriumStudio!.editor.doc.placements[id]!.position[2]), [one, two, three]);
    const xs = () => b.evaluate((list) => list.map((id) => (window as StudioWindow).atriumStudio!.editor.doc.placements[id]!.position[0]), [one, two, three]);
    const before = await zs();
    await tools.locator('button[name="align-selection-z"]').click();
    await b.waitForFunction((list) => new Set(list.map((id) => (window as StudioWindow).atriumStudio!.editor.doc.placements[id]!.position[2])).size === 1, [one, two, three], { timeout: 5000, polling: 100 });
    await a.locator('button[name="undo"]').click(); // one step back: all three where they were
    await b.waitForFunction(([list, z]) => list!.every((id, i) => (window as StudioWindow).atriumStudio!.editor.doc.placements[id as string]!.position[2] === (z as number[])[i]), [[one, two, three], before] as const, { timeout: 5000, polling: 100 });
    await a.locator('button[name="redo"]').click();
    await tools.locator('button[name="distribute-x"]').click();
    await b.waitForFunction((list) => {
      const x = list.map((id) => (window as StudioWindow).atriumStudio!.editor.doc.placements[id]!.position[0]!).sort((m, n) => m - n);
      return new Set(list.map((id) => (window as StudioWindow).atriumStudio!.editor.doc.placements[id]!.position[2])).size === 1 && Math.abs(x[1]! - x[0]! - (x[2]! - x[1]!)) < 0.01;
    }, [one, two, three], { timeout: 5000, polling: 100 });

    // Drag the gizmo's x arrow (on the last picked object): the group follows, the snap readout shows.
    const startX = await xs();
    const primary = await a.evaluate(() => (window as unknown as { atriumStudio: { editor: { doc: object } } }) && document.querySelector(".inspector")?.getAttribute("data-placement"));
    const { grip, perMetre } = await pressGizmoX(a, primary!);
    await a.mouse.move(grip.x + perMetre.x * 0.2, grip.y + perMetre.y * 0.2, { steps: 4 });
    await a.mouse.move(grip.x + perMetre.x * 0.4, grip.y + perMetre.y * 0.4, { steps: 4 });
    const readout = a.locator(".gizmo-readout");
    await readout.filter({ hasText: /^x −?\d+\.\d\d m · z −?\d+\.\d\d m$/ }).waitFor({ timeout: 5000 });
    await a.screenshot({ path: join(OUT, "studio-multi-drag.png") });
    expect(await canvasCursor(a)).toBe("grabbing");
    await a.mouse.up();
    await b.waitForFunction(([list, x0]) => (list as readonly string[]).every((id, i) => Math.abs((window as StudioWindow).atriumStudio!.editor.doc.placements[id]!.position[0]! - (x0 as number[])[i]! - 0.4) < 0.13), [[one, two, three], startX] as const, { timeout: 5000, polling: 100 });
    const moved = (await xs()).map((x, i) => Math.round((x! - startX[i]!) * 1000));
    expect(new Set(moved).size, `each moved by ${moved}`).toBe(1); // the same offset: the group kept its shape

    // Delete removes the three as one step; undo brings all three back.
    await a.locator(".gallery-canvas").focus();
    await a.keyboard.press("Delete");
    await b.waitForFunction(() => Object.keys((window as StudioWindow).atriumStudio!.editor.doc.placements).length === 0, null, { timeout: 5000, polling: 100 });
    await a.locator('button[name="undo"]').click();
    await b.waitForFunction(() => Object.keys((window as StudioWindow).atriumStudio!.editor.doc.placements).length === 3, null, { timeout: 5000, polling: 100 });
    for (const id of [one, two, three]) await a.waitForFunction((x) => window.atrium!.artefactIds().includes(x), id, { timeout: 60_000, polling: 100 });

    // One of them dragged alone snaps onto its neighbours' row (the three share a z since the
    // alignment): the orange guide line shows while dragging and goes with the drop.
    // The nearest bowl whose centre, and whose x arrow from grip to where the drag ends, are on the
    // canvas (the arrow of a bowl by the inspector's edge runs under the panel).
    let alone: { id: string; at: { x: number; y: number } } | undefined;
    for (const c of await onCanvas(a, [one, two, three])) {
      const g = await gizmoXArrow(a, c.id);
      if (await allOnCanvas(a, [g.grip, { x: g.grip.x + g.perMetre.x * 0.15, y: g.grip.y + g.perMetre.y * 0.15 }])) {
        alone = c;
        break;
      }
    }
    expect(alone, "a bowl whose x arrow is on the canvas").toBeDefined();
    await a.mouse.click(alone!.at.x, alone!.at.y);
    await a.locator(`.inspector[data-placement="${alone!.id}"]`).waitFor();
    const rowZ = (await zs())[0]!;
    const canvasBox = (await a.locator(".gallery-canvas canvas").boundingBox())!;
    const beforeDrag = orangePixels(await a.screenshot({ clip: canvasBox }));
    const { grip: grip1, perMetre: step } = await pressGizmoX(a, alone!.id);
    await a.mouse.move(grip1.x + step.x * 0.15, grip1.y + step.y * 0.15, { steps: 4 });
    await a.locator(".gizmo-readout").filter({ hasText: /^x −?\d+\.\d\d m · z −?\d+\.\d\d m$/ }).waitFor({ timeout: 5000 });
    const dragging = await a.screenshot({ clip: canvasBox });
    await a.screenshot({ path: join(OUT, "studio-snap-guide.png") });
    // The live status sits under the room's header, hiding none of its words (with the catalogue
    // and the inspector open the header is narrow and its title takes two lines: the status once
    // covered the room's number).
    for (const words of [".hud-top .exhibition-title", ".hud-top .room-name"]) expect(await coveredText(a, ".live-status", words), `live status over ${words}`).toBe(0);
    await a.mouse.up();
    await a.waitForFunction(() => !document.querySelector(".gizmo-readout")?.textContent, null, { timeout: 5000, polling: 100 });
    await a.waitForTimeout(300); // a frame after the drop
    const afterDrop = orangePixels(await a.screenshot({ clip: canvasBox }));
    const during = orangePixels(dragging);
    expect(during, `orange guide pixels: ${beforeDrag} before, ${during} while dragging, ${afterDrop} after`).toBeGreaterThan(Math.max(beforeDrag, afterDrop) + 100);
    expect(await placement(a, alone!.id)).toMatchObject({ position: [expect.any(Number), expect.any(Number), rowZ] }); // still on the row
  });

  it("review mode: Bo sees what changed since a named version, and who changed it", async () => {
    // Bo renames the bowl, then reviews the show against "before review".
    // Whatever panel Bo left open is closed (the inspector shows when none is).
    const openPanel = b.locator('.studio-toolbar button.active[name^="panel-"]');
    if (await openPanel.count()) await openPanel.first().click();
    // Any of the three bowls in Bo's view (they place the same item): the one nearest Bo, so that no
    // other bowl stands in front of its centre (in the fresh-clone CI the click once selected the
    // bowl in front of the one asked for), and whose centre is not under a panel.
    const itemId = (await placement(b, pid))!.item;
    const sameItem = await b.evaluate((item) => window.atrium!.artefactIds().filter((id) => (window as StudioWindow).atriumStudio!.editor.doc.placements[id]?.item === item), itemId);
    const [inView] = await onCanvas(b, sameItem);
    await b.mouse.click(inView!.at.x, inView!.at.y);
    await b.locator(`.inspector[data-placement="${inView!.id}"]`).waitFor();
    await b.locator('.lang-tabs [data-lang="en"]').click();
    await b.locator('input[name="item-title"]').fill("Tea bowl (Jian ware), hare's fur");
    await a.waitForFunction((id) => (window as StudioWindow).atriumStudio!.editor.doc.items[id]!.title.en === "Tea bowl (Jian ware), hare's fur", itemId, { timeout: 10_000, polling: 100 });
    await b.locator('button[name="panel-versions"]').click();
    await b.locator('.versions [data-version="before review"] button[name="review"]').click();
    const review = b.locator('.review[data-review="before review"]');
    await review.locator('[data-group="reviewAdded"] li').nth(1).waitFor({ timeout: 10_000 });
    expect(await review.locator('[data-group="reviewAdded"] li').count()).toBe(2);
    for (const li of await review.locator('[data-group="reviewAdded"] li').all()) expect(await li.locator(".review-by").textContent()).toBe("by Ana");
    expect(await review.locator('[data-group="reviewMoved"] li .review-by').first().textContent()).toBe("by Ana");
    const title = review.locator('[data-group="reviewTexts"] li', { hasText: "title (en)" });
    expect(await title.locator(".review-by").textContent()).toBe("by Bo");
    expect(await title.locator(".text-diff ins").textContent()).toBe(", hare's fur");
    await b.screenshot({ path: join(OUT, "studio-review.png") });
    // Show takes Bo to a moved object, selected.
    await review.locator('[data-group="reviewMoved"] button[name="review-show"]').first().click();
    await b.locator(".inspector").waitFor();
  });

  it("publishing is an owner action with a preview", async () => {
    expect(await b.locator('button[name="publish"]').count()).toBe(0);
    await a.locator('button[name="publish"]').click();
    await a.locator(".publish-dialog img.publish-preview").waitFor();
    await a.screenshot({ path: join(OUT, "studio-publish.png") });
    await a.locator('button[name="confirm-publish"]').click();
    // First every room's 360° picture, for devices without 3D (the dialog says how far it is).
    await a.locator("[data-panoramas]").waitFor({ timeout: 30_000 });
    await b.waitForFunction(() => (window as unknown as { atriumStudio: { editor: { doc: { meta: { published: boolean } } } } }).atriumStudio.editor.doc.meta.published, null, { timeout: 120_000, polling: 100 });
    expect((await new ApiSession(server).call("GET", `/api/exhibitions/${SHOW}`)).status).toBe(200); // public now
    const rooms = (await new ApiSession(server).call("GET", `/api/exhibitions/${SHOW}`)).body.rooms as Record<string, { panorama?: string }>;
    expect(Object.keys(rooms).length).toBeGreaterThan(0);
    for (const [id, room] of Object.entries(rooms)) {
      expect(room.panorama, id).toMatch(/^\/uploads\/[0-9a-f]{64}\.jpg$/);
      // Anyone may see it now the show is public; six square faces side by side, not a blank picture.
      const res = await fetch(`${server.url}${room.panorama}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/jpeg");
      const picture = await a.evaluate(async (url) => {
        const img = new Image();
        img.src = url;
        await img.decode();
        const c = document.createElement("canvas");
        [c.width, c.height] = [img.naturalWidth, img.naturalHeight];
        const ctx = c.getContext("2d")!;
        ctx.drawImage(img, 0, 0);
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        const levels = new Set<number>();
        for (let i = 0; i < d.length; i += 4 * 97) levels.add(d[i]! >> 3);
        return { w: img.naturalWidth, h: img.naturalHeight, levels: levels.size };
      }, room.panorama!);
      expect(picture.w).toBe(picture.h * 6);
      expect(picture.levels).toBeGreaterThan(8);
    }
    // Not catalogue items: a panorama is the room's, not a thing to place.
    const catalogue = await ana.call("GET", "/api/catalogue?q=panorama");
    expect(JSON.stringify(catalogue.body)).not.toContain("Panorama of room");
  });
});
