import { createHash } from "node:crypto";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { User } from "../../accounts/account-store";
import { FACETS, type FacetName } from "../../catalogue/catalogue";
import { ImportError, importOptions, IMPORT_FIELDS, mapRecords, readRecords, suggestMapping } from "../../catalogue/record-import";
import { DomainError, fieldError } from "../../http/errors";
import { catalogueEntry, catalogueResult, iiifImages, pickText, type CatalogueEntry } from "../../../src/shared/exhibition";
import type { ApiContext, Guards } from "../context";
import { entryRightsBody, iiifImportAnswer, iiifImportBody, importAnswer, importPreviewAnswer } from "../../../src/shared/api/schemas";

const idParams = z.object({ id: z.string() });
/** Search parameters: free text, one value per facet, and paging. */
const searchQuery = z.object({
  q: z.string().optional(),
  ...Object.fromEntries(FACETS.map((f) => [f, z.string().optional()])),
  limit: z.string().optional(),
  offset: z.string().optional(),
});

/** The catalogue: search, one record, a registrar's rights, and imports of museum open data (JSON/CSV, IIIF). */
export const cataloguePlugin: FastifyPluginAsyncZod<{ ctx: ApiContext; g: Guards }> = async (app, { ctx, g }) => {
  const { accounts, throttles } = ctx;

  app.get("/api/catalogue", { schema: { summary: "Search the catalogue (museum open data, imports, sample shows, your uploads) with facet counts", tags: ["catalogue"], querystring: searchQuery, response: { 200: catalogueResult } } }, async (request) => {
    const params = request.query as Record<string, string | undefined>;
    const user = g.userOf(request);
    const filters: Partial<Record<FacetName, string>> = {};
    for (const f of FACETS) {
      const v = params[f];
      if (v) filters[f] = v;
    }
    const limit = Math.min(100, Math.max(1, Number(params.limit ?? 40) || 40));
    const offset = Math.max(0, Number(params.offset ?? 0) || 0);
    const catalogue = await ctx.catalogue;
    const museums = user ? (await accounts.museumsOf(user.id)).map((m) => m.id) : [];
    const found = catalogue.search({ q: params.q ?? "", filters, user: user?.id ?? null, museums, limit, offset });
    // Records a signed-in user may re-license: their uploads and their museums' imports.
    const editable = (e: CatalogueEntry) => !!user && !!ctx.uploads?.hasEntry(e.id) && (e.uploadedBy === user.id || user.isAdmin || museums.includes(e.museum.id));
    return { ...found, entries: found.entries.map((e) => (editable(e) ? { ...e, editable: true } : e)) };
  });

  app.get("/api/catalogue/:id", { schema: { summary: "One catalogue entry", tags: ["catalogue"], params: idParams, response: { 200: catalogueEntry } } }, async (request) => {
    const user = g.userOf(request);
    const entry = (await ctx.catalogue).get(request.params.id);
    const mine = !entry?.uploadedBy || entry.uploadedBy === user?.id || (user && await accounts.museumRole(entry.museum.id, user.id));
    if (!entry || !mine) throw new DomainError("not-found", `no catalogue entry "${request.params.id}"`);
    return entry;
  });

  // --- catalogue import (museum open data as JSON/CSV with a column mapping; IIIF image manifests)
  const readImport = async (options: z.infer<typeof importOptions>, u: User) => {
    const museum = await g.requireMuseum(u, options.museum);
    let table;
    try {
      table = readRecords(options.text, options.format);
    } catch (e) {
      if (e instanceof ImportError) throw fieldError("unprocessable", "text", e.message);
      throw e;
    }
    const mapping = options.mapping ?? suggestMapping(table.columns);
    for (const [field, col] of Object.entries(mapping)) if (!table.columns.includes(col)) throw fieldError("invalid", `mapping.${field}`, `the file has no column "${col}"`);
    const mapped = mapRecords(table, { ...options, mapping }, museum, await ctx.standIns());
    const warningsByField: Record<string, number> = {};
    for (const w of mapped.warnings) warningsByField[w.field] = (warningsByField[w.field] ?? 0) + 1;
    return { table, mapping, warningsByField, ...mapped };
  };
  const importLimit = { bodyLimit: 17 * 1024 * 1024 };

  app.post(
    "/api/catalogue/imports/preview",
    { ...importLimit, schema: { summary: "Read a JSON/CSV file of records and show the mapped result without storing it: columns, guessed mapping, the first records, every warning", tags: ["catalogue"], body: importOptions, response: { 200: importPreviewAnswer } } },
    async (request) => {
      const u = g.requireUser(request);
      const { table, mapping, entries, warnings, warningsByField } = await readImport(request.body, u);
      return { fields: [...IMPORT_FIELDS], columns: table.columns, mapping, records: entries.length, sample: entries.slice(0, 5), warnings: warnings.slice(0, 500), warningCount: warnings.length, warningsByField };
    },
  );

  app.post(
    "/api/catalogue/imports",
    { ...importLimit, schema: { summary: "Import records into a museum's catalogue (museum members; 30 imports an hour); no record is dropped, every gap is a warning", tags: ["catalogue"], body: importOptions, response: { 201: importAnswer } } },
    async (request, reply) => {
      const u = g.requireUser(request);
      const uploads = g.requireUploads();
      await throttles.import(u.id);
      const { entries, warnings, warningsByField } = await readImport(request.body, u);
      const saved = await g.saveEntries(uploads, entries);
      (await ctx.catalogue).add(saved);
      return reply.code(201).send({ imported: saved.length, ids: saved.map((e) => e.id), placeable: saved.filter((e) => e.placeable).length, warnings: warnings.slice(0, 2000), warningCount: warnings.length, warningsByField });
    },
  );

  app.post(
    "/api/catalogue/iiif",
    { bodyLimit: 4 * 1024 * 1024, schema: { summary: "Import a IIIF Presentation 3 image manifest as wall-hung image records", tags: ["catalogue"], body: iiifImportBody, response: { 201: iiifImportAnswer } } },
    async (request, reply) => {
      const u = g.requireUser(request);
      const uploads = g.requireUploads();
      await throttles.import(u.id);
      const body = request.body;
      const museum = await g.actingMuseum(u, body.museum);
      let read;
      try {
        read = iiifImages(body.manifest, body.licence);
      } catch (e) {
        throw fieldError("unprocessable", "manifest", (e as Error).message);
      }
      const toSave = read.records.map((r) => {
        const hash = createHash("sha256").update(`${museum.id}\n${r.key}`).digest("hex").slice(0, 16);
        const item = { ...r.item, institution: museum.id, creditLine: r.item.creditLine ?? { en: pickText(museum.name, "en") } };
        return {
          id: `iiif-${hash}`,
          museum,
          item,
          facets: { institution: museum.id, licence: item.licences.object, kind: "image" as const },
          placeable: true,
          ...(body.museum ? {} : { uploadedBy: u.id }),
        };
      });
      const saved = await g.saveEntries(uploads, toSave);
      (await ctx.catalogue).add(saved);
      return reply.code(201).send({ imported: saved.length, entries: saved, warnings: read.warnings });
    },
  );

  app.patch(
    "/api/catalogue/:id",
    { schema: { summary: "Change an imported or uploaded record's licences, rights holder or terms (its museum's members or its uploader)", tags: ["catalogue"], params: idParams, body: entryRightsBody, response: { 200: catalogueEntry } } },
    async (request) => {
      const u = g.requireUser(request);
      const uploads = g.requireUploads();
      const catalogue = await ctx.catalogue;
      const entry = catalogue.get(request.params.id);
      const mayEdit = entry && uploads.hasEntry(entry.id) && (entry.uploadedBy === u.id || u.isAdmin || (await accounts.museumRole(entry.museum.id, u.id)));
      if (!entry) throw new DomainError("not-found", `no catalogue entry "${request.params.id}"`);
      if (!mayEdit) throw new DomainError("forbidden", `only ${entry.museum.id}'s members (or its uploader) may change this record's rights`);
      const patch = request.body;
      const item = { ...entry.item, ...(patch.licences ? { licences: patch.licences } : {}), ...(patch.rightsHolder !== undefined ? { rightsHolder: patch.rightsHolder } : {}), ...(patch.rightsNote !== undefined ? { rightsNote: patch.rightsNote } : {}) };
      if (Object.values(item.licences).includes("custom") && !item.rightsNote) throw fieldError("invalid", "rightsNote", 'is required when a licence is "custom"');
      const next = await g.saveEntry(uploads, { ...entry, item, facets: { ...entry.facets, licence: item.licences.object } });
      catalogue.add([next]);
      return next;
    },
  );
};
