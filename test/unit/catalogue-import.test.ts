import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { ExhibitionStore, readExhibition, writeExhibition } from "../../src/collab";
import { exhibitionFromTemplate, parseExhibition, type CatalogueEntry } from "../../src/shared/exhibition";
import { StudioEditor } from "../../src/studio/editor";
import { ensureAdmin } from "../../server/accounts/admin";
import { ApiSession } from "../support/api-session";
import { documentedAnswers } from "../support/openapi";
import { CMOA, CMOA_TEXT, cmoaCsv } from "../support/cmoa-csv";
import { importedEntryId } from "../../server/catalogue/record-import";
import { startServer } from "../support/server";
import { FIXTURES } from "../support/fixtures";
import { testAccounts } from "../support/storage-mode";

/**
 * A registrar's import of open-data records through the real API: the CMOA fixture as JSON and as
 * CSV through the column-mapping step (nothing dropped, every gap reported), licences set per
 * record, and IIIF Presentation 3 image manifests (the cookbook fixtures) as wall-hung images.
 */
const accounts = testAccounts("catimport");
let server: Awaited<ReturnType<typeof startServer>>;
let registrar: ApiSession, stranger: ApiSession;

beforeAll(async () => {
  await ensureAdmin(accounts, "admin@atrium.test", "correct horse battery");
  server = await startServer({ accounts });
  const admin = new ApiSession(server);
  await admin.call("POST", "/api/sessions", { email: "admin@atrium.test", password: "correct horse battery" });
  registrar = await ApiSession.signUpOn(server, "registrar@pgh.test", "Registrar");
  stranger = await ApiSession.signUpOn(server, "someone@else.test", "Someone");
  expect((await admin.call("POST", "/api/museums", { id: "pgh", name: { en: "Pittsburgh test museum", "zh-Hant": "匹茲堡測試博物館" } })).status).toBe(201);
  expect((await admin.call("POST", "/api/museums/pgh/members", { email: "registrar@pgh.test", role: "curator" })).status).toBe(200);
});
afterAll(async () => {
  await server.close();
  await accounts.close();
});

describe("open-data import with a column mapping", () => {
  it("previews the CMOA JSON with a guessed mapping, then imports all 200 records, reporting gaps", async () => {
    const preview = await registrar.call("POST", "/api/catalogue/imports/preview", { format: "json", text: CMOA_TEXT, museum: "pgh", units: "in" });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.records).toBe(200);
    expect(preview.body.columns).toEqual(expect.arrayContaining(["title", "medium", "item_height", "creator.0.full_name", "web_url"]));
    expect(preview.body.mapping).toMatchObject({ id: "id", title: "title", material: "medium", height: "item_height", maker: "creator.0.full_name", sourceUrl: "web_url", accessionNumber: "accession_number", creditLine: "credit_line" });
    expect(preview.body.sample).toHaveLength(5);
    // The records name no licence: the defaults are used, and every use is reported.
    expect(preview.body.warningsByField.licenceObject).toBe(200);

    const r = await registrar.call("POST", "/api/catalogue/imports", { format: "json", text: CMOA_TEXT, museum: "pgh", units: "in", defaults: { metadata: "CC0-1.0", thumbnail: "All-Rights-Reserved", object: "CC0-1.0" }, mapping: preview.body.mapping });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.imported).toBe(200); // never silently dropped
    const api = await documentedAnswers(server);
    api.check("/api/catalogue/imports/preview", "post", "200", preview.body);
    api.check("/api/catalogue/imports", "post", "201", r.body);
    expect(new Set(r.body.ids).size).toBe(200);
    expect(r.body.placeable).toBeGreaterThan(100);
    expect(r.body.warnings.some((w: { field: string }) => w.field === "modelUrl")).toBe(true); // prints are listed, not placeable

    const found = (await stranger.call("GET", "/api/catalogue?institution=pgh&limit=100")).body;
    expect(found.total).toBe(200);
    expect(Object.keys(found.facets.material)).toEqual(expect.arrayContaining(["porcelain", "stoneware"]));
    const vase = CMOA.find((x) => x.title === "Covered vase" && x.accession_number === "70.32.2510.A-B")!;
    const entry = (await stranger.call("GET", `/api/catalogue/${importedEntryId("pgh", String(vase.id))}`)).body as CatalogueEntry;
    expect(entry.item.dimensions?.height).toBe(48.3); // 19 in
    expect(entry.item.creditLine.en).toBe("Ailsa Mellon Bruce Collection. 70.32.2510.A-B");
    expect(entry.item.sourceUrl).toBe(vase.web_url);
  });

  it("imports a CSV with its own column names once the registrar maps them, naming each record's problem", async () => {
    const text = cmoaCsv();
    const preview = await registrar.call("POST", "/api/catalogue/imports/preview", { format: "csv", text, museum: "pgh" });
    expect(preview.body.columns).toEqual(["Object Number", "Object Title", "Medium", "Dated", "Height (in)", "Licence", "Link"]);
    expect(preview.body.mapping.title).toBeUndefined(); // "Object Title" is not guessed...
    expect(preview.body.mapping.material).toBe("Medium"); // ..."Medium" is
    const mapping = { id: "Object Number", title: "Object Title", material: "Medium", date: "Dated", height: "Height (in)", licenceObject: "Licence", licenceMetadata: "Licence", sourceUrl: "Link" };
    const bad = await registrar.call("POST", "/api/catalogue/imports/preview", { format: "csv", text, museum: "pgh", mapping: { ...mapping, maker: "Artist" } });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe("mapping.maker");
    const r = await registrar.call("POST", "/api/catalogue/imports", { format: "csv", text, museum: "pgh", units: "in", mapping });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.imported).toBe(200);
    const at = (row: number, field: string) => r.body.warnings.find((w: { row: number; field: string }) => w.row === row && w.field === field);
    expect(at(4, "title").message).toMatch(/no title: imported as "Untitled"/);
    expect(at(6, "licenceObject").message).toMatch(/"free to use, ask us" is not a licence Atrium knows: All-Rights-Reserved used/);
    expect(at(8, "height").message).toMatch(/"about 7" is not a size/);
    expect(at(1, "licenceObject")).toBeUndefined(); // "CC0" is understood
    const untitled = (await registrar.call("GET", `/api/catalogue/${importedEntryId("pgh", String(CMOA[3]!.accession_number))}`)).body as CatalogueEntry;
    expect(untitled.item.title.en).toBe("Untitled");
  });

  it("refuses what it cannot read, and imports only for a museum the registrar belongs to", async () => {
    expect((await stranger.call("POST", "/api/catalogue/imports", { format: "json", text: CMOA_TEXT, museum: "pgh" })).status).toBe(403);
    const broken = await registrar.call("POST", "/api/catalogue/imports/preview", { format: "json", text: "[{\"title\": ", museum: "pgh" });
    expect(broken.status).toBe(422);
    expect(broken.body.field).toBe("text");
    expect(broken.body.error).toMatch(/not valid JSON/);
    const none = await registrar.call("POST", "/api/catalogue/imports/preview", { format: "json", text: "{\"hello\": 1}", museum: "pgh" });
    expect(none.body.error).toMatch(/no list of records/);
  });

  it("lets the museum's registrar set an imported record's licences, and nobody else", async () => {
    const id = importedEntryId("pgh", String(CMOA[0]!.accession_number));
    const set = await registrar.call("PATCH", `/api/catalogue/${id}`, { licences: { metadata: "CC0-1.0", thumbnail: "CC-BY-4.0", object: "CC-BY-NC-4.0" }, rightsHolder: "Pittsburgh test museum" });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.item.licences.object).toBe("CC-BY-NC-4.0");
    expect((await stranger.call("GET", `/api/catalogue?institution=pgh&licence=CC-BY-NC-4.0`)).body.entries.map((e: { id: string }) => e.id)).toContain(id);
    expect((await stranger.call("PATCH", `/api/catalogue/${id}`, { licences: { metadata: "CC0-1.0", thumbnail: "CC0-1.0", object: "CC0-1.0" } })).status).toBe(403);
    const custom = await registrar.call("PATCH", `/api/catalogue/${id}`, { licences: { metadata: "CC0-1.0", thumbnail: "custom", object: "CC0-1.0" } });
    expect(custom.body.field).toBe("rightsNote");
    // Built-in records (the shipped CMOA data) are not the registrar's to change.
    const builtIn = (await registrar.call("GET", "/api/catalogue?institution=cmoa&limit=1")).body.entries[0].id;
    expect((await registrar.call("PATCH", `/api/catalogue/${builtIn}`, { rightsHolder: "me" })).status).toBe(403);
  });
});

describe("IIIF image manifests as wall-hung images", () => {
  const cookbook = (path: string) => JSON.parse(readFileSync(join(FIXTURES, "iiif/presentation-3/cookbook", path), "utf8"));

  it("imports each cookbook image manifest, reading labels, rights, credit and size", async () => {
    for (const path of ["0001-mvm-image/manifest.json", "0005-image-service/manifest.json", "0009-book-1/manifest.json", "0029-metadata-anywhere/manifest.json"]) {
      const manifest = cookbook(path);
      const r = await registrar.call("POST", "/api/catalogue/iiif", { manifest, licence: "CC-BY-4.0" });
      expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBe(201);
      expect(r.body.imported, path).toBe(manifest.items.length);
      for (const e of r.body.entries as CatalogueEntry[]) {
        expect(e.item.asset.kind).toBe("image");
        expect(e.uploadedBy).toBeDefined(); // the user's own collection: private to them
      }
    }
    const dee = (await registrar.call("POST", "/api/catalogue/iiif", { manifest: cookbook("0029-metadata-anywhere/manifest.json") })).body;
    (await documentedAnswers(server)).check("/api/catalogue/iiif", "post", "201", dee);
    const first = dee.entries[0] as CatalogueEntry;
    expect(first.item.title.en).toBe("John Dee performing an experiment before Queen Elizabeth I. — Painting under natural light");
    expect(first.item.licences.object).toBe("CC-BY-NC-4.0"); // from the required statement's words
    expect(first.item.creditLine.en).toMatch(/^Wellcome Collection/);
    expect(first.item.dimensions).toMatchObject({ height: 152, width: 244.4 }); // "canvas 152 x 244.4 cm"
    expect(first.item.maker?.en).toBe("Glindoni, Henry Gillard, 1852-1913");
    expect(first.item.asset).toMatchObject({ kind: "image", src: expect.stringMatching(/\/full\/max\/0\/default\.jpg$/), thumb: expect.stringMatching(/\/full\/256,\/0\/default\.jpg$/) });
    const service = (await registrar.call("POST", "/api/catalogue/iiif", { manifest: cookbook("0005-image-service/manifest.json"), licence: "CC0-1.0" })).body.entries[0] as CatalogueEntry;
    expect(service.item.licences.object).toBe("CC0-1.0"); // no rights stated: the registrar's choice, with a warning
    // The imported image hangs on a wall of a micro-exhibition like any image.
    const ydoc = new Y.Doc();
    writeExhibition(ydoc, exhibitionFromTemplate("micro", { id: "iiif-wall", title: { en: "Wall" }, languages: ["en"], owner: { kind: "person", id: "u1" }, museums: [] }), "load");
    const editor = new StudioEditor(new ExhibitionStore(ydoc), { id: "u1", name: "Registrar", museums: [], role: "owner" });
    const doc0 = readExhibition(ydoc);
    const room = Object.keys(doc0.rooms)[0]!;
    const pid = editor.place(first, room, [0, -3.4]);
    const doc = readExhibition(ydoc);
    expect(doc.placements[pid]!.mount).toBe("wall");
    expect(parseExhibition(doc, "after").ok).toBe(true);
    editor.destroy();
  });

  it("refuses a collection or a broken manifest naming what is wrong", async () => {
    const collection = await registrar.call("POST", "/api/catalogue/iiif", { manifest: cookbook("0032-collection/collection.json") });
    expect(collection.status).toBe(422);
    expect(collection.body.error).toMatch(/manifest: not a IIIF Presentation 3 manifest: \/type must be "Manifest"/);
    const broken = JSON.parse(readFileSync(join(FIXTURES, "iiif/presentation-3/validator-fixtures/broken_simple_image.json"), "utf8"));
    const r = await registrar.call("POST", "/api/catalogue/iiif", { manifest: broken });
    expect(r.status).toBe(422);
    expect(r.body.field).toBe("manifest");
    // The validator's fixture fails the IIIF 3 schema for its canvas without an id: named by pointer.
    expect(r.body.error).toMatch(/\/items\/0\/id /);
    // A canvas with a width and no height (the cookbook's first recipe, height removed): the schema's
    // rule, named where it is broken, not "no canvas painted with an image".
    const noHeight = cookbook("0001-mvm-image/manifest.json") as { items: { height?: number }[] };
    delete noHeight.items[0]!.height;
    const h = await registrar.call("POST", "/api/catalogue/iiif", { manifest: noHeight });
    expect(h.status).toBe(422);
    expect(h.body.error).toMatch(/not a IIIF Presentation 3 manifest: \/items\/0\/height is missing: a Canvas with a width must have a height too/);
    // A canvas painted with a sound: why it is skipped, and where.
    const sound = cookbook("0001-mvm-image/manifest.json") as { items: { items: { items: { body: { type: string } }[] }[] }[] };
    sound.items[0]!.items[0]!.items[0]!.body.type = "Sound";
    const s = await registrar.call("POST", "/api/catalogue/iiif", { manifest: sound });
    expect(s.status).toBe(422);
    expect(s.body.error).toMatch(/\/items\/0\/items\/0\/items\/0\/body: is a Sound, not an Image/);
  });
});
