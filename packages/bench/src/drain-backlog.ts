import { APP_IDS } from '@todo/contracts';
import { eventually } from '@todo/service-runtime/testing';
import type { SignedUpUser, Stack } from '@todo/stack-harness';

/**
 * `count` open daily tasks of `user`: one created through the API as the template, the rest
 * copied from it in one INSERT … SELECT generate_series. The copies make no "created" events,
 * so the backlog the engine finds in Kafka is the completions alone, as the issue states it.
 */
export async function seedRecurring(
  stack: Stack,
  user: SignedUpUser,
  count: number,
): Promise<{ userId: string; ids: string[] }> {
  const template = await user.create({
    title: 'Drain template',
    due_date: '2030-06-03T09:00:00+02:00',
    recurring_type: 'daily',
  });
  const rows = await stack.database.client<{ id: string; user_id: string }[]>`
    INSERT INTO tasks (user_id, title, priority, status, tags, due_at, recurrence_rule,
                       recurrence_timezone, recurrence_anchor, recurrence_overdue,
                       recurrence_dtstart)
    SELECT t.user_id, 'Drain ' || g, t.priority, t.status, t.tags, t.due_at, t.recurrence_rule,
           t.recurrence_timezone, t.recurrence_anchor, t.recurrence_overdue, t.recurrence_dtstart
      FROM tasks t, generate_series(1, ${count}::int) g
     WHERE t.id = ${template.id}
    RETURNING id, user_id`;
  return { userId: rows[0]!.user_id, ids: rows.map((row) => row.id) };
}

/**
 * Completes every task through the API with `concurrency` requests in flight: each completion
 * commits the task and its outbox row, and task-api's relay publishes it through its daprd to
 * Kafka, as in production. Returns what the API answered, for the reconciliation.
 */
export async function completeAll(
  user: SignedUpUser,
  ids: string[],
  concurrency: number,
): Promise<Array<{ taskId: string; acknowledged: boolean }>> {
  const attempts: Array<{ taskId: string; acknowledged: boolean }> = [];
  let cursor = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (cursor < ids.length) {
        const taskId = ids[cursor++]!;
        const { status } = await user.complete(taskId).catch(() => ({ status: 0 }));
        attempts.push({ taskId, acknowledged: status === 200 });
      }
    }),
  );
  return attempts;
}

/** Waits until task-api's relay has published every outbox row (daprd answered, so Kafka has it). */
export async function waitAllPublished(stack: Stack, timeoutMs: number): Promise<void> {
  await eventually(
    async () => {
      const [row] = await stack.database.client<[{ n: number }]>`
        SELECT count(*)::int AS n FROM outbox
         WHERE producer = ${APP_IDS.taskApi} AND published_at IS NULL`;
      return row!.n === 0;
    },
    { what: "task-api's outbox published", timeoutMs, intervalMs: 250 },
  );
}
