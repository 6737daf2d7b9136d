import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";
import { DomainError } from "../http/errors";

/** How often people may try things that cost the server, or that guess secrets. */
export interface ThrottleOptions {
  /** Wrong passwords for one account before it is slowed down (then 2, 4, 8... s, at most 15 min). */
  loginFailuresBeforeBackoff: number;
  /** Wrong passwords from one address per hour (any accounts) before it must wait for the hour. */
  loginFailuresPerAddressPerHour: number;
  /** Accounts created from one address per hour. */
  signupsPerAddressPerHour: number;
  /** Wrong class codes from one address per minute (right ones are never counted: a class behind one router joins at once). */
  joinFailuresPerAddressPerMinute: number;
  /** Uploads per account per hour. */
  uploadsPerUserPerHour: number;
  /** Record and manifest imports per account per hour. */
  importsPerUserPerHour: number;
  /** Members added by e-mail per account per hour (each answer is neutral, but the count bounds probing). */
  memberAddsPerUserPerHour: number;
  /** Gallery searches from one address per minute (each is cheap; the limit keeps a flood cheaper still). */
  searchesPerAddressPerMinute: number;
  /** Visit reports from one address per minute (a visitor sends one a minute: this lets a school's classroom of 60 behind one router through). */
  visitReportsPerAddressPerMinute: number;
  /** Survey answers from one address per hour (one per visitor and show; a classroom shares an address). */
  surveyAnswersPerAddressPerHour: number;
  /**
   * Reads of a show's review material per account per minute: who wrote what, a named version's
   * document, the comment threads. Members only, but each read merges stored notes or parses a
   * whole document: a page opens review mode with two, a polling client needs a few a minute.
   */
  reviewReadsPerUserPerMinute: number;
}

export const DEFAULT_THROTTLES: ThrottleOptions = {
  loginFailuresBeforeBackoff: 5,
  loginFailuresPerAddressPerHour: 100,
  signupsPerAddressPerHour: 30,
  joinFailuresPerAddressPerMinute: 30,
  uploadsPerUserPerHour: 60,
  importsPerUserPerHour: 30,
  memberAddsPerUserPerHour: 60,
  searchesPerAddressPerMinute: 120,
  visitReportsPerAddressPerMinute: 150,
  surveyAnswersPerAddressPerHour: 120,
  reviewReadsPerUserPerMinute: 120,
};

/** Refused for now: come back after `retryAfterSeconds` (the API answers 429 with Retry-After). */
export class Throttled extends DomainError {
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super("throttled", message, { retryAfterSeconds });
  }
}

const MAX_BACKOFF_SECONDS = 15 * 60;

/**
 * Every throttle of the API in one place, on rate-limiter-flexible: in memory here; the scaled
 * mode gives the same limiters a Redis store, so the counts hold across processes.
 */
export class Throttles {
  readonly options: ThrottleOptions;
  private readonly loginFailures: RateLimiterAbstract;
  private readonly loginBlocks: RateLimiterAbstract;
  private readonly addressFailures: RateLimiterAbstract;
  private readonly signups: RateLimiterAbstract;
  private readonly joinFailures: RateLimiterAbstract;
  private readonly uploads: RateLimiterAbstract;
  private readonly imports: RateLimiterAbstract;
  private readonly memberAdds: RateLimiterAbstract;
  private readonly searches: RateLimiterAbstract;
  private readonly visitReports: RateLimiterAbstract;
  private readonly surveyAnswers: RateLimiterAbstract;
  private readonly reviewReads: RateLimiterAbstract;

  constructor(options: Partial<ThrottleOptions> = {}, make: (points: number, seconds: number, prefix: string) => RateLimiterAbstract = memory) {
    const o = (this.options = { ...DEFAULT_THROTTLES, ...options });
    this.loginFailures = make(1_000_000, 3600, "login-fail");
    this.loginBlocks = make(1, 1, "login-block");
    this.addressFailures = make(o.loginFailuresPerAddressPerHour, 3600, "login-addr");
    this.signups = make(o.signupsPerAddressPerHour, 3600, "signup");
    this.joinFailures = make(o.joinFailuresPerAddressPerMinute, 60, "join-fail");
    this.uploads = make(o.uploadsPerUserPerHour, 3600, "upload");
    this.imports = make(o.importsPerUserPerHour, 3600, "import");
    this.memberAdds = make(o.memberAddsPerUserPerHour, 3600, "member-add");
    this.searches = make(o.searchesPerAddressPerMinute, 60, "search");
    this.visitReports = make(o.visitReportsPerAddressPerMinute, 60, "visit-report");
    this.surveyAnswers = make(o.surveyAnswersPerAddressPerHour, 3600, "survey-answer");
    this.reviewReads = make(o.reviewReadsPerUserPerMinute, 60, "review-read");
  }

  /** Before checking a password: throws `Throttled` while the account or the address is backed off. */
  async beforeLogin(email: string, address: string): Promise<void> {
    const blocked = await this.loginBlocks.get(email);
    if (blocked && blocked.consumedPoints > 1) throw new Throttled(seconds(blocked.msBeforeNext), "too many wrong passwords for this account: wait, then try again");
    const fails = await this.addressFailures.get(address);
    if (fails && fails.consumedPoints >= this.options.loginFailuresPerAddressPerHour) throw new Throttled(seconds(fails.msBeforeNext), "too many wrong passwords from your network: wait, then try again");
  }

  /** A wrong password: counts for the account (back-off doubling after the first few) and the address. */
  async loginFailed(email: string, address: string): Promise<void> {
    const r = await this.loginFailures.penalty(email, 1);
    await this.addressFailures.penalty(address, 1);
    const over = r.consumedPoints - this.options.loginFailuresBeforeBackoff;
    if (over >= 0) await this.loginBlocks.block(email, Math.min(MAX_BACKOFF_SECONDS, 2 ** (over + 1)));
  }

  /** The right password: the account's count starts again. */
  async loginSucceeded(email: string): Promise<void> {
    await this.loginFailures.delete(email);
  }

  async signup(address: string): Promise<void> {
    await spend(this.signups, address, "too many new accounts from your network: try again later");
  }

  /** Before a join attempt: throws while the address has guessed wrong too often. */
  async beforeJoin(address: string): Promise<void> {
    const r = await this.joinFailures.get(address);
    if (r && r.consumedPoints >= this.options.joinFailuresPerAddressPerMinute) throw new Throttled(seconds(r.msBeforeNext), "Too many tries: wait a minute, then type the code again.");
  }

  async joinFailed(address: string): Promise<void> {
    await this.joinFailures.penalty(address, 1);
  }

  async upload(user: string): Promise<void> {
    await spend(this.uploads, user, `you have uploaded ${this.options.uploadsPerUserPerHour} files this hour: try again later`);
  }

  async import(user: string): Promise<void> {
    await spend(this.imports, user, `you have imported ${this.options.importsPerUserPerHour} times this hour: try again later`);
  }

  async search(address: string): Promise<void> {
    await spend(this.searches, address, "too many searches from your network: wait a minute");
  }

  async visitReport(address: string): Promise<void> {
    await spend(this.visitReports, address, "too many visit reports from your network: wait a minute");
  }

  async surveyAnswer(address: string): Promise<void> {
    await spend(this.surveyAnswers, address, "too many survey answers from your network: try again later");
  }

  /** A read of review material (attribution, a version's document, comment threads), counted before the work. */
  async reviewRead(user: string): Promise<void> {
    await spend(this.reviewReads, user, "too many reads of this show's review material: wait a minute");
  }

  async memberAdd(user: string): Promise<void> {
    await spend(this.memberAdds, user, "you have added many members this hour: try again later");
  }
}

/** Limiters whose counts live in Redis (the scaled mode): a limit holds across every process. */
export function redisLimiters(client: Redis, prefix: string): (points: number, seconds: number, name: string) => RateLimiterAbstract {
  return (points, duration, name) => new RateLimiterRedis({ storeClient: client, points, duration, keyPrefix: `${prefix}limit:${name}` });
}

function memory(points: number, duration: number, keyPrefix: string): RateLimiterAbstract {
  return new RateLimiterMemory({ points, duration, keyPrefix });
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

async function spend(limiter: RateLimiterAbstract, key: string, message: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (e) {
    if (e instanceof Error) throw e;
    throw new Throttled(seconds((e as { msBeforeNext: number }).msBeforeNext), message);
  }
}
