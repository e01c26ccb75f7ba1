import { APP_IDS, TASK_EVENT_TYPES } from '@todo/contracts';
import { eventually } from '@todo/service-runtime/testing';
import type { SignedUpUser, Stack } from '@todo/stack-harness';

export interface Backlog {
  userId: string;
  /** Created and completed through the API: its outbox row is the copies' model. */
  templateId: string;
  /** The copies, open. */
  ids: string[];
}

/**
 * `count` open daily tasks of `user`: one created (and completed) through the API as the
 * template, the rest copied from it in one INSERT … SELECT generate_series. The copies make no
 * "created" events, so the backlog the engine finds in Kafka is completions, as the issue has it.
 */
export async function seedRecurring(
  stack: Stack,
  user: SignedUpUser,
  count: number,
): Promise<Backlog> {
  const template = await user.create({
    title: 'Drain template',
    due_date: '2030-06-03T09:00:00+02:00',
    recurring_type: 'daily',
  });
  const { status } = await user.complete(template.id);
  if (status !== 200) throw new Error(`completing the template answered ${status}`);
  const rows = await stack.database.client<{ id: string; user_id: string }[]>`
    INSERT INTO tasks (user_id, title, priority, tags, due_at, recurrence_rule,
                       recurrence_timezone, recurrence_anchor, recurrence_overdue,
                       recurrence_dtstart)
    SELECT t.user_id, 'Drain ' || g, t.priority, t.tags, t.due_at, t.recurrence_rule,
           t.recurrence_timezone, t.recurrence_anchor, t.recurrence_overdue, t.recurrence_dtstart
      FROM tasks t, generate_series(1, ${count}::int) g
     WHERE t.id = ${template.id}
    RETURNING id, user_id`;
  return { userId: rows[0]!.user_id, templateId: template.id, ids: rows.map((row) => row.id) };
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

/**
 * Completes every task in one statement that writes what task-api's completion writes to the
 * task and the outbox: the task done, and a completion event whose payload is the template's
 * (the API's own, completed through it) with this task's id, series, title and completion time.
 * task-api's relay then publishes them through its daprd to Kafka as it publishes any completion.
 * The live stream's change log is not written (nothing here reads it). Minutes faster than the
 * API on a loaded machine, for a backlog whose production is not what is measured.
 */
export async function completeInDatabase(
  stack: Stack,
  backlog: Backlog,
): Promise<Array<{ taskId: string; acknowledged: boolean }>> {
  const rows = await stack.database.client<{ id: string }[]>`
    WITH template AS (
      SELECT producer, type, payload FROM outbox
       WHERE aggregate_id = ${backlog.templateId} AND type = ${TASK_EVENT_TYPES.completed}),
    done AS (
      UPDATE tasks SET status = 'done', completed_at = now(), updated_at = now()
       WHERE id = ANY(${backlog.ids}::uuid[]) AND status <> 'done'
      RETURNING id, title, completed_at)
    INSERT INTO outbox (event_id, producer, aggregate_id, type, payload)
    SELECT gen_random_uuid(), template.producer, done.id, template.type,
           template.payload || jsonb_build_object(
             'task_id', done.id, 'series_id', done.id, 'title', done.title,
             'completed_at', to_char(done.completed_at AT TIME ZONE 'UTC',
                                     'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
      FROM done, template
    RETURNING aggregate_id AS id`;
  if (rows.length !== backlog.ids.length)
    throw new Error(`${rows.length} completion events written for ${backlog.ids.length} tasks`);
  return backlog.ids.map((taskId) => ({ taskId, acknowledged: true }));
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
