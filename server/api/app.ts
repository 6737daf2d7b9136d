import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import fastifyHelmet from "@fastify/helmet";
import fastifyStatic from "@fastify/static";
import fastifySwagger from "@fastify/swagger";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { DomainError, STATUS_OF } from "../http/errors";
import { stateChangeRefusal } from "../security/request-guard";
import { helmetOptions } from "../http/security-headers";
import { ModelVersionTable, modelVersionsMeta } from "../http/model-versions";
import { PreloadCache, visitedExhibition } from "../http/visit-preloads";
import { exhibitionPreview, explorePreview, withPreview } from "../explore/open-graph";
import { accountsPlugin } from "./plugins/accounts";
import { assetsPlugin } from "./plugins/assets";
import { cataloguePlugin } from "./plugins/catalogue";
import { classesPlugin } from "./plugins/classes";
import { classGroupsPlugin } from "./plugins/class-groups";
import { exhibitionsPlugin } from "./plugins/exhibitions";
import { explorePlugin } from "./plugins/explore";
import { foldersPlugin } from "./plugins/folders";
import { linksPlugin } from "./plugins/links";
import { metaPlugin } from "./plugins/meta";
import { museumsPlugin } from "./plugins/museums";
import { openFormatsPlugin } from "./plugins/open-formats";
import { statsPlugin } from "./plugins/stats";
import { tactilePlugin } from "./plugins/tactile";
import { lessonPlansPlugin } from "./plugins/lesson-plans";
import { VisitStats } from "../explore/visit-stats";
import { Surveys } from "../explore/surveys";
import { surveyPlugin } from "./plugins/survey";
import { versionsPlugin } from "./plugins/versions";
import { guards, resolveUser, SESSION_COOKIE, type ApiContext } from "./context";
import { uploadsPlugin, type UploadsServing } from "./plugins/uploads";
import { errorAnswer } from "../../src/shared/api/schemas";
import { MODEL_VERSIONS_ELEMENT } from "../../src/shared/model-versions";
import { requestSavesData } from "../../src/shared/exhibition/tiers";

/** Where the app's files are, and what serves uploads. */
export interface HttpAppOptions {
  /** The built app (`vite build` output). */
  distDir: string;
  /** Artefact and mocap sources, served under `/models/`. */
  modelsDir: string;
  /** Served over HTTPS (HSTS is sent only then). */
  https: boolean;
  /** `/uploads/` (content-addressed files, each readable by who may see it). */
  uploads: UploadsServing;
}

/** The HTTP app and the API routes it registered (method and path), for the documentation test. */
export interface HttpApp {
  app: FastifyInstance;
  /** Every `/api/` route: method and path, in OpenAPI's `{param}` form. */
  routes: { method: string; path: string }[];
}

/** Files never served from a static folder, whatever is in it. */
const HIDDEN = /(^|\/)\.|\.map$|\.part$/;

/**
 * The HTTP side of Atrium on Fastify (docs/ARCHITECTURE.md, "HTTP"): one plugin per resource,
 * each route declaring its zod schemas once, for validation, types and the OpenAPI document
 * (`@fastify/swagger` through fastify-type-provider-zod); security headers (helmet); the origin
 * and form-body guard before any body is read; one error hook that maps domain codes to HTTP
 * statuses; the built app, the models and the uploads as files.
 *
 * Answers are serialised as they are (JSON.stringify): the response schemas document them, and
 * the tests check real answers against those schemas, but a slightly different document (a
 * show with a dangling reference after a concurrent edit) is never turned into a 500.
 */
export async function buildHttpApp(ctx: ApiContext, options: HttpAppOptions): Promise<HttpApp> {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, forceCloseConnections: true, routerOptions: { maxParamLength: 200 } }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  const routes: HttpApp["routes"] = [];
  const routeMethods: { pattern: RegExp; method: string }[] = [];
  app.addHook("onRoute", (r) => {
    if (!r.url.startsWith("/api/")) return;
    // Every API operation documents its error answer (4XX, and 429 with Retry-After).
    r.schema = { ...r.schema, response: { ...(r.schema?.response as object | undefined), "4XX": errorAnswer, 429: errorAnswer.describe("Too many requests: wait as long as the Retry-After header says") } };
    for (const method of [r.method].flat()) {
      if (method === "HEAD") continue;
      routes.push({ method, path: r.url.replace(/:([A-Za-z]+)/g, "{$1}") });
      routeMethods.push({ method, pattern: new RegExp(`^${r.url.replace(/:[A-Za-z]+/g, "[^/]+").replace(/\./g, "\\.")}$`) });
    }
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Atrium API",
        version: "0.1.0",
        description:
          "Accounts, museums, exhibitions, the catalogue and assets, classes, and open-data export. Documents themselves sync over the y-websocket protocol at /sync/{id}. Requests that change state (POST, PATCH, DELETE) must come from an allowed Origin (the site itself, ATRIUM_PUBLIC_URL, ATRIUM_ALLOWED_ORIGINS) or carry none, and JSON routes take application/json only.",
      },
      components: { securitySchemes: { session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifyHelmet, helmetOptions({ https: options.https }));

  // Before any body is read: requests from other sites, and form bodies, never reach a route.
  app.addHook("onRequest", async (request) => {
    if (!request.url.startsWith("/api/")) return;
    const refused = stateChangeRefusal(request.raw, ctx.origins, request.routeOptions.config?.rawBody === true);
    if (refused) {
      ctx.log(`[api] refused ${request.method} ${request.url.split("?")[0]}: ${refused.message}`);
      throw new DomainError(refused.status === 415 ? "unsupported-type" : "forbidden", refused.message);
    }
  });
  // Who is signed in, once the request passed its schema (a refused one costs no lookup).
  app.addHook("preHandler", async (request) => {
    if (request.url.startsWith("/api/")) await resolveUser(ctx.accounts, request);
  });
  app.addHook("onSend", async (request, reply) => {
    if (request.url.startsWith("/api/") && !reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
  });

  // The one place where errors become HTTP answers.
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issue = error.validation[0]!;
      const field = issue.instancePath.replace(/^\//, "").replaceAll("/", ".");
      const where = error.validationContext === "body" ? "" : `${error.validationContext} `;
      return reply.code(400).send(field ? { error: `${where}${field}: ${issue.message}`, field } : { error: `${where}${issue.message}` });
    }
    if (error instanceof DomainError) {
      if (error.details.retryAfterSeconds) reply.header("retry-after", String(error.details.retryAfterSeconds));
      return reply.code(STATUS_OF[error.code]).send(error.body());
    }
    switch (error.code) {
      case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
        return reply.code(415).send({ error: "the body must be JSON (content-type: application/json)" });
      case "FST_ERR_CTP_BODY_TOO_LARGE":
        return reply.code(413).send({ error: `the body is larger than ${request.routeOptions.bodyLimit ?? 64 * 1024} bytes` });
      case "FST_ERR_CTP_EMPTY_JSON_BODY":
        return reply.code(400).send({ error: "the body is empty: send a JSON object" });
      case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
        return reply.code(400).send({ error: "the body is not as long as its Content-Length says" });
      case "FST_ERR_CTP_INVALID_JSON_BODY":
        return reply.code(400).send({ error: `the body is not valid JSON: ${error.message}` });
    }
    if (error instanceof SyntaxError) return reply.code(400).send({ error: `the body is not valid JSON: ${error.message}` });
    if (error.statusCode && error.statusCode < 500) return reply.code(error.statusCode).send({ error: error.message });
    ctx.log(`[atrium] ${request.method} ${request.url.split("?")[0]} failed: ${error.stack ?? error}`);
    return reply.code(500).send({ error: "internal error" });
  });

  const g = guards(ctx);
  for (const plugin of [metaPlugin, accountsPlugin, museumsPlugin, exhibitionsPlugin, versionsPlugin, cataloguePlugin, assetsPlugin, classesPlugin, classGroupsPlugin, lessonPlansPlugin, openFormatsPlugin]) await app.register(plugin, { ctx, g });
  // Visit statistics are written by visit pages, read by owners, and order the gallery's "most visited".
  const stats = new VisitStats(ctx.accounts.db, ctx.now);
  await app.register(statsPlugin, { ctx, g, stats });
  await app.register(surveyPlugin, { ctx, g, stats, surveys: new Surveys(ctx.accounts.db, ctx.now) });
  await app.register(explorePlugin, { ctx, g, stats });
  await app.register(foldersPlugin, { ctx, g });
  await app.register(tactilePlugin, { ctx, g, modelsDir: options.modelsDir });
  await app.register(uploadsPlugin, options.uploads);
  // Its "no such link" answer is the app's page (with a 404), which says so in the visitor's language.
  await app.register(linksPlugin, { ctx, g, notFoundPage: () => (hasDist ? appPage("") : Promise.resolve("<!doctype html><title>Atrium</title><p>No such link.</p>")) });

  // Files: the built app (its hashed assets immutable; index.html and the vendored decoders
  // revalidated by ETag) and the sample models (open data: other sites' IIIF viewers load them).
  const hasDist = existsSync(join(options.distDir, "index.html"));
  if (!hasDist) ctx.log(`[atrium] no built app in ${options.distDir}: run "npm run build" (npm start does it for you)`);
  else
    await app.register(fastifyStatic, {
      root: options.distDir,
      prefix: "/",
      index: false,
      preCompressed: true,
      cacheControl: false,
      allowedPath: (path) => !HIDDEN.test(path),
      setHeaders: (reply, path) => {
        reply.header("cache-control", path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
        // The embed script is loaded by other sites' pages (a no-cors script request).
        if (/\/embed\.js(\.br|\.gz)?$/.test(path)) reply.header("cross-origin-resource-policy", "cross-origin");
      },
      schemaHide: true,
    });
  // A model asked for by its current content hash (`?v=`, src/shared/model-versions.ts) never
  // changes: it may be kept for a year. One asked for by an old hash is the new file: revalidate.
  const modelVersions = new ModelVersionTable(options.modelsDir);
  app.addHook("onSend", async (request, reply, payload) => {
    if (!request.url.startsWith("/models/") || reply.statusCode >= 400) return payload;
    const q = request.url.indexOf("?");
    if (q < 0) return payload;
    const v = new URLSearchParams(request.url.slice(q + 1)).get("v");
    if (v === null) return payload;
    let path: string;
    try {
      path = decodeURIComponent(request.url.slice(0, q));
    } catch {
      return payload; // not a path any file has
    }
    const current = await modelVersions.isCurrent(path, v);
    reply.header("cache-control", current ? "public, max-age=31536000, immutable" : "no-cache");
    return payload;
  });
  await app.register(fastifyStatic, {
    root: options.modelsDir,
    prefix: "/models/",
    decorateReply: false,
    index: false,
    // Brotli copies written by the build where they pay (scripts/compress-dist.ts).
    preCompressed: true,
    cacheControl: false,
    allowedPath: (path) => !HIDDEN.test(path),
    setHeaders: (reply) => void reply.header("cache-control", "public, max-age=3600").header("cross-origin-resource-policy", "cross-origin"),
    schemaHide: true,
  });

  // Only exhibitions any anonymous visitor may see are named in a page.
  const preloads = new PreloadCache(async (id) => ((await ctx.accounts.roleOf(id, null)) ? await ctx.documents.read(id) : null));
  // Unpublished (or published) just now: no page names it (or every page does) from the next request on.
  ctx.accessChanges.on((change) => {
    if (change.kind === "exhibition") preloads.forget(change.id);
  });
  // Every page of the app gets the models' content versions, so what it downloads is cacheable for good.
  const appPage = async (links: string) => {
    const [html, versions] = await Promise.all([readFile(join(options.distDir, "index.html"), "utf8"), modelVersions.versions()]);
    return html.replace("</head>", `${modelVersionsMeta(MODEL_VERSIONS_ELEMENT, versions)}${links}</head>`);
  };
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split("?")[0]!;
    if (path.startsWith("/api/")) {
      const allowed = routeMethods.filter((r) => r.pattern.test(path)).map((r) => r.method);
      if (allowed.length > 0) return reply.code(405).header("allow", allowed.join(", ")).send({ error: `${request.method} is not allowed on ${path}` });
      return reply.code(404).send({ error: `no API route ${path}` });
    }
    // The single-page app: any other path without an extension is a page of it.
    const page = (request.method === "GET" || request.method === "HEAD") && !/\.[A-Za-z0-9]+$/.test(path) && !path.startsWith("/models/") && !path.startsWith("/uploads/");
    const visited = page && hasDist ? visitedExhibition(path) : null;
    if (visited) {
      // The visit page names what its first room needs, so the browser fetches it early; a
      // public show also says what it is (title, description, picture) to link previews.
      const saveData = requestSavesData(request.headers.cookie, request.headers["save-data"] as string | undefined);
      const search = request.url.slice(path.length);
      const [links, doc] = await Promise.all([preloads.links(visited, search, await modelVersions.versions(), saveData), preloads.doc(visited)]);
      const html = await appPage(links);
      const lang = new URLSearchParams(search).get("lang");
      return reply
        .header("cache-control", "no-cache")
        .header("vary", "Save-Data, Cookie")
        .type("text/html; charset=utf-8")
        .send(doc ? withPreview(html, exhibitionPreview(doc, ctx.origins.publicOrigin(request.raw), lang)) : html);
    }
    const embedded = page && hasDist ? /^\/embed\/([^/]+)\/?$/.exec(path) : null;
    if (embedded) {
      // A show any anonymous visitor may see may be framed by any site (the embeddable viewer);
      // anything else keeps the site-wide refusal to be framed, and says nothing of the show.
      let id = "";
      try {
        id = decodeURIComponent(embedded[1]!);
      } catch {
        // not an id any show has
      }
      const doc = id ? await preloads.doc(id) : null;
      if (!doc) return reply.code(404).header("cache-control", "no-cache").type("text/html; charset=utf-8").send(await appPage(""));
      const csp = String(reply.getHeader("content-security-policy") ?? "");
      reply.header("content-security-policy", csp.replace("frame-ancestors 'none'", "frame-ancestors *"));
      reply.removeHeader("x-frame-options");
      const lang = new URLSearchParams(request.url.slice(path.length)).get("lang");
      return reply.header("cache-control", "no-cache").type("text/html; charset=utf-8").send(withPreview(await appPage(""), exhibitionPreview(doc, ctx.origins.publicOrigin(request.raw), lang)));
    }
    if (page && hasDist && path.replace(/\/$/, "") === "/explore") return reply.header("cache-control", "no-cache").type("text/html; charset=utf-8").send(withPreview(await appPage(""), explorePreview(ctx.origins.publicOrigin(request.raw))));
    if (page && hasDist) return reply.header("cache-control", "no-cache").type("text/html; charset=utf-8").send(await appPage(""));
    if (page && !hasDist) return reply.code(503).type("text/plain; charset=utf-8").send("Atrium has not been built yet: run `npm run build`, or use `npm start`, which builds first.\n");
    return reply.code(404).send({ error: `nothing at ${path}` });
  });

  return { app, routes };
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route takes a raw body of any type (uploads), not JSON. */
    rawBody?: boolean;
  }
}
