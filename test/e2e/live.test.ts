import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { ExhibitionStore } from "../../src/collab";
import { setText } from "../../src/shared/exhibition";
import { AccountStore } from "../../server/accounts/account-store";
import { ensureAdmin } from "../../server/accounts/admin";
import { launchChromium } from "../support/browser";
import { waitFor } from "../support/sync-clients";
import { ROOT, startServer } from "../support/server";

/** A visitor's browser follows the live document while a curator edits it from another client. */
const accounts = new AccountStore(":memory:");
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;

beforeAll(async () => {
  await ensureAdmin(accounts, "curator@atrium.test", "a long enough password");
  server = await startServer({ accounts });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("live exhibition", () => {
  it("shows a curator's edits in the visitor's browser as they are made", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
    page.on("pageerror", (e) => console.error(`[page] ${e.message}`));
    await page.goto(`${server.url}/visit/tea-and-its-vessels?lang=en`);
    await page.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 150_000 });
    await page.locator('.live-status[data-status="online"]').waitFor({ timeout: 30_000 }); // present for a visitor, out of sight while live

    const login = await fetch(`${server.url}/api/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "curator@atrium.test", password: "a long enough password" }) });
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    class CookieSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { cookie } });
      }
    }
    const curator = new WebsocketProvider(`${server.ws}/sync`, "tea-and-its-vessels", new Y.Doc(), { WebSocketPolyfill: CookieSocket as unknown as typeof globalThis.WebSocket, disableBc: true });
    await waitFor(() => curator.synced);
    const store = new ExhibitionStore(curator.doc);
    store.apply((d) => setText(d, { kind: "room", id: "bowls" }, "en", "Room 1: Bowls for Whisked Tea"));
    await page.waitForFunction(() => document.querySelector(".room-name")?.textContent === "Room 1: Bowls for Whisked Tea", null, { timeout: 30_000 });

    // Inspect an artefact, then its label changes while the visitor reads it.
    const point = await page.evaluate(() => window.atrium!.artefactScreenPoint("p-qingbai"));
    await page.mouse.click(point!.x, point!.y);
    await page.locator(".inspect-title").waitFor();
    store.apply((d) => setText(d, { kind: "item", id: "qingbai-cup", field: "title" }, "en", "Qingbai Cup"));
    await page.waitForFunction(() => document.querySelector(".inspect-title")?.textContent === "Qingbai Cup", null, { timeout: 30_000 });
    await page.screenshot({ path: join(ROOT, "test-results", "live-edit.png") });
    curator.destroy();
    await page.close();
  });
});
