import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@todo/local-stack';
import type { BulkSubscribeSettings } from '@todo/stack-harness';

const numberFromEnv = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);

/**
 * The engine subscription's bulk settings a bench run overrides (BENCH_BULK=off: one event per
 * request; BENCH_BULK_MAX_MESSAGES, BENCH_BULK_MAX_AWAIT_MS), as `startStack` options: none set,
 * main's subscription.yaml as is.
 */
export function bulkOverrides(): { bulkSubscribe?: BulkSubscribeSettings } {
  const bulk: BulkSubscribeSettings = {
    enabled: process.env.BENCH_BULK === 'off' ? false : undefined,
    maxMessagesCount: numberFromEnv('BENCH_BULK_MAX_MESSAGES'),
    maxAwaitDurationMs: numberFromEnv('BENCH_BULK_MAX_AWAIT_MS'),
  };
  return Object.values(bulk).some((v) => v !== undefined) ? { bulkSubscribe: bulk } : {};
}

/**
 * How the engine's subscription delivers in this run: main's subscription.yaml, the overrides,
 * and whether daprd is the patched build (DAPRD_KAFKA_BULK_FIX, local-stack's ensure-daprd.sh).
 */
export function deliveryMode(): string {
  const text = readFileSync(join(REPO_ROOT, 'infra/dapr/components/subscription.yaml'), 'utf8');
  if (!/^\s*bulkSubscribe:/m.test(text) || process.env.BENCH_BULK === 'off') return 'per event';
  const overrides = bulkOverrides().bulkSubscribe ?? {};
  const setting = (key: keyof BulkSubscribeSettings) =>
    overrides[key] ?? new RegExp(`${key}: (\\d+)`).exec(text)?.[1] ?? 'default';
  const daprd =
    process.env.DAPRD_KAFKA_BULK_FIX === '1'
      ? ', daprd patched: partitions flush concurrently'
      : '';
  return `bulk, ${setting('maxMessagesCount')} messages / ${setting('maxAwaitDurationMs')} ms${daprd}`;
}
