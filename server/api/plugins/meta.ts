import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { ApiContext, Guards } from "../context";

/** The server itself: liveness, and the API's own description (generated from the routes' schemas). */
export const metaPlugin: FastifyPluginAsyncZod<{ ctx: ApiContext; g: Guards }> = async (app, { ctx }) => {
  app.get("/api/health", { schema: { summary: "Liveness", tags: ["server"] } }, async () => ({ status: "ok", exhibitions: ctx.library.loaded.size, broken: ctx.library.broken.size }));
  app.get("/api/openapi.json", { schema: { summary: "This description (OpenAPI 3.1), generated from the same zod schemas that validate every request", tags: ["server"] } }, async () => app.swagger());
};
