import { randomUUID } from 'node:crypto';
import { APP_IDS, TASK_EVENT_TYPES } from '@todo/contracts';
import { outbox } from '@todo/db';
import { eventually } from '@todo/service-runtime/testing';
import { publishThroughSidecar, type Stack } from '@todo/stack-harness';
import { and, eq, inArray, sql } from 'drizzle-orm';

/** A type no producer uses: the engine acknowledges it and logs it, with its id, as unknown. */
const MARKER_TYPE = 'com.todo.e2e.marker.v1';

/** Whether an engine replica has logged a line about this event (its JSON logs carry the id). */
const engineLogged = (stack: Stack, eventId: string) =>
  stack.logs.some(
    (line) =>
      line.startsWith(`[${APP_IDS.recurrenceEngine}:`) && line.includes(`"eventId":"${eventId}"`),
  );

/**
 * Waits until the engines have consumed everything published so far under each partition key.
 * Dapr hands each Kafka partition to the app in order, one message at a time, so once a marker
 * published after those events has reached an engine, so have they: what they were going to do
 * is done. This is what a test waits on before asserting that something did not happen.
 */
export async function engineCaughtUp(stack: Stack, partitionKeys: string[]): Promise<void> {
  const markers = await Promise.all(
    [...new Set(partitionKeys)].map(async (partitionKey) => {
      const id = randomUUID();
      const status = await publishThroughSidecar(stack.api.sidecar.httpPort, {
        id,
        type: MARKER_TYPE,
        data: {},
        partitionKey,
      });
      if (status !== 204) throw new Error(`publishing a marker event answered ${status}`);
      return id;
    }),
  );
  await eventually(() => markers.every((id) => engineLogged(stack, id)), {
    what: 'the engines to reach marker events published behind the ones under test',
    timeoutMs: 120_000,
    intervalMs: 100,
  });
}

/** The outbox rows of these tasks' completions: whether the relay published each, or failed to. */
export async function completionRows(stack: Stack, taskIds: string[]) {
  return stack.database.db
    .select({
      eventId: outbox.eventId,
      publishedAt: outbox.publishedAt,
      lastError: outbox.lastError,
    })
    .from(outbox)
    .where(
      and(
        eq(outbox.type, TASK_EVENT_TYPES.completed),
        inArray(sql<string>`${outbox.payload}->>'task_id'`, taskIds),
      ),
    );
}
