import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type WebSocket from "ws";
import * as Y from "yjs";
import { CLOSE } from "../../server/sync/messages";
import { closedWithin, deleteOnlyMessage, openSocket, WHOLE_STATE_REQUEST } from "../support/hostile";
import { pollLatency, startServerProcess, type ServerProcess } from "../support/server-process";
import { RawClient, waitFor } from "../support/sync-clients";

/**
 * Anonymous visitors against the collaboration endpoint of a real server process holding a
 * published 1.5 MB exhibition: what froze or filled the server before (issue 16, items 1 and 2),
 * with the server's health answer timed throughout.
 */
let server: ServerProcess;
let docClients: number[] = [];
let stateBefore = "";

beforeAll(async () => {
  server = await startServerProcess({ bigShow: true, connectionLimits: { perAddress: 40, openingsPerMinute: 100_000 } });
  const reader = new RawClient(`${server.ws}/sync/big-show`);
  await reader.opened;
  reader.hello();
  await waitFor(() => reader.synced, 20_000, "sync");
  expect(Y.encodeStateAsUpdate(reader.doc).byteLength).toBeGreaterThan(1_400_000);
  docClients = [...Y.decodeStateVector(Y.encodeStateVector(reader.doc)).keys()];
  reader.close();
  stateBefore = await (await fetch(`${server.url}/api/exhibitions/big-show`)).text();
}, 60_000);
afterAll(() => server?.stop());

describe("a flood of hostile sync messages from anonymous viewers", () => {
  it("keeps /api/health under a second while 8 attackers send delete-only updates as fast as they can, and stores nothing", async () => {
    const health = pollLatency(`${server.url}/api/health`, 25);
    let sent = 0;
    let closedByServer = 0;
    const until = Date.now() + 4000;
    const attacker = async (n: number) => {
      while (Date.now() < until) {
        let ws: WebSocket;
        try {
          ws = await openSocket(`${server.ws}/sync/big-show`);
        } catch {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        // Deletions of content nobody has (the message that copied the document before), of
        // everything the document holds, and of nothing at all: each is judged by its structure.
        for (let i = 0; i < 40 && ws.readyState === ws.OPEN; i++) {
          const kind = (n + i) % 3;
          const ranges: [number, number, number][] = kind === 0 ? [[1_000_000 + n * 1000 + i, 0, 1]] : kind === 1 ? docClients.map((c) => [c, 0, 1_000_000]) : [[docClients[0]!, 0, 0]];
          ws.send(deleteOnlyMessage(ranges));
          sent++;
        }
        const code = await closedWithin(ws, 500);
        if (code !== -1) closedByServer++;
        else ws.terminate();
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, n) => attacker(n)));
    const h = await health.stop();
    expect(sent).toBeGreaterThan(500);
    expect(closedByServer).toBeGreaterThan(10);
    expect(h.failures).toBe(0);
    expect(h.worstMs).toBeLessThan(1000);
    expect(await (await fetch(`${server.url}/api/exhibitions/big-show`)).text()).toBe(stateBefore);
  }, 30_000);

  it("keeps memory bounded when clients ask for the whole document again and again and never read", async () => {
    const before = server.rssMb();
    const sockets: WebSocket[] = [];
    for (let i = 0; i < 10; i++) {
      const ws = await openSocket(`${server.ws}/sync/big-show`);
      (ws as unknown as { _socket: { pause(): void } })._socket.pause(); // never reads a byte
      for (let k = 0; k < 40; k++) ws.send(WHOLE_STATE_REQUEST);
      sockets.push(ws);
    }
    await new Promise((r) => setTimeout(r, 3000));
    const grown = server.rssMb() - before;
    // Before: every request queued another 1.5 MB copy for a client that never read (10 x 40 = 600 MB).
    expect(grown).toBeLessThan(150);
    // Each is closed for asking too often (or dropped for not reading).
    for (const ws of sockets) (ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const codes = await Promise.all(sockets.map((ws) => closedWithin(ws, 10_000)));
    expect(codes.every((c) => c === CLOSE.RATE_LIMITED || c === 1006), `close codes ${codes}`).toBe(true);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  }, 40_000);

  it("refuses sockets over the per-address limit at the upgrade, with 429", async () => {
    const open: WebSocket[] = [];
    let refused = "";
    for (let i = 0; i < 45 && !refused; i++) {
      try {
        open.push(await openSocket(`${server.ws}/sync/big-show`));
      } catch (e) {
        refused = (e as Error).message;
      }
    }
    expect(refused).toBe("HTTP 429");
    expect(open.length).toBe(40);
    for (const ws of open) ws.terminate();
    // Released as they close: the address may connect again.
    await new Promise((r) => setTimeout(r, 300));
    const again = await openSocket(`${server.ws}/sync/big-show`);
    again.terminate();
  }, 30_000);
});
