import { and, eq, isNull, sql } from 'drizzle-orm';
import { outbox, type Database } from '@todo/db';
import { Counter, Gauge, Histogram, type Registry } from '@todo/telemetry';
import type { EventTransport } from './outbox-message.js';

/**
 * The most pending rows a scrape counts: past it the gauge reads this value and the relay is far
 * behind whatever the exact number. Keeps the count's cost bounded while a backlog grows.
 */
export const OUTBOX_DEPTH_COUNT_CAP = 10_000;

/** Publish durations: a sidecar answers in milliseconds, a struggling broker in seconds. */
const PUBLISH_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15];

interface Depth {
  pending: number;
  oldestAgeSeconds: number;
}

/**
 * `outbox_events_pending` and `outbox_oldest_pending_age_seconds` for this producer, read when
 * Prometheus scrapes (one statement for both, on the `outbox_unpublished_idx` partial index: the
 * oldest row is its first entry, the count stops at OUTBOX_DEPTH_COUNT_CAP). Every replica reports
 * the same producer-wide figures (labelled `producer`), so queries take their max. When the
 * database does not answer, the gauges have no sample rather than a stale one.
 */
export function registerOutboxDepth(
  registry: Registry,
  options: { db: Database; producer: string },
): void {
  let reading: Promise<Depth> | undefined;
  // Both gauges are collected in the same scrape: they share one read.
  const read = () =>
    (reading ??= readDepth(options.db, options.producer).finally(() => {
      reading = undefined;
    }));

  new Gauge({
    name: 'outbox_events_pending',
    help: `Outbox rows this service wrote and has not published yet (counted up to ${OUTBOX_DEPTH_COUNT_CAP}).`,
    labelNames: ['producer'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const depth = await read().catch(() => undefined);
      if (depth) this.set({ producer: options.producer }, depth.pending);
    },
  });
  new Gauge({
    name: 'outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest outbox row this service has not published yet; 0 when none waits.',
    labelNames: ['producer'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const depth = await read().catch(() => undefined);
      if (depth) this.set({ producer: options.producer }, depth.oldestAgeSeconds);
    },
  });
}

async function readDepth(db: Database, producer: string): Promise<Depth> {
  const unpublished = and(eq(outbox.producer, producer), isNull(outbox.publishedAt));
  const capped = db
    .select({ one: sql`1` })
    .from(outbox)
    .where(unpublished)
    .limit(OUTBOX_DEPTH_COUNT_CAP)
    .as('capped');
  const [counted] = await db.select({ pending: sql<number>`count(*)::int` }).from(capped);
  const [oldest] = await db
    .select({
      age: sql<number>`coalesce(extract(epoch from now() - min(${outbox.createdAt})), 0)::float8`,
    })
    .from(outbox)
    .where(unpublished);
  return { pending: counted?.pending ?? 0, oldestAgeSeconds: Math.max(0, oldest?.age ?? 0) };
}

/**
 * The transport, timed: `outbox_publish_duration_seconds` per publish call (a batch),
 * `outbox_events_published_total` and `outbox_publish_failures_total` per row, a thrown publish
 * counting every row of its batch as failed.
 */
export function instrumentTransport(transport: EventTransport, registry: Registry): EventTransport {
  const duration = new Histogram({
    name: 'outbox_publish_duration_seconds',
    help: 'Duration of one publish of a batch of outbox rows through the transport.',
    buckets: PUBLISH_BUCKETS,
    registers: [registry],
  });
  const published = new Counter({
    name: 'outbox_events_published_total',
    help: 'Outbox rows the transport confirmed.',
    registers: [registry],
  });
  const failures = new Counter({
    name: 'outbox_publish_failures_total',
    help: 'Outbox rows the transport did not confirm (each is retried later).',
    registers: [registry],
  });
  return {
    description: transport.description,
    async publish(messages) {
      const stop = duration.startTimer();
      try {
        const results = await transport.publish(messages);
        const ok = results.filter((result) => result.ok).length;
        published.inc(ok);
        failures.inc(results.length - ok);
        return results;
      } catch (error) {
        failures.inc(messages.length);
        throw error;
      } finally {
        stop();
      }
    },
  };
}
