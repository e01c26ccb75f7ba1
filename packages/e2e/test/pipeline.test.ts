import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, signUp } from './support/api-client.js';
import { startStack, type Stack } from './support/stack.js';

describe('event pipeline on the real stack (daprd, Kafka, PostgreSQL)', () => {
  let stack: Stack;
  let user: Awaited<ReturnType<typeof signUp>>;

  beforeAll(async () => {
    stack = await startStack({ engineReplicas: 2 });
    user = await signUp(stack.api.app.url);
  }, 900_000);
  afterAll(async () => {
    await stack?.close();
    process.stdout.write(`e2e stack log: ${stack?.logFile}\n`);
  });

  it('completing a recurring task creates exactly one next occurrence, visible through task-api', async () => {
    const task = await user.create({
      title: 'Pay rent',
      description: 'Transfer',
      priority: 'high',
      tags: ['home'],
      due_date: '2030-01-31T09:00:00+01:00',
      recurring_type: 'monthly',
    });
    const done = await user.complete(task.id);
    expect(done.status).toBe(200);
    const series = await eventually(
      'the next occurrence',
      () => user.series(task.id),
      (tasks) => tasks.length >= 2,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const settled = await user.series(task.id);
    expect(settled).toHaveLength(2);
    expect(settled[1]).toMatchObject({
      title: 'Pay rent',
      description: 'Transfer',
      priority: 'high',
      tags: ['home'],
      status: 'pending',
      due_date: '2030-02-28T08:00:00.000Z',
      parent_task_id: task.id,
      occurrence_index: 1,
    });
    expect(series[0]!.id).toBe(task.id);
  });
});
