import { join } from "node:path";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { receiveToFile, TooLargeError, type Received } from "../../assets/receive";
import type { UploadAnalysis } from "../../assets/upload-analysis";
import { DomainError, fieldError } from "../../http/errors";
import { LICENCE_IDS, languageTag, type LicenceId } from "../../../src/shared/exhibition";
import type { ApiContext, Guards } from "../context";
import { errorAnswer, jobAnswer, uploadAnswer } from "../../../src/shared/api/schemas";

/** Largest upload accepted, in bytes. */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

const uploadQuery = z.object({
  // Checked by the handler (a missing title is named after the sign-in check): documented here.
  title: z.string().optional().describe("What to call it in the catalogue (required)"),
  lang: z.string().optional().describe("Language of the title (BCP 47), default en"),
  licence: z.string().optional().describe(`One of ${LICENCE_IDS.join(", ")}; default All-Rights-Reserved`),
  museum: z.string().optional().describe("A museum the uploader belongs to; omit for their own collection"),
  purpose: z.enum(["catalogue", "room-panorama"]).optional().describe("catalogue (default): an item of the uploader's collection; room-panorama: a room's 360° picture (images only, no catalogue entry)"),
});

/**
 * Assets: uploads (the raw body streamed to disk, then parsed in the sandbox process) and the
 * status of their processing jobs. The body is never parsed by the framework: every content-type
 * parser is removed in this plugin's scope, so a `.gltf` sent as application/json is not buffered.
 */
export const assetsPlugin: FastifyPluginAsyncZod<{ ctx: ApiContext; g: Guards }> = async (app, { ctx, g }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", (_request, _payload, done) => done(null));

  const upload = async (request: FastifyRequest, reply: FastifyReply) => {
    const u = g.requireUser(request);
    const uploads = ctx.uploads;
    if (!uploads) throw new DomainError("unavailable", "this server does not store uploads");
    const params = request.query as Record<string, string | undefined>;
    const title = (params.title ?? "").trim().slice(0, 200);
    if (!title) throw fieldError("invalid", "title", "give the upload a title");
    const lang = languageTag.safeParse(params.lang ?? "en");
    if (!lang.success) throw fieldError("invalid", "lang", "must be a language tag such as zh-Hant or en");
    const licence = (params.licence ?? "All-Rights-Reserved") as LicenceId;
    if (!LICENCE_IDS.includes(licence)) throw fieldError("invalid", "licence", `must be one of ${LICENCE_IDS.join(", ")}`);
    const purpose = params.purpose ?? "catalogue";
    if (purpose !== "catalogue" && purpose !== "room-panorama") throw fieldError("invalid", "purpose", "must be catalogue or room-panorama");
    const museum = await g.actingMuseum(u, params.museum);
    const tooLarge = `the file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`;
    if (Number(request.headers["content-length"] ?? 0) > MAX_UPLOAD_BYTES) throw new DomainError("too-large", tooLarge);
    await ctx.throttles.upload(u.id);
    let file: Received;
    try {
      file = await receiveToFile(request.raw, join(uploads.dir, "incoming"), MAX_UPLOAD_BYTES);
    } catch (e) {
      if (e instanceof TooLargeError) throw new DomainError("too-large", tooLarge);
      throw e;
    }
    try {
      // The file is parsed in the sandbox process: a hostile zip or model costs that process, not this one.
      const analyse = (path: string, t: string, declaredType: string) => ctx.sandbox.run<UploadAnalysis>({ kind: "analyse-upload", path, title: t, declaredType });
      const result = await uploads.accept({ file, title, lang: lang.data, licence, user: { id: u.id, name: u.name }, museum, declaredType: request.headers["content-type"] ?? "", purpose }, analyse);
      if (result.entry) {
        ctx.onEntrySaved?.(result.entry);
        (await ctx.catalogue).add([result.entry]);
      }
      const { entry, glb, ...answer } = result;
      if (entry && glb) {
        // Quality tiers and the poster are made off the request path, in the sandbox; the original is usable meanwhile.
        await ctx.jobs.enqueue(entry.id, { kind: "tiers", entry, glb });
        return reply.code(201).send({ ...answer, entry, job: `/api/assets/jobs/${entry.id}` });
      }
      return reply.code(201).send({ ...answer, ...(entry ? { entry } : {}) });
    } finally {
      file.discard(); // a no-op once the file has been moved to its content address
    }
  };

  const summary =
    "Upload an asset as the raw body: a GLB, a zip of a glTF with its .bin and textures, a BVH or FBX motion recording (converted to a GLB performance; FBX: skeleton and animation stacks, meshes ignored), a PNG/JPEG/WebP image, or an MP3/OGG/WAV sound (type read from the bytes; streamed to disk; 64 MB; 60 an hour). Every file is parsed in a separate process with memory and time limits. Models are validated by Khronos' glTF validator and get quality tiers and a poster from a background job.";
  const uploadSchema = { summary, tags: ["assets"], querystring: uploadQuery, consumes: ["application/octet-stream"], response: { 201: uploadAnswer, 422: errorAnswer } };
  const raw = { config: { rawBody: true } };
  app.post("/api/assets", { ...raw, schema: uploadSchema }, upload);
  app.post("/api/uploads", { ...raw, schema: { ...uploadSchema, summary: "Former name of /api/assets", deprecated: true } }, upload);

  const jobParams = z.object({ id: z.string() });
  const job = async (request: FastifyRequest) => {
    g.requireUser(request);
    const { id } = request.params as { id: string };
    const status = await ctx.jobs.status(id);
    if (!status) throw new DomainError("not-found", `no processing job "${id}"`);
    // A finished job's result is what the tiers task above returned.
    return status as z.infer<typeof jobAnswer>;
  };
  app.get("/api/assets/jobs/:id", { schema: { summary: "Where an asset's processing job stands (quality tiers, poster)", tags: ["assets"], params: jobParams, response: { 200: jobAnswer } } }, job);
  app.get("/api/uploads/jobs/:id", { schema: { summary: "Former name of /api/assets/jobs/{id}", deprecated: true, tags: ["assets"], params: jobParams, response: { 200: jobAnswer } } }, job);
};
