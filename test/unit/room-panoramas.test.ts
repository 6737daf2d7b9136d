import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectPanorama } from "../../src/viewer/panorama-projection";
import { ApiSession } from "../support/api-session";
import { ROOT, startServer } from "../support/server";

/**
 * Room panoramas (issue 21: a 360° picture of each room for devices without 3D): the projection
 * that looks around one without WebGL, and the upload that stores one (a picture only, no
 * catalogue entry, private until a show names it).
 */
const FACE = 8;
const COLOURS = [
  [200, 0, 0], // front
  [0, 200, 0], // right
  [0, 0, 200], // back
  [200, 200, 0], // left
  [0, 200, 200], // up
  [200, 0, 200], // down
];
/** A strip of six solid faces, each its own colour. */
function strip(): Uint8ClampedArray {
  const data = new Uint8ClampedArray(FACE * 6 * FACE * 4);
  for (let y = 0; y < FACE; y++)
    for (let x = 0; x < FACE * 6; x++) {
      const c = COLOURS[Math.floor(x / FACE)]!;
      data.set([c[0]!, c[1]!, c[2]!, 255], (y * FACE * 6 + x) * 4);
    }
  return data;
}
const centre = (yaw: number, pitch: number) => {
  const out = new Uint8ClampedArray(9 * 9 * 4);
  projectPanorama(strip(), FACE, out, 9, 9, yaw, pitch);
  const i = (4 * 9 + 4) * 4;
  return [out[i], out[i + 1], out[i + 2]];
};

describe("looking around a panorama without WebGL", () => {
  it("shows the face the visitor turns to: front, right, back, left, up and down", () => {
    expect(centre(0, 0)).toEqual(COLOURS[0]);
    expect(centre(90, 0)).toEqual(COLOURS[1]);
    expect(centre(180, 0)).toEqual(COLOURS[2]);
    expect(centre(270, 0)).toEqual(COLOURS[3]);
    expect(centre(-90, 0)).toEqual(COLOURS[3]);
    expect(centre(0, 80)).toEqual(COLOURS[4]);
    expect(centre(0, -80)).toEqual(COLOURS[5]);
  });

  it("keeps each face's picture the right way round: its left half on the visitor's left", () => {
    // A front face whose left half is dark: looking ahead, the view's left side is dark.
    const data = strip();
    for (let y = 0; y < FACE; y++) for (let x = 0; x < FACE / 2; x++) data.set([10, 10, 10, 255], (y * FACE * 6 + x) * 4);
    const out = new Uint8ClampedArray(20 * 10 * 4);
    projectPanorama(data, FACE, out, 20, 10, 0, 0, 60);
    expect(out[(5 * 20 + 2) * 4]).toBe(10); // left
    expect(out[(5 * 20 + 17) * 4]).toBe(200); // right
    // Its top rows: looking ahead, the top of the view shows the face's top (its upper three rows dark).
    const top = strip();
    for (let y = 0; y < 3; y++) for (let x = 0; x < FACE; x++) top.set([10, 10, 10, 255], (y * FACE * 6 + x) * 4);
    projectPanorama(top, FACE, out, 20, 10, 0, 0, 88);
    expect(out[(0 * 20 + 10) * 4]).toBe(10);
    expect(out[(9 * 20 + 10) * 4]).toBe(200);
  });
});

describe("storing a room panorama", () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let curator: ApiSession;
  let stranger: ApiSession;
  const jpeg = readFileSync(join(ROOT, "models/panoramas/tea-and-its-vessels/bowls.jpg"));
  beforeAll(async () => {
    server = await startServer();
    curator = await ApiSession.signUpOn(server, "pano@museum.test", "Pano");
    stranger = await ApiSession.signUpOn(server, "other@museum.test", "Other");
  });
  afterAll(() => server?.close());

  it("keeps a picture as the room's, with no catalogue entry, readable only once a show names it", async () => {
    const res = await curator.upload("/api/assets?title=Panorama&purpose=room-panorama", jpeg, "image/jpeg");
    expect(res.status).toBe(201);
    expect(res.body.kind).toBe("image");
    expect(res.body.url).toMatch(/^\/uploads\/[0-9a-f]{64}\.jpg$/);
    expect(res.body.entry).toBeUndefined();
    expect(JSON.stringify((await curator.call("GET", "/api/catalogue?q=Panorama")).body)).not.toContain(res.body.url);
    // No show names it yet: nobody else may read it, whoever knows its address.
    expect((await fetch(`${server.url}${res.body.url}`, { headers: { cookie: stranger.cookie } })).status).toBeGreaterThanOrEqual(403);
    // Named in a room of a show: its members may; published, anyone may.
    const show = JSON.parse(readFileSync(join(ROOT, "exhibitions/tea-and-its-vessels.json"), "utf8"));
    show.rooms.bowls.panorama = res.body.url;
    expect((await curator.call("POST", "/api/exhibitions/import", { document: show, id: "pano-show" })).status).toBe(201);
    expect((await fetch(`${server.url}${res.body.url}`, { headers: { cookie: curator.cookie } })).status).toBe(200);
    expect((await fetch(`${server.url}${res.body.url}`, { headers: { cookie: stranger.cookie } })).status).toBeGreaterThanOrEqual(403);
    expect((await curator.call("POST", "/api/exhibitions/pano-show/publish")).status).toBe(200);
    const open = await fetch(`${server.url}${res.body.url}`);
    expect(open.status).toBe(200);
    expect(Buffer.from(await open.arrayBuffer()).equals(jpeg)).toBe(true);
  });

  it("refuses anything but a picture, and a purpose it does not know", async () => {
    const glb = readFileSync(join(ROOT, "models/tea/tea-whisk.glb"));
    const model = await curator.upload("/api/assets?title=Not%20a%20picture&purpose=room-panorama", glb, "model/gltf-binary");
    expect(model.status).toBe(422);
    expect(model.body.error).toContain("a room panorama must be a picture");
    const bogus = await curator.upload("/api/assets?title=x&purpose=wallpaper", jpeg, "image/jpeg");
    expect(bogus.status).toBe(400);
    // Signed out: no upload at all.
    expect((await new ApiSession(server).upload("/api/assets?title=x&purpose=room-panorama", jpeg, "image/jpeg")).status).toBe(401);
  });
});
