import { sql } from 'drizzle-orm';
import type { Database } from '@todo/db';
import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';

/** How often a store deletes the counters whose window has passed. */
export const PURGE_INTERVAL_MS = 60_000;

interface CounterRow extends Record<string, unknown> {
  hits: number;
  reset_ms: number;
}

/**
 * When counters were last purged, per database: every store on it (one per limiter) purges the
 * whole table, so one purge a minute per process is enough, whichever store's traffic runs it.
 */
const lastPurgeOf = new WeakMap<Database, number>();

const toInfo = (row: CounterRow): ClientRateLimitInfo => ({
  totalHits: row.hits,
  resetTime: new Date(row.reset_ms),
});

/**
 * express-rate-limit's counters in PostgreSQL (table `rate_limit_hits`), so every replica counts
 * against the same limit: one fixed window per key, kept on the database's clock so replicas agree.
 * A hit is one atomic upsert (one round trip, a row lock held only for that statement), which
 * starts a new window when the stored one has passed.
 *
 * Why not @acpr/rate-limit-postgresql: see the README (Rate limits).
 */
export class PostgresRateLimitStore implements Store {
  /** Counts are shared with every other instance on the same table. */
  readonly localKeys = false;
  private windowMs = 60_000;

  constructor(
    private readonly db: Database,
    /** Namespaces this limiter's keys, e.g. `write:`. */
    readonly prefix: string,
    private readonly onPurgeError: (error: unknown) => void = () => {},
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<IncrementResponse> {
    this.purgeNowAndThen();
    const rows = await this.db.execute<CounterRow>(sql`
      INSERT INTO rate_limit_hits AS h (key, hits, reset_at)
      VALUES (${this.prefix + key}, 1, now() + make_interval(secs => ${this.windowMs / 1000}::float8))
      ON CONFLICT (key) DO UPDATE SET
        hits = CASE WHEN h.reset_at <= now() THEN 1 ELSE h.hits + 1 END,
        reset_at = CASE WHEN h.reset_at <= now() THEN excluded.reset_at ELSE h.reset_at END
      RETURNING hits, (extract(epoch FROM reset_at) * 1000)::float8 AS reset_ms`);
    return toInfo(rows[0]!);
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const rows = await this.db.execute<CounterRow>(sql`
      SELECT hits, (extract(epoch FROM reset_at) * 1000)::float8 AS reset_ms
      FROM rate_limit_hits WHERE key = ${this.prefix + key} AND reset_at > now()`);
    return rows[0] ? toInfo(rows[0]) : undefined;
  }

  async decrement(key: string): Promise<void> {
    await this.db.execute(sql`
      UPDATE rate_limit_hits SET hits = greatest(hits - 1, 0)
      WHERE key = ${this.prefix + key} AND reset_at > now()`);
  }

  async resetKey(key: string): Promise<void> {
    await this.db.execute(sql`DELETE FROM rate_limit_hits WHERE key = ${this.prefix + key}`);
  }

  /**
   * Deletes counters whose window has passed. Without it, every client key ever seen would stay;
   * deleting an expired row is harmless, as the next hit would start a new window anyway.
   */
  async purgeExpired(): Promise<number> {
    // Every limiter's rows, not only this prefix's: whichever store purges first does it for all.
    const result = await this.db.execute(sql`DELETE FROM rate_limit_hits WHERE reset_at <= now()`);
    return result.count;
  }

  /** Piggybacks on traffic instead of a timer, so an idle store holds nothing open. */
  private purgeNowAndThen(): void {
    const now = Date.now();
    const last = lastPurgeOf.get(this.db);
    if (last === undefined) lastPurgeOf.set(this.db, now);
    if (last === undefined || now - last < PURGE_INTERVAL_MS) return;
    lastPurgeOf.set(this.db, now);
    this.purgeExpired().catch(this.onPurgeError);
  }
}
