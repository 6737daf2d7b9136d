import { mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, normalize, sep } from "node:path";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { allowsTactileCopy, creditParts, LICENCE_LABELS, pickText, type Exhibition, type Item } from "../../../src/shared/exhibition";
import { DomainError } from "../../http/errors";
import { PRINT_SIZE } from "../../print/tactile";
import type { ApiContext, Guards } from "../context";

const params = z.object({ id: z.string().max(64), placement: z.string().max(64) });
const stlQuery = z.object({
  size: z.coerce
    .number()
    .int()
    .min(PRINT_SIZE.min)
    .max(PRINT_SIZE.max)
    .default(PRINT_SIZE.default)
    .describe(`Printed size of the longest side in millimetres (${PRINT_SIZE.min}-${PRINT_SIZE.max}; rounded to ${PRINT_SIZE.step} mm)`),
});
const labelQuery = z.object({ lang: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/).max(35).default("en") });

/** A made copy, kept for later requests of the same model at the same size. */
interface Made {
  path: string;
  threeMfPath: string;
  triangles: number;
  size: [number, number, number];
  scale: number;
}

/** Copies kept (each a few MB on disk); the oldest is dropped first. */
const KEEP = 24;

/**
 * The item a tactile copy may be made of: a placed model whose object licence allows it
 * (`allowsTactileCopy`, the rule the close-up panel's button follows too).
 */
function printableItem(doc: Exhibition, placement: string): Item & { asset: { kind: "model" } } {
  const p = doc.placements[placement];
  const item = p ? doc.items[p.item] : undefined;
  if (!item) throw new DomainError("not-found", `no placement "${placement}" in this exhibition`);
  if (item.asset.kind !== "model") throw new DomainError("unprocessable", "only 3D models can be printed");
  if (!allowsTactileCopy(item.licences.object))
    throw new DomainError("forbidden", `the object licence (${LICENCE_LABELS[item.licences.object]}) does not allow copies to be made: ask the rights holder`);
  return item as Item & { asset: { kind: "model" } };
}

/**
 * Tactile copies for touch: a watertight binary STL or 3MF of an artefact at a chosen size with a
 * flat base, and its label as plain text, so a school or a museum can print touch aids. The mesh work
 * runs in the asset sandbox (its own process, memory and time limits, a bounded queue that answers
 * "busy" beyond it); each model and size is made once and kept, and sizes are rounded to 10 mm,
 * so asking again, or for 121 mm after 120 mm, costs a file read.
 */
export const tactilePlugin: FastifyPluginAsyncZod<{ ctx: ApiContext; g: Guards; modelsDir: string }> = async (app, { ctx, g, modelsDir }) => {
  const dir = mkdtempSync(join(tmpdir(), "atrium-tactile-"));
  const made = new Map<string, Made>();
  const making = new Map<string, Promise<Made>>();
  app.addHook("onClose", async () => rmSync(dir, { recursive: true, force: true }));

  /** The model file a URL of the document names, on this server's disk. */
  const modelFile = (url: string): string => {
    if (url.startsWith("/models/")) {
      const path = normalize(join(modelsDir, decodeURIComponent(url.slice("/models/".length))));
      if (path.startsWith(normalize(modelsDir) + sep)) return path;
    } else if (url.startsWith("/uploads/")) {
      const file = ctx.uploads?.file(url.slice("/uploads/".length));
      if (file) return file.path;
    }
    throw new DomainError("unprocessable", "this model is not stored on this server, so no copy can be made of it");
  };

  const copyOf = (url: string, unitsPerMeter: number, sizeMm: number, title: string): Promise<Made> => {
    const key = `${url}|${unitsPerMeter}|${sizeMm}|${title}`;
    const done = made.get(key);
    if (done) {
      made.delete(key); // most recently used last
      made.set(key, done);
      return Promise.resolve(done);
    }
    let pending = making.get(key);
    if (!pending) {
      pending = ctx.sandbox
        .run<{ stl: string; threeMf: string; triangles: number; size: [number, number, number]; scale: number; ms: number }>({ kind: "tactile", glb: modelFile(url), sizeMm, unitsPerMeter, title, outDir: dir })
        .then((r) => {
          const path = join(dir, `${made.size}-${Date.now()}.stl`);
          const threeMfPath = join(dir, `${made.size}-${Date.now()}.3mf`);
          renameSync(r.stl, path);
          renameSync(r.threeMf, threeMfPath);
          ctx.log(`[tactile] ${url} at ${sizeMm} mm: ${r.triangles} triangles in ${r.ms} ms`);
          const copy: Made = { path, threeMfPath, triangles: r.triangles, size: r.size, scale: r.scale };
          made.set(key, copy);
          for (const [k, old] of made) {
            if (made.size <= KEEP) break;
            made.delete(k);
            rmSync(old.path, { force: true });
            rmSync(old.threeMfPath, { force: true });
          }
          return copy;
        })
        .finally(() => making.delete(key));
      making.set(key, pending);
    }
    return pending;
  };

  // One copy, two files: STL (read by every slicer) and 3MF (indexed, with its unit and title).
  const formats = [
    { ext: "stl", type: "model/stl", name: "STL", file: (m: Made) => m.path },
    { ext: "3mf", type: "model/3mf", name: "3MF", file: (m: Made) => m.threeMfPath },
  ] as const;
  for (const format of formats)
    app.get(
      `/api/exhibitions/:id/placements/:placement/tactile.${format.ext}`,
      {
        schema: {
          summary: `A watertight ${format.name} of the artefact for 3D printing (millimetres, z up, flat base), when its object licence allows copies`,
          tags: ["open formats"],
          params,
          querystring: stlQuery,
        },
      },
      async (request, reply) => {
        const { id, placement } = request.params;
        await g.requireRole(id, g.userOf(request), "viewer");
        const doc = await g.requireDocument(id);
        const item = printableItem(doc, placement);
        const url = item.asset.tiers.high ?? item.asset.tiers.low!;
        const size = Math.round(request.query.size / PRINT_SIZE.step) * PRINT_SIZE.step;
        const title = pickText(item.title, doc.meta.languages[0] ?? "en", doc.meta.languages);
        const copy = await copyOf(url, item.asset.unitsPerMeter, size, title);
        return reply
          .header("content-type", format.type)
          .header("content-disposition", `attachment; filename="${placement}-${size}mm.${format.ext}"`)
          .header("x-atrium-print-size", copy.size.map((s) => s.toFixed(1)).join(" x "))
          .header("cache-control", "private, max-age=3600")
          .send(readFileSync(format.file(copy)));
      },
    );

  app.get(
    "/api/exhibitions/:id/placements/:placement/tactile.txt",
    { schema: { summary: "The artefact's label as plain text, to print beside a tactile copy", tags: ["open formats"], params, querystring: labelQuery } },
    async (request, reply) => {
      const { id, placement } = request.params;
      await g.requireRole(id, g.userOf(request), "viewer");
      const doc = await g.requireDocument(id);
      const item = printableItem(doc, placement);
      const lang = request.query.lang;
      const text = (m: Parameters<typeof pickText>[0]) => pickText(m, lang, doc.meta.languages);
      const museum = doc.meta.museums.find((m) => m.id === item.institution);
      const credit = creditParts(item, museum, lang);
      const d = item.dimensions;
      const size = d ? [d.height && `H ${d.height} cm`, d.width && `W ${d.width} cm`, d.depth && `D ${d.depth} cm`, d.diameter && `Ø ${d.diameter} cm`].filter(Boolean).join(" × ") : "";
      const lines = [
        text(item.title),
        "",
        ...[text(item.maker), text(item.date), text(item.culture), text(item.material), size].filter(Boolean),
        "",
        text(item.description),
        "",
        ...Object.values(doc.annotations)
          .filter((a) => a.item === doc.placements[placement]!.item)
          .map((a) => `- ${text(a.text)}`),
        "",
        [credit.institution, credit.credit, credit.licence, credit.link, credit.location].filter(Boolean).join(" · "),
        item.sourceUrl ?? "",
        `${text(doc.meta.title)} · Atrium`,
      ];
      return reply
        .header("content-type", "text/plain; charset=utf-8")
        .header("content-disposition", `attachment; filename="${placement}-label.txt"`)
        .send(`${lines.join("\n").replace(/\n{3,}/g, "\n\n").trim()}\n`);
    },
  );
};
