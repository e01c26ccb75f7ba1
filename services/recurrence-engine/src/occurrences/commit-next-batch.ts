import { TASK_EVENT_TYPES } from '@todo/contracts';
import { seriesIdOf, toSnapshot, type Database, type TaskRow } from '@todo/db';
import type { NextOccurrence } from '@todo/recurrence';
import { CONSUMER, type CompletedEvent, type HandleResult } from './create-next-occurrence.js';
import type { ChildRow, OccurrencesRepository } from './occurrences.repository.js';
import { recordTaskEventsBatch, type TaskEventsRecord } from './record-events-batch.js';

/** A recurring completion of a batch, its next occurrence computed, ready to commit. */
export interface BatchItem {
  event: CompletedEvent;
  next: NextOccurrence;
  /** The trace its events continue (its `commit next occurrence` span, or the event's own). */
  traceparent: string | undefined;
}

/** What the batch decided for an item before the child insert: an outcome, or a child to insert. */
type Pending = { result: HandleResult } | { child: ChildRow };

/**
 * The batch form of create-next-occurrence.ts's `commitNext`: the next occurrences of several
 * completions in ONE transaction, with the same rules and outcomes, in a few multi-row
 * statements (lock the parents in id order, record the events as processed, insert the
 * children, append their events). Items must have distinct event ids (the caller dedupes).
 *
 * Anything that fails rolls the whole batch back; the caller decides what to retry.
 */
export function createBatchCommitter(deps: { db: Database; repo: OccurrencesRepository }) {
  const { db, repo } = deps;

  return function commitBatch(items: BatchItem[]): Promise<HandleResult[]> {
    return db.transaction(async (tx) => {
      const taskIds = [...new Set(items.map((item) => item.event.data.task_id))].sort();
      const byId = new Map((await repo.lockTasks(tx, taskIds)).map((task) => [task.id, task]));
      const results: Array<HandleResult | undefined> = items.map(() => undefined);

      // The owner check comes before anything is recorded, as for one event.
      const toMark: string[] = [];
      items.forEach((item, i) => {
        const task = byId.get(item.event.data.task_id);
        if (task && task.userId !== item.event.data.user_id) {
          results[i] = {
            kind: 'invalid',
            reason: 'the event names a user who does not own the task',
          };
        } else toMark.push(item.event.id);
      });
      const marked = await repo.markProcessedMany(tx, CONSUMER, toMark.sort());

      const pending = items.map((item, i): Pending | undefined => {
        if (results[i]) return undefined;
        if (!marked.has(item.event.id)) return { result: done('duplicate') };
        return decide(item, byId.get(item.event.data.task_id));
      });

      const children = await repo.insertChildren(
        tx,
        pending.flatMap((p) => (p && 'child' in p ? [p.child] : [])),
      );
      const childOf = new Map(children.map((child) => [child.parentTaskId!, child]));

      const records: TaskEventsRecord[] = [];
      pending.forEach((p, i) => {
        if (!p) return;
        const item = items[i]!;
        const origin = { producer: CONSUMER, traceparent: item.traceparent };
        if ('result' in p) {
          results[i] = p.result;
          if (p.result.kind === 'done' && p.result.outcome === 'series_ended') {
            const task = byId.get(item.event.data.task_id)!;
            records.push({ origin, row: task, events: [ended(item, task)] });
          }
          return;
        }
        const child = childOf.get(p.child.parentTaskId);
        // A parent appearing twice (one completion under two event ids) gets one child: the first.
        if (!child || results.some((r) => r?.kind === 'done' && r.childId === child.id)) {
          results[i] = done('child_exists');
          return;
        }
        results[i] = {
          kind: 'done',
          outcome: 'child_created',
          childId: child.id,
          dueAt: item.next.kind === 'ended' ? undefined : item.next.dueAt,
        };
        records.push({
          origin,
          row: child,
          events: [{ type: TASK_EVENT_TYPES.created, data: { task: toSnapshot(child) } }],
        });
      });
      await recordTaskEventsBatch(tx, records);
      return results.map((result) => result!);
    });
  };
}

const done = (outcome: Extract<HandleResult, { kind: 'done' }>['outcome']): HandleResult => ({
  kind: 'done',
  outcome,
});

/** The in-memory rules of `commitNext`, for one locked (or missing) task. */
function decide(item: BatchItem, task: TaskRow | undefined): Pending {
  const { data } = item.event;
  // A deleted task ends its series; a reopened one will send a new completion.
  if (!task) return { result: done('task_deleted') };
  if (task.status !== 'done') return { result: done('task_reopened') };
  if (task.completedAt?.toISOString() !== new Date(data.completed_at).toISOString()) {
    return { result: done('stale_completion') };
  }
  if (!task.recurrenceRule) return { result: done('recurrence_removed') };
  if (item.next.kind === 'ended') return { result: done('series_ended') };
  const recurrence = data.recurrence!;
  return {
    child: {
      userId: task.userId,
      title: data.title,
      description: data.description,
      priority: data.priority,
      tags: data.tags,
      status: 'pending',
      dueAt: new Date(item.next.dueAt),
      recurrenceRule: recurrence.rrule,
      recurrenceTimezone: recurrence.timezone,
      recurrenceAnchor: recurrence.anchor,
      recurrenceOverdue: recurrence.overdue,
      recurrenceDtstart: new Date(item.next.dtstart),
      occurrenceIndex: item.next.occurrenceIndex,
      parentTaskId: data.task_id,
      seriesId: seriesIdOf(task),
    },
  };
}

/** The `series_ended` event of an item whose series ended at COUNT/UNTIL. */
function ended(item: BatchItem, task: TaskRow) {
  const { data } = item.event;
  const next = item.next as Extract<NextOccurrence, { kind: 'ended' }>;
  return {
    type: TASK_EVENT_TYPES.seriesEnded,
    data: {
      series_id: seriesIdOf(task),
      user_id: data.user_id,
      last_task_id: data.task_id,
      reason: next.reason,
      ended_at: data.completed_at,
    },
  };
}
