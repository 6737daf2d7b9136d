/**
 * Something that may change who may read or write what, as soon as it happens: the open
 * WebSockets it concerns re-check their access (docs/ARCHITECTURE.md, "Access rule"). Emitted
 * by sign-out, membership and role changes, publishing, and class sessions; the sync server and
 * the class channel listen. One process for now; the scaled mode carries the same events over
 * Redis.
 */
export type AccessChange =
  /** A user's sessions, memberships or museum roles changed (sign-out included). */
  | { kind: "user"; userId: string }
  /** An exhibition was published, unpublished, or its members changed. */
  | { kind: "exhibition"; id: string }
  /** A class's seats changed (a student removed, the class ended). */
  | { kind: "class"; id: string };

export type AccessListener = (change: AccessChange) => void;

/**
 * A small synchronous bus: listeners run before `emit` returns, so sockets close within the
 * request that caused it. In the scaled mode `relay` carries each change to the other processes,
 * which `receive` it (`server/scale/access-bridge.ts`).
 */
export class AccessChanges {
  private readonly listeners = new Set<AccessListener>();
  /** Told of every change emitted here (not of those received from elsewhere). */
  relay: AccessListener | null = null;

  on(listener: AccessListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(change: AccessChange): void {
    this.receive(change);
    this.relay?.(change);
  }

  /** A change that happened in another process: this process's sockets re-check too. */
  receive(change: AccessChange): void {
    for (const l of this.listeners) l(change);
  }
}
