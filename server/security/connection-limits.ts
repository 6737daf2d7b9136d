import { RateLimiterMemory } from "rate-limiter-flexible";

/** How many WebSockets one client may hold and open. */
export interface ConnectionLimitOptions {
  /** Open sockets (sync and class together) per address: a class of 60 behind one school router holds ~120. */
  perAddress: number;
  /** Open sockets per signed-in account (tabs and devices). */
  perAccount: number;
  /** New sockets per address per minute (reconnect storms of a whole class fit). */
  openingsPerMinute: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimitOptions = { perAddress: 300, perAccount: 30, openingsPerMinute: 600 };

/** An admitted socket: call `release` when it closes. */
export interface Admission {
  release(): void;
}

/**
 * Counts the open WebSockets of each address and account, shared by the sync server and the
 * class channel, and refuses a new one over the limits before any WebSocket exists (HTTP 429 at
 * the upgrade). Counting at the upgrade costs a map lookup; a refused client has spent a TCP
 * handshake.
 */
export class ConnectionLimits {
  readonly options: ConnectionLimitOptions;
  private readonly byAddress = new Map<string, number>();
  private readonly byAccount = new Map<string, number>();
  private readonly openings: RateLimiterMemory;

  constructor(options: Partial<ConnectionLimitOptions> = {}) {
    this.options = { ...DEFAULT_CONNECTION_LIMITS, ...options };
    this.openings = new RateLimiterMemory({ points: this.options.openingsPerMinute, duration: 60 });
  }

  /** Admits a socket, or says why not (the caller answers 429). */
  async admit(address: string, account: string | null): Promise<Admission | { refusal: string }> {
    if ((this.byAddress.get(address) ?? 0) >= this.options.perAddress) return { refusal: `too many connections from your network (${this.options.perAddress})` };
    if (account && (this.byAccount.get(account) ?? 0) >= this.options.perAccount) return { refusal: `too many connections for your account (${this.options.perAccount}): close some tabs` };
    try {
      await this.openings.consume(address);
    } catch {
      return { refusal: "too many new connections from your network: wait a minute" };
    }
    // Counted after the await: another admission may have run meanwhile, so check again.
    if ((this.byAddress.get(address) ?? 0) >= this.options.perAddress) return { refusal: `too many connections from your network (${this.options.perAddress})` };
    bump(this.byAddress, address, 1);
    if (account) bump(this.byAccount, account, 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        bump(this.byAddress, address, -1);
        if (account) bump(this.byAccount, account, -1);
      },
    };
  }

  /** Open sockets of an address (for tests and the health answer). */
  openFrom(address: string): number {
    return this.byAddress.get(address) ?? 0;
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const n = (map.get(key) ?? 0) + by;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}
