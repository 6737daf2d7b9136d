import { createReadStream } from "node:fs";
import type { FastifyPluginAsync } from "fastify";
import type { AccountStore } from "../../accounts/account-store";
import type { UploadAccess } from "../../catalogue/upload-access";
import type { UploadStore } from "../../catalogue/uploads";
import { cookies } from "../../http/http-util";
import { SEAT_COOKIE, SESSION_COOKIE } from "../context";

/** What serving `/uploads/` needs. */
export interface UploadsServing {
  accounts: AccountStore;
  /** The stored files; none when the server stores no uploads. */
  store: UploadStore | null;
  /** Who may read which file (set once the API exists; null: nobody but... nobody). */
  access: () => UploadAccess | null;
}

/**
 * `/uploads/<sha256>.<ext>`: content-addressed files, each readable by who may see it (see
 * `UploadAccess`): the same 404 whether the file is missing or not the caller's, so a hash tells
 * nobody anything. Only what a published show shows may sit in shared caches.
 */
export const uploadsPlugin: FastifyPluginAsync<UploadsServing> = async (app, { accounts, store, access }) => {
  app.get<{ Params: { name: string } }>("/uploads/:name", { schema: { hide: true } }, async (request, reply) => {
    const path = `/uploads/${request.params.name}`;
    const file = store?.file(request.params.name);
    const jar = cookies(request.raw);
    const rules = access();
    const verdict = file && rules ? await rules.check(path, await accounts.sessionUser(jar[SESSION_COOKIE]), jar[SEAT_COOKIE] ?? null) : null;
    if (!file || !verdict?.allowed) return reply.code(404).send({ error: `no upload at ${path}` });
    reply
      .header("content-type", file.type)
      .header("cache-control", verdict.public ? "public, max-age=31536000, immutable" : "private, max-age=3600")
      .header("cross-origin-resource-policy", verdict.public ? "cross-origin" : "same-origin");
    if (request.method === "HEAD") return reply.send();
    return reply.send(createReadStream(file.path));
  });
};
