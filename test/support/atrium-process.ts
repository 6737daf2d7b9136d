/**
 * The real Atrium server in its own process, for the adversarial tests: floods and memory are
 * measured on a process of its own, as an attacker would meet it. Options come as JSON in
 * ATRIUM_TEST_SERVER (a subset of `AtriumServerOptions`, plus `bigShow`: a published exhibition of
 * about 1.5 MB, `big-show`). Prints `{"port": N}` once listening.
 *
 *   node --import tsx test/support/atrium-process.ts
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as Y from "yjs";
import { writeExhibition } from "../../src/shared/collab/exhibition-ydoc";
import { bigShow } from "./big-show";
import { AccountStore } from "../../server/accounts/account-store";
import { createAtriumServer, type AtriumServerOptions } from "../../server/http-app";
import { MemoryPersistence } from "../../server/sync/persistence";

const root = resolve(import.meta.dirname, "../..");
const extra = JSON.parse(process.env.ATRIUM_TEST_SERVER ?? "{}") as Partial<AtriumServerOptions> & { bigShow?: boolean };
const persistence = new MemoryPersistence();
const accounts = new AccountStore(":memory:");

if (extra.bigShow) {
  const doc = bigShow();
  const ydoc = new Y.Doc();
  writeExhibition(ydoc, doc);
  await persistence.compact("big-show", Y.encodeStateAsUpdate(ydoc));
  await accounts.registerExhibition({ id: "big-show", ownerKind: doc.meta.owner.kind, ownerId: doc.meta.owner.id, published: true, title: doc.meta.title });
}

const { bigShow: _big, ...options } = extra;
void _big;
const { server } = await createAtriumServer({
  distDir: join(root, "dist"),
  modelsDir: join(root, "models"),
  exhibitionsDir: join(root, "exhibitions"),
  catalogueDir: join(root, "catalogue"),
  uploadsDir: mkdtempSync(join(tmpdir(), "atrium-process-uploads-")),
  persistence,
  accounts,
  log: (l) => process.stderr.write(`${l}\n`),
  ...options,
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: (server.address() as { port: number }).port }) + "\n");
});
