import type { AddressInfo } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createAtriumServer, type AtriumServer, type AtriumServerOptions } from "../../server/http-app";
import { SCALED, testAccounts, testStorage } from "./storage-mode";
import { SqlEntryRows } from "../../server/catalogue/entry-rows";

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, "../..");

/**
 * Starts the real Atrium server in-process on a free loopback port: storage in memory, or in
 * PostgreSQL with the Redis bus when the tests run in the scaled mode (`storage-mode.ts`), unless
 * the test gives its own.
 */
export async function startServer({ listen, ...options }: Partial<AtriumServerOptions> & { listen?: { port: number } } = {}) {
  const storage = options.persistence ? null : await testStorage("server");
  const ownAccounts = options.accounts ? null : testAccounts("server");
  const app: AtriumServer = await createAtriumServer({
    distDir: resolve(ROOT, "dist"),
    modelsDir: resolve(ROOT, "models"),
    exhibitionsDir: resolve(ROOT, "exhibitions"),
    catalogueDir: resolve(ROOT, "catalogue"),
    uploadsDir: mkdtempSync(join(tmpdir(), "atrium-uploads-")),
    log: () => {},
    ...options,
    persistence: options.persistence ?? storage!.persistence,
    bus: options.bus ?? storage?.bus,
    classStore: options.classStore ?? storage?.classStore,
    jobs: options.jobs ?? storage?.jobs,
    // Scaled: catalogue entries in PostgreSQL, beside the accounts.
    entryRows: options.entryRows ?? (SCALED ? new SqlEntryRows((options.accounts ?? ownAccounts!).db) : undefined),
    accounts: options.accounts ?? ownAccounts!,
  });
  await new Promise<void>((ok) => app.server.listen(listen?.port ?? 0, "127.0.0.1", ok));
  const { port } = app.server.address() as AddressInfo;
  return {
    ...app,
    url: `http://127.0.0.1:${port}`,
    ws: `ws://127.0.0.1:${port}`,
    close: async () => {
      // WebSockets first (the HTTP server's close waits for them); rooms store their final snapshots.
      const synced = app.sync.close();
      app.classes.close();
      app.stop();
      app.server.closeAllConnections();
      await new Promise<void>((ok) => app.server.close(() => ok()));
      await synced;
      await storage?.close();
      await ownAccounts?.close();
    },
  };
}
