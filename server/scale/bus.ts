import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

/**
 * How the processes of one Atrium installation tell each other what happened (the scaled mode,
 * docs/ARCHITECTURE.md): document updates, presence and access changes, published on named
 * channels. Delivery is at most once and fast; what must not be lost is in PostgreSQL, and a
 * process that lost its connection catches up from there (`onReconnect`).
 */
export interface Bus {
  /** Sends `payload` to the other processes subscribed to `channel` (never back to this one). */
  publish(channel: string, payload: Uint8Array): void;
  /** Receives what other processes publish on `channel`; resolves once subscribed. Returns the unsubscribe. */
  subscribe(channel: string, handler: (payload: Uint8Array) => void): Promise<() => void>;
  /** Told after the connection was lost and came back (messages may have been missed meanwhile). */
  onReconnect(listener: () => void): () => void;
  close(): Promise<void>;
}

/** Bytes that name the sending process at the start of each message: its own messages come back from Redis. */
const ID_BYTES = 8;

/**
 * The bus over Redis pub/sub (ioredis): one connection publishes, one subscribes; channels are
 * subscribed while at least one room or listener uses them.
 */
export class RedisBus implements Bus {
  private readonly id = randomBytes(ID_BYTES);
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly handlers = new Map<string, Set<(payload: Uint8Array) => void>>();
  private readonly reconnectListeners = new Set<() => void>();
  private connectedOnce = false;

  constructor(
    url: string,
    private readonly prefix = "atrium:",
    log: (line: string) => void = (l) => console.error(l),
  ) {
    this.pub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
    this.sub = new Redis(url, { lazyConnect: false });
    for (const c of [this.pub, this.sub]) c.on("error", (e: Error) => log(`[bus] redis: ${e.message}`));
    this.sub.on("ready", () => {
      if (this.connectedOnce) for (const l of this.reconnectListeners) l();
      this.connectedOnce = true;
    });
    this.sub.on("messageBuffer", (channel: Buffer, message: Buffer) => {
      if (message.byteLength < ID_BYTES || message.subarray(0, ID_BYTES).equals(this.id)) return;
      const set = this.handlers.get(channel.toString());
      if (!set) return;
      const payload = new Uint8Array(message.buffer, message.byteOffset + ID_BYTES, message.byteLength - ID_BYTES);
      for (const h of set) h(payload);
    });
  }

  /** Resolves once both connections are up (start-up fails early when Redis is unreachable). */
  async ready(): Promise<void> {
    await Promise.all([this.pub.ping(), this.sub.ping()]);
  }

  publish(channel: string, payload: Uint8Array): void {
    const message = Buffer.allocUnsafe(ID_BYTES + payload.byteLength);
    this.id.copy(message, 0);
    message.set(payload, ID_BYTES);
    this.pub.publish(this.prefix + channel, message).catch(() => {});
  }

  async subscribe(channel: string, handler: (payload: Uint8Array) => void): Promise<() => void> {
    const name = this.prefix + channel;
    let set = this.handlers.get(name);
    if (!set) {
      set = new Set();
      this.handlers.set(name, set);
      await this.sub.subscribe(name);
    }
    set.add(handler);
    return () => {
      const s = this.handlers.get(name);
      if (!s) return;
      s.delete(handler);
      if (s.size === 0) {
        this.handlers.delete(name);
        this.sub.unsubscribe(name).catch(() => {});
      }
    };
  }

  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  async close(): Promise<void> {
    await Promise.all([this.pub.quit().catch(() => {}), this.sub.quit().catch(() => {})]);
  }
}
