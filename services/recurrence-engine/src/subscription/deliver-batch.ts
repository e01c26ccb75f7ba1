import { DAPR_STATUS, TASK_EVENT_TYPES } from '@todo/contracts';
import { RuleError } from '@todo/recurrence';
import type { Logger } from '@todo/service-runtime';
import { context, trace, traceparentOf, tracer } from '@todo/telemetry';
import type { BatchItem, createBatchCommitter } from '../occurrences/commit-next-batch.js';
import { computeNext, type CompletedEvent } from '../occurrences/create-next-occurrence.js';
import type { DeliveryObserver } from '../engine-metrics.js';
import { endConsumerSpan, startConsumerSpan, withinSpan } from '../engine-tracing.js';
import type { BatchLedger } from '../parking/batch-ledger.js';
import type { DeliveryLedger } from '../parking/delivery-ledger.js';
import { isConnectionFailure } from './connection-failure.js';
import { createBatchSettlement } from './batch-settlement.js';
import { errorText, NO_ANSWER, type DeliveryOutcome, type EventDelivery } from './deliver-event.js';
import { readEvent } from './read-event.js';

/** One entry of a bulk delivery: daprd's id for it within the request, and the CloudEvent. */
export interface BulkEntry {
  entryId: string;
  event: unknown;
}

/** A recurring completion still to decide, with its delivery's attempt number once counted. */
interface Candidate {
  index: number;
  event: CompletedEvent;
  attempts: number;
}

/**
 * What the engine does with a bulk delivery: the same answers, bookkeeping, parking, metrics and
 * per-event logs as delivering each entry to `deliverOne` (deliver-event.ts), in a few statements
 * for the whole batch (see the README, "Bulk delivery"):
 *
 * 1. In memory: each entry's envelope, type and data; not recurring → SUCCESS. An event id that
 *    appears twice is handled once; its copies get its answer.
 * 2. One statement counts every recurring completion's delivery (outside the transaction, so the
 *    counts survive a failed batch) and says which were handled or parked already.
 * 3. One transaction commits every next occurrence (commit-next-batch.ts).
 * 4. If that transaction fails for a reason that may be one event's (anything but a lost
 *    connection), the undecided entries are handled one at a time by `deliverOne` without being
 *    counted again: only the faulty one fails, counts and is parked at the limit. A lost
 *    connection answers RETRY for them all, as one event would.
 *
 * `whole`: the request carries every entry of daprd's batch, in order. daprd 1.18 dead-letters a
 * DROP by the entry's index in the whole batch but reads it from the request's list, so in a
 * partial request (a retry of the entries still failing) it would dead-letter the wrong event or
 * crash: there, an event that would be dropped is parked (or, with no id, logged) and answered
 * SUCCESS instead. A DROP is only answered for a verdict reached from the event alone.
 */
export function createBatchDelivery(deps: {
  deliverOne: EventDelivery;
  commitBatch: ReturnType<typeof createBatchCommitter>;
  ledger: DeliveryLedger;
  batchLedger: BatchLedger;
  maxAttempts: number;
  observe?: DeliveryObserver | undefined;
}) {
  const { deliverOne, commitBatch, ledger, batchLedger, maxAttempts, observe } = deps;

  return async function deliverBatch(
    entries: BulkEntry[],
    log: Logger,
    whole: boolean,
  ): Promise<DeliveryOutcome[]> {
    const started = performance.now();
    const spans = entries.map((entry) => startConsumerSpan(entry.event));
    const answers: Array<DeliveryOutcome | undefined> = entries.map(() => undefined);
    const firstOf = new Map<string, number>();
    const copies: Array<[copy: number, of: number]> = [];
    const candidates: Candidate[] = [];

    const settle = createBatchSettlement({
      events: entries.map((entry) => entry.event),
      ledger,
      log,
      maxAttempts,
    });
    const parkExhausted = (c: Candidate, attempts: number, lastError: string) =>
      settle.exhausted(c.index, attempts, lastError, c.event.data.task_id);
    const handled = (c: Candidate, result: DeliveryOutcome & { outcome: string }, extra = {}) => {
      log.info('task completion handled', {
        eventId: c.event.id,
        eventType: TASK_EVENT_TYPES.completed,
        outcome: result.outcome,
        taskId: c.event.data.task_id,
        seriesId: c.event.data.series_id,
        ...extra,
      });
      answers[c.index] = result;
    };

    // 1. In memory.
    const invalid: Array<Promise<void>> = [];
    entries.forEach((entry, i) => {
      const read = readEvent(entry.event, log);
      if (read.kind === 'unusable') {
        if (!whole)
          log.error('acknowledging an unusable event without dead-lettering it', {
            entryId: entry.entryId,
          });
        answers[i] = whole
          ? { status: DAPR_STATUS.drop, outcome: 'invalid', detail: read.detail }
          : { status: DAPR_STATUS.success, outcome: 'ignored' };
        return;
      }
      if (read.kind === 'ignored') {
        answers[i] = { status: DAPR_STATUS.success, outcome: 'ignored' };
        return;
      }
      const eventId = read.kind === 'invalid' ? read.eventId : read.event.id;
      const first = firstOf.get(eventId);
      if (first !== undefined) {
        copies.push([i, first]);
        return;
      }
      firstOf.set(eventId, i);
      if (read.kind === 'invalid') {
        invalid.push(settle.invalid(i, read.reason, 1, whole).then((r) => void (answers[i] = r)));
      } else if (!read.event.data.recurrence) {
        handled(
          { index: i, event: read.event, attempts: 0 },
          { status: DAPR_STATUS.success, outcome: 'not_recurring' },
        );
      } else candidates.push({ index: i, event: read.event, attempts: 0 });
    });
    await Promise.all(invalid);
    const readAt = performance.now();

    // 2. Count the deliveries.
    const items: Array<BatchItem & { candidate: Candidate }> = [];
    if (candidates.length > 0) {
      let records;
      try {
        records = await batchLedger.registerAttempts(candidates.map((c) => c.event.id).sort());
      } catch (error) {
        for (const c of candidates) answers[c.index] = settle.retry(c.index, error, 0);
        records = undefined;
      }
      for (const c of records ? candidates : []) {
        const record = records!.get(c.event.id)!;
        c.attempts = record.attempts;
        if (record.processed) handled(c, { status: DAPR_STATUS.success, outcome: 'duplicate' });
        else if (record.parked) {
          log.info('acknowledging a redelivery of a parked event (re-drive it to process it)', {
            eventId: c.event.id,
          });
          answers[c.index] = { status: DAPR_STATUS.success, outcome: 'already_parked' };
        } else if (record.attempts > maxAttempts)
          answers[c.index] = await parkExhausted(
            c,
            record.attempts - 1,
            record.lastError ?? NO_ANSWER,
          );
        else {
          try {
            const next = computeNext(c.event.data);
            items.push({ candidate: c, event: c.event, next, traceparent: c.event.traceparent });
          } catch (error) {
            if (!(error instanceof RuleError)) throw error;
            answers[c.index] = await settle.invalid(
              c.index,
              `recurrence ${error.message}`,
              c.attempts,
              whole,
            );
          }
        }
      }
    }

    const countedAt = performance.now();

    // 3. Commit the next occurrences, each under its own `commit next occurrence` span.
    if (items.length > 0) {
      const commitSpans = items.map((item) => {
        const span = tracer().startSpan(
          'commit next occurrence',
          {},
          trace.setSpan(context.active(), spans[item.candidate.index]!),
        );
        item.traceparent = traceparentOf(span) ?? item.event.traceparent;
        return span;
      });
      let results;
      let failure: unknown;
      try {
        results = await commitBatch(items);
      } catch (error) {
        failure = error;
      }
      for (const [k, span] of commitSpans.entries()) {
        const result = results?.[k];
        if (result)
          span.setAttribute(
            'todo.occurrence.outcome',
            result.kind === 'done' ? result.outcome : 'invalid',
          );
        span.end();
      }
      if (!results)
        await settleFailedBatch(
          items.map((item) => item.candidate),
          failure,
        );
      for (const [k, result] of (results ?? []).entries()) {
        const c = items[k]!.candidate;
        // Reached after database work: parked and acknowledged, never a DROP (see above).
        if (result.kind === 'invalid')
          answers[c.index] = await settle.invalid(c.index, result.reason, c.attempts, false);
        else
          handled(
            c,
            { status: DAPR_STATUS.success, outcome: result.outcome },
            result.childId ? { childId: result.childId, dueAt: result.dueAt } : {},
          );
      }
    }

    async function settleFailedBatch(failed: Candidate[], error: unknown) {
      if (isConnectionFailure(error)) {
        await batchLedger
          .recordFailures(
            failed.map((c) => c.event.id),
            errorText(error),
          )
          .catch(() => undefined);
        for (const c of failed) {
          answers[c.index] =
            c.attempts >= maxAttempts
              ? await parkExhausted(c, c.attempts, errorText(error))
              : settle.retry(c.index, error, c.attempts);
        }
        return;
      }
      log.warn('a batch failed: handling its entries one at a time', {
        entries: failed.length,
        err: error,
      });
      for (const c of failed) {
        answers[c.index] = await withinSpan(spans[c.index]!, () =>
          deliverOne(entries[c.index]!.event, log, { counted: c.attempts }),
        );
      }
    }

    for (const [copy, of] of copies) {
      const answer = answers[of]!;
      answers[copy] =
        answer.status === DAPR_STATUS.success
          ? { status: answer.status, outcome: 'duplicate' }
          : answer;
    }
    const outcomes: Record<string, number> = {};
    entries.forEach((entry, i) => {
      const answer = answers[i]!;
      outcomes[answer.outcome] = (outcomes[answer.outcome] ?? 0) + 1;
      endConsumerSpan(spans[i]!, answer);
      observe?.(answer, entry.event);
    });
    const ended = performance.now();
    log.info('bulk delivery handled', {
      entries: entries.length,
      whole,
      outcomes,
      ms: Math.round(ended - started),
      // Where the time went: reading the entries; counting them and computing the next
      // occurrences; committing (or the fallback) and answering.
      phases: {
        read: Math.round(readAt - started),
        count: Math.round(countedAt - readAt),
        commit: Math.round(ended - countedAt),
      },
    });
    return answers.map((answer) => answer!);
  };
}

export type BatchDelivery = ReturnType<typeof createBatchDelivery>;
