import { APP_IDS, TASK_EVENT_TYPES } from '@todo/contracts';
import type postgres from 'postgres';
import { percentile, type Row } from './measure.js';

/**
 * Where a completion's time goes between the API and the engine's child, from PostgreSQL's own
 * clock (the stack runs with `track_commit_timestamp`), so no stage is timed on two clocks:
 *
 * - API commit: `pg_xact_commit_timestamp` of the completed task's row (the engine only locks
 *   it, which leaves its xmin alone).
 * - relay claim: `outbox.published_at`, `now()` in the relay's transaction, which claims the
 *   batch before it publishes.
 * - published: the commit of that transaction (the outbox row's xmin), written once daprd has
 *   answered the publish, which it does once Kafka acknowledged the records (acks=all). Kafka's
 *   own append time lies inside claim → published.
 * - engine start: `processed_events.processed_at`, `now()` in the engine's transaction that
 *   writes the child; the delivery's HTTP request, validation and counting come just before it
 *   (a few ms), so they fall in the stage before. With bulk delivery it is the batch's start.
 * - child commit: the child row's commit.
 *
 * The broker stage (published → engine start) can be negative: daprd may hand a record to the
 * engine before the relay's transaction has committed.
 */
const STAGES = [
  ['API commit → relay claim', 'api', 'claimed'],
  ['relay claim → published (Kafka acked)', 'claimed', 'published'],
  ['published → engine start (broker, daprd, delivery)', 'published', 'engine'],
  ['engine start → child commit', 'engine', 'child'],
  ['total: API commit → child commit', 'api', 'child'],
] as const;

type Instant = 'api' | 'claimed' | 'published' | 'engine' | 'child';

/** Epoch milliseconds of a timestamptz expression, microseconds kept. */
const ms = (expression: string) => `(extract(epoch FROM ${expression}) * 1000)::float8`;

/** p50 and p99 of each stage for these completed tasks, one row per stage, labelled `run`. */
export async function stageTimings(
  sql: postgres.Sql,
  run: string,
  parentIds: string[],
): Promise<Row[]> {
  const rows = await sql.unsafe<Array<Record<Instant, number>>>(
    `SELECT ${ms('pg_xact_commit_timestamp(p.xmin)')} AS api,
            ${ms('o.published_at')} AS claimed,
            ${ms('pg_xact_commit_timestamp(o.xmin)')} AS published,
            ${ms('pe.processed_at')} AS engine,
            ${ms('pg_xact_commit_timestamp(c.xmin)')} AS child
       FROM tasks p
       JOIN outbox o ON o.type = $1 AND o.payload->>'task_id' = p.id::text
       JOIN processed_events pe ON pe.consumer = $2 AND pe.event_id = o.event_id::text
       JOIN tasks c ON c.parent_task_id = p.id
      WHERE p.id = ANY($3::uuid[])`,
    [TASK_EVENT_TYPES.completed, APP_IDS.recurrenceEngine, parentIds],
  );
  if (rows.length !== parentIds.length)
    throw new Error(`stage timestamps for ${rows.length} of ${parentIds.length} completions`);
  return STAGES.map(([stage, from, to]) => {
    const spans = rows.map((r) => r[to] - r[from]);
    return {
      run,
      stage,
      'p50 ms': round(percentile(spans, 0.5)),
      'p99 ms': round(percentile(spans, 0.99)),
      'max ms': round(Math.max(...spans)),
    };
  });
}

const round = (n: number) => Math.round(n * 10) / 10;
