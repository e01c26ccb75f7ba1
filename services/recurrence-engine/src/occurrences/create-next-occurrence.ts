import { APP_IDS, TASK_EVENT_TYPES, type TaskCompletedData } from '@todo/contracts';
import { recordTaskEvents, seriesIdOf, toSnapshot, type Database } from '@todo/db';
import { nextOccurrence, RuleError, type NextOccurrence } from '@todo/recurrence';
import { activeTraceparent, SpanStatusCode, tracer } from '@todo/telemetry';
import type { OccurrencesRepository } from './occurrences.repository.js';

/** This app's name as a consumer (processed_events) and as an outbox producer. */
export const CONSUMER = APP_IDS.recurrenceEngine;

export type Outcome =
  | 'not_recurring'
  | 'duplicate'
  | 'task_deleted'
  | 'task_reopened'
  | 'stale_completion'
  | 'recurrence_removed'
  | 'series_ended'
  | 'child_exists'
  | 'child_created';

export type HandleResult =
  | { kind: 'done'; outcome: Outcome; childId?: string; dueAt?: string }
  /** The event can never be processed: it is parked for an operator, and dropped (dead-lettered). */
  | { kind: 'invalid'; reason: string };

export interface CompletedEvent {
  id: string;
  data: TaskCompletedData;
  traceparent?: string | undefined;
}

/** The next occurrence an event asks for; throws a RuleError for a rule that cannot be read. */
export function computeNext(data: TaskCompletedData): NextOccurrence {
  const recurrence = data.recurrence!;
  return nextOccurrence({
    rrule: recurrence.rrule,
    timezone: recurrence.timezone,
    anchor: recurrence.anchor,
    overdue: recurrence.overdue,
    dtstart: recurrence.dtstart,
    occurrenceIndex: data.occurrence_index,
    dueAt: data.due_at,
    completedAt: data.completed_at,
  });
}

/**
 * Turns a completed recurring task into its next occurrence: the child task and its `created`
 * event (or a `series_ended` event) commit in one transaction with the processed-event record.
 * Safe to run any number of times for the same event, in any order with the task's other events.
 *
 * Deliveries reach it only for events not yet handled: deliver-event.ts asks processed_events
 * first (one statement, with the attempt count), so a redelivery never pays for computing the
 * next occurrence again. That check is an optimisation; the mark inside the transaction stays the
 * guard against two deliveries racing.
 */
export function createNextOccurrenceHandler(deps: { db: Database; repo: OccurrencesRepository }) {
  const { db, repo } = deps;

  return async function handleCompleted(event: CompletedEvent): Promise<HandleResult> {
    const { data } = event;
    if (!data.recurrence) return { kind: 'done', outcome: 'not_recurring' };

    let next: NextOccurrence;
    try {
      next = computeNext(data);
    } catch (error) {
      if (error instanceof RuleError)
        return { kind: 'invalid', reason: `recurrence ${error.message}` };
      throw error;
    }

    // The commit of the next occurrence is a span of its own: the child's event continues it.
    return tracer().startActiveSpan('commit next occurrence', async (span) => {
      try {
        const result = await commitNext(event, next);
        span.setAttribute(
          'todo.occurrence.outcome',
          result.kind === 'done' ? result.outcome : 'invalid',
        );
        if (result.kind === 'done' && result.childId)
          span.setAttribute('todo.task.child_id', result.childId);
        return result;
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
        throw error;
      } finally {
        span.end();
      }
    });
  };

  function commitNext(event: CompletedEvent, next: NextOccurrence): Promise<HandleResult> {
    const { data } = event;
    return db.transaction(async (tx): Promise<HandleResult> => {
      const task = await repo.lockTask(tx, data.task_id);
      // The event must describe the task as stored: a forged or corrupted event naming another
      // user cannot put a task into that user's list. Checked before anything is recorded.
      if (task && task.userId !== data.user_id) {
        return { kind: 'invalid', reason: 'the event names a user who does not own the task' };
      }
      if (!(await repo.markProcessed(tx, CONSUMER, event.id))) {
        return { kind: 'done', outcome: 'duplicate' };
      }
      // A deleted task ends its series; a reopened one will send a new completion.
      if (!task) return { kind: 'done', outcome: 'task_deleted' };
      if (task.status !== 'done') return { kind: 'done', outcome: 'task_reopened' };
      if (task.completedAt?.toISOString() !== new Date(data.completed_at).toISOString()) {
        // Completed, reopened and completed again: the latest completion's event decides.
        return { kind: 'done', outcome: 'stale_completion' };
      }
      if (!task.recurrenceRule) return { kind: 'done', outcome: 'recurrence_removed' };

      const seriesId = seriesIdOf(task);
      // The events it writes continue this commit's span (or the completion's trace untraced).
      const origin = { producer: CONSUMER, traceparent: activeTraceparent() ?? event.traceparent };
      if (next.kind === 'ended') {
        await recordTaskEvents(tx, origin, task, [
          {
            type: TASK_EVENT_TYPES.seriesEnded,
            data: {
              series_id: seriesId,
              user_id: data.user_id,
              last_task_id: data.task_id,
              reason: next.reason,
              ended_at: data.completed_at,
            },
          },
        ]);
        return { kind: 'done', outcome: 'series_ended' };
      }

      const recurrence = data.recurrence!;
      const child = await repo.insertChild(tx, {
        userId: task.userId,
        title: data.title,
        description: data.description,
        priority: data.priority,
        tags: data.tags,
        status: 'pending',
        dueAt: new Date(next.dueAt),
        recurrenceRule: recurrence.rrule,
        recurrenceTimezone: recurrence.timezone,
        recurrenceAnchor: recurrence.anchor,
        recurrenceOverdue: recurrence.overdue,
        recurrenceDtstart: new Date(next.dtstart),
        occurrenceIndex: next.occurrenceIndex,
        parentTaskId: data.task_id,
        seriesId,
      });
      if (!child) return { kind: 'done', outcome: 'child_exists' };
      await recordTaskEvents(tx, origin, child, [
        { type: TASK_EVENT_TYPES.created, data: { task: toSnapshot(child) } },
      ]);
      return { kind: 'done', outcome: 'child_created', childId: child.id, dueAt: next.dueAt };
    });
  }
}

export type NextOccurrenceHandler = ReturnType<typeof createNextOccurrenceHandler>;
