/**
 * The sample shows' 360° room panoramas (`Room.panorama`, for devices without 3D), drawn by the
 * viewer's own renderer (`src/viewer/panorama.ts`, through `window.atrium.panorama()`) in headless
 * Chromium on SwiftShader, as the studio draws them when a curator publishes. Written to
 * `models/panoramas/<show>/<room>.jpg` and named in each show's JSON.
 *
 *   npm run build && npm start &        # a running Atrium (any port)
 *   npx tsx scripts/make-panoramas.ts http://localhost:8080
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../test/support/browser";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const base = process.argv[2];
if (!base) throw new Error("usage: make-panoramas.ts http://host:port");
const shows = ["tea-and-its-vessels", "bone-and-clay", "large-show"];
const browser = await launchChromium();
for (const id of shows) {
  const file = join(root, "exhibitions", `${id}.json`);
  const show = JSON.parse(readFileSync(file, "utf8")) as { rooms: Record<string, { panorama?: string }> };
  for (const room of Object.keys(show.rooms)) {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    page.on("pageerror", (e) => console.log(`[page error] ${e.message}`));
    await page.goto(`${base}/visit/${id}?room=${room}&lang=en&mode=3d`);
    await page.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 180_000 });
    const dataUrl = await page.evaluate(() => window.atrium!.panorama());
    await page.close();
    if (!dataUrl) throw new Error(`${id}/${room}: no panorama`);
    const jpeg = Buffer.from(dataUrl.slice(dataUrl.indexOf(",") + 1), "base64");
    const out = join(root, "models", "panoramas", id, `${room}.jpg`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, jpeg);
    show.rooms[room]!.panorama = `/models/panoramas/${id}/${room}.jpg`;
    console.log(`${out.slice(root.length + 1)}: ${jpeg.length} bytes`);
  }
  writeFileSync(file, JSON.stringify(show, null, 2) + "\n");
}
await browser.close();
