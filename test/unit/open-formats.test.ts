import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiSession } from "../support/api-session";
import { documentedAnswers } from "../support/openapi";
import { ROOT, startServer } from "../support/server";
import { FIXTURES } from "../support/fixtures";
import { testAccounts } from "../support/storage-mode";

/** Exports to open standards through the real API: IIIF Presentation 3 (schema-validated) and JSON. */
const IIIF = join(FIXTURES, "iiif");
const accounts = testAccounts("open");
let server: Awaited<ReturnType<typeof startServer>>;
let visitor: ApiSession;

/** The official IIIF Presentation 3.0 JSON Schema (draft-07), compiled once. */
function iiifValidator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat("uri", /^[a-z][a-z0-9+.-]*:[^\s]*$/i);
  return ajv.compile(JSON.parse(readFileSync(join(IIIF, "schema/iiif_3_0.json"), "utf8")));
}
const validate = iiifValidator();
const errorsOf = (doc: unknown) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

beforeAll(async () => {
  server = await startServer({ accounts });
  visitor = new ApiSession(server);
});
afterAll(async () => {
  await server.close();
  await accounts.close();
});

describe("IIIF Presentation 3 export", () => {
  it("uses a validator that accepts the cookbook manifests and rejects the broken fixture", () => {
    const cookbook = readdirSync(join(IIIF, "presentation-3/cookbook"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json"));
    expect(cookbook.length).toBeGreaterThan(4);
    for (const f of cookbook) {
      const doc = JSON.parse(readFileSync(join(IIIF, "presentation-3/cookbook", f), "utf8"));
      if (doc.type === "Manifest") expect(errorsOf(doc), f).toEqual([]);
    }
    expect(errorsOf(JSON.parse(readFileSync(join(IIIF, "presentation-3/validator-fixtures/broken_simple_image.json"), "utf8"))).length).toBeGreaterThan(0);
  });

  it("exports each sample exhibition as a valid manifest with 3D models, rights and credit lines", async () => {
    for (const id of ["tea-and-its-vessels", "bone-and-clay"]) {
      const r = await fetch(`${server.url}/api/exhibitions/${id}/iiif`);
      expect(r.status).toBe(200);
      expect(r.headers.get("content-type")).toMatch(/^application\/ld\+json; ?profile="http:\/\/iiif.io\/api\/presentation\/3\/context.json"/);
      const manifest = await r.json();
      expect(errorsOf(manifest), id).toEqual([]);
      const doc = (await visitor.call("GET", `/api/exhibitions/${id}`)).body;
      expect(manifest.items).toHaveLength(Object.keys(doc.placements).length);
      for (const canvas of manifest.items) {
        const body = canvas.items[0].items[0].body;
        expect(body.type).toBe("Model");
        expect(body.format).toBe("model/gltf-binary");
        expect(body.id).toMatch(new RegExp(`^${server.url}/models/.+\\.glb$`));
        const item = doc.items[doc.placements[canvas.id.split("/canvas/")[1]].item];
        expect(canvas.label.en).toEqual([item.title.en]);
        // The four-part credit line, generated in both credit languages: institution, licence, link, location.
        const museum = doc.meta.museums.find((m: { id: string }) => m.id === item.institution);
        const [en, zh] = [canvas.requiredStatement.value.en[0], canvas.requiredStatement.value["zh-Hant"][0]];
        expect(en).toContain(item.creditLine.en);
        expect(en).toContain(museum.name.en);
        expect(en).toMatch(/Licence: (CC0 1\.0|CC BY|Custom terms)/);
        if (item.sourceUrl) expect(en).toContain(item.sourceUrl);
        expect(zh).toContain(museum.name["zh-Hant"]);
        expect(zh).toMatch(/授權：/);
        if (museum.location) {
          expect(en).toContain(museum.location.en);
          expect(zh).toContain(museum.location["zh-Hant"]);
        }
        // Custom terms have no rights URI: they are named in the required statement instead.
        if (item.licences.object === "custom") expect(canvas.rights).toBeUndefined();
        else expect(canvas.rights).toBe(item.licences.object === "CC0-1.0" ? "http://creativecommons.org/publicdomain/zero/1.0/" : expect.any(String));
      }
    }
    const tea = await (await fetch(`${server.url}/api/exhibitions/tea-and-its-vessels/iiif`)).json();
    expect(tea.label["zh-Hant"]).toEqual(["茶與器"]);
  });

  it("does not export a private exhibition to strangers", async () => {
    const owner = await ApiSession.signUpOn(server, "owner@open.test", "Owner");
    expect((await owner.call("POST", "/api/exhibitions", { id: "private-show", title: { en: "Private" } })).status).toBe(201);
    expect((await fetch(`${server.url}/api/exhibitions/private-show/iiif`)).status).toBe(404);
    expect((await owner.call("GET", "/api/exhibitions/private-show/iiif")).status).toBe(200);
  });
});

describe("JSON export and import", () => {
  it("round-trips an exhibition exactly", async () => {
    const curator = await ApiSession.signUpOn(server, "curator@open.test", "Curator");
    const exported = await fetch(`${server.url}/api/exhibitions/bone-and-clay/export`);
    expect(exported.headers.get("content-disposition")).toBe('attachment; filename="bone-and-clay.json"');
    const original = await exported.json();
    const r = await curator.call("POST", "/api/exhibitions/import", { document: original, id: "bone-and-clay-copy" });
    expect(r.status).toBe(201);
    const again = (await curator.call("GET", "/api/exhibitions/bone-and-clay-copy/export")).body;
    const me = (await curator.call("GET", "/api/me")).body.user.id;
    expect(again).toEqual({ ...original, id: "bone-and-clay-copy", meta: { ...original.meta, owner: { kind: "person", id: me }, published: false } });
    // Importing the copy's export elsewhere gives the same document again.
    const third = await curator.call("POST", "/api/exhibitions/import", { document: again, id: "bone-and-clay-3" });
    expect(third.status).toBe(201);
    expect((await curator.call("GET", "/api/exhibitions/bone-and-clay-3/export")).body).toEqual({ ...again, id: "bone-and-clay-3" });
  });

  it("refuses a broken document naming the fields, and an id in use", async () => {
    const curator = await ApiSession.signUpOn(server, "second@open.test", "Second");
    const broken = { ...JSON.parse(readFileSync(join(ROOT, "exhibitions/tea-and-its-vessels.json"), "utf8")), id: "broken-import" };
    broken.rooms.bowls.size.w = "wide";
    const r = await curator.call("POST", "/api/exhibitions/import", { document: broken });
    expect(r.status).toBe(400);
    expect(r.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ field: "rooms.bowls.size.w" })]));
    const taken = await curator.call("POST", "/api/exhibitions/import", { document: { ...broken, rooms: JSON.parse(readFileSync(join(ROOT, "exhibitions/tea-and-its-vessels.json"), "utf8")).rooms }, id: "tea-and-its-vessels" });
    expect(taken.status).toBe(409);
  });
});

describe("the documented API", () => {
  it("describes the catalogue, asset and export endpoints with schemas that real answers satisfy", async () => {
    const api = await documentedAnswers(server);
    for (const path of ["/api/catalogue", "/api/catalogue/{id}", "/api/catalogue/imports", "/api/catalogue/imports/preview", "/api/catalogue/iiif", "/api/assets", "/api/assets/jobs/{id}", "/api/exhibitions/{id}/export", "/api/exhibitions/{id}/iiif"])
      expect(api.doc.paths[path], path).toBeDefined();
    const check = api.check;
    const search = (await visitor.call("GET", "/api/catalogue?q=bowl&limit=5")).body;
    expect(search.entries.length).toBeGreaterThan(0);
    check("/api/catalogue", "get", "200", search);
    check("/api/catalogue/{id}", "get", "200", (await visitor.call("GET", `/api/catalogue/${search.entries[0].id}`)).body);
    check("/api/exhibitions/{id}/export", "get", "200", (await visitor.call("GET", "/api/exhibitions/tea-and-its-vessels/export")).body);
    // A schema that cannot fail would prove nothing: a broken answer is caught.
    expect(api.accepts("/api/catalogue", "get", "200", { ...search, total: "many" })).toBe(false);
  });
});
