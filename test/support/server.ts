import type { AddressInfo } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createAtriumServer, type AtriumServer, type AtriumServerOptions } from "../../server/http-app";
import { MemoryPersistence } from "../../server/sync/persistence";
import { AccountStore } from "../../server/accounts/account-store";

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, "../..");

/** Starts the real Atrium server in-process on a free loopback port. */
export async function startServer(options: Partial<AtriumServerOptions> = {}) {
  const app: AtriumServer = await createAtriumServer({
    distDir: resolve(ROOT, "dist"),
    modelsDir: resolve(ROOT, "models"),
    exhibitionsDir: resolve(ROOT, "exhibitions"),
    persistence: new MemoryPersistence(),
    catalogueDir: resolve(ROOT, "catalogue"),
    uploadsDir: mkdtempSync(join(tmpdir(), "atrium-uploads-")),
    log: () => {},
    ...options,
    accounts: options.accounts ?? new AccountStore(":memory:"),
  });
  await new Promise<void>((ok) => app.server.listen(0, "127.0.0.1", ok));
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
    },
  };
}
