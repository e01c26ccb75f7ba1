import { DAPR_BULK_DELIVERY_TYPE, RECURRENCE_ENGINE_MAX_BULK_ENTRIES } from '@todo/contracts';
import type { BulkEntry } from './deliver-batch.js';

/**
 * The most entries one bulk request is handled with. The Subscription asks daprd for at most
 * `maxMessagesCount` (infra/dapr/components/subscription.yaml), at most this (a consistency test
 * holds them together); entries past it are answered RETRY, and daprd sends them again 2 s later.
 */
export const MAX_BULK_ENTRIES = RECURRENCE_ENGINE_MAX_BULK_ENTRIES;

/**
 * The largest entry the body limit allows for: a task event at its contract's limits (5,000
 * characters of description, 20 tags, an RRULE) is under 32 KiB as JSON even with every
 * character escaped, and daprd adds the Kafka metadata.
 */
const MAX_ENTRY_BYTES = 64 * 1024;

/** The bulk body limit: every entry of the largest batch at its largest. */
export const MAX_BULK_BODY_BYTES = MAX_BULK_ENTRIES * MAX_ENTRY_BYTES;

/** A request daprd sends with bulkSubscribe on: `{ type, entries: [{ entryId, event, … }] }`. */
export function isBulkRequest(body: unknown): body is { entries: unknown[] } {
  return (
    !!body &&
    typeof body === 'object' &&
    (body as { type?: unknown }).type === DAPR_BULK_DELIVERY_TYPE &&
    Array.isArray((body as { entries?: unknown }).entries)
  );
}

export interface BulkRequest {
  /** The entries to handle, in the request's order. */
  entries: BulkEntry[];
  /** Entry ids past {@link MAX_BULK_ENTRIES}, answered RETRY unread. */
  deferred: string[];
  /**
   * The request holds daprd's whole batch in order (entry ids "0", "1", …: the Kafka component's
   * numbering), so a DROP is safe to answer (deliver-batch.ts).
   */
  whole: boolean;
}

/** The entries of a bulk request; one without a usable `entryId` cannot be answered and is left out. */
export function readBulkRequest(body: { entries: unknown[] }): BulkRequest {
  const all = body.entries.flatMap((raw): BulkEntry[] => {
    const entry = raw as { entryId?: unknown; event?: unknown } | null;
    return entry && typeof entry.entryId === 'string' && entry.entryId !== ''
      ? [{ entryId: entry.entryId, event: entry.event }]
      : [];
  });
  return {
    entries: all.slice(0, MAX_BULK_ENTRIES),
    deferred: all.slice(MAX_BULK_ENTRIES).map((entry) => entry.entryId),
    whole:
      all.length === body.entries.length &&
      all.length <= MAX_BULK_ENTRIES &&
      all.every((entry, i) => entry.entryId === String(i)),
  };
}
