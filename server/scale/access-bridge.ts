import { z } from "zod";
import type { AccessChanges } from "../security/access-changes";
import type { Bus } from "./bus";

const change = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("user"), userId: z.string().max(200) }),
  z.object({ kind: z.literal("exhibition"), id: z.string().max(200) }),
  z.object({ kind: z.literal("class"), id: z.string().max(200) }),
]);

/**
 * Carries access changes between processes: a sign-out, a removed curator or an unpublished show
 * on one process makes the sockets concerned on every process re-check (within the bus's delay).
 * Returns the function that stops it.
 */
export async function bridgeAccessChanges(changes: AccessChanges, bus: Bus): Promise<() => void> {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  changes.relay = (c) => bus.publish("access", encoder.encode(JSON.stringify(c)));
  const off = await bus.subscribe("access", (payload) => {
    try {
      const parsed = change.safeParse(JSON.parse(decoder.decode(payload)));
      if (parsed.success) changes.receive(parsed.data);
    } catch {
      // Not JSON: not ours; ignored.
    }
  });
  return () => {
    changes.relay = null;
    off();
  };
}
