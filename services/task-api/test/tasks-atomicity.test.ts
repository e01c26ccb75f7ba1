import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { outboxRows } from './support/outbox.js';
import { createTestApp, registerUser, type TestApp } from './support/test-app.js';

/**
 * Real database faults, injected with triggers, prove the task change and its outbox event commit
 * together or not at all.
 */
describe('outbox atomicity', () => {
  let t: TestApp;
  let auth: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp();
    auth = (await registerUser(t.app)).auth;
    await t.database.client.unsafe(`
      CREATE FUNCTION fail_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.payload::text LIKE '%outbox-fault%' THEN RAISE EXCEPTION 'injected outbox fault'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION fail_outbox();
      CREATE FUNCTION fail_task_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.title = 'task-fault' THEN RAISE EXCEPTION 'injected task fault'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER fail_task_update BEFORE UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION fail_task_update();
    `);
  });
  afterAll(async () => {
    await t.close();
  });

  it('rolls the new task back when its event cannot be written, answering 500 with an error_id', async () => {
    const res = await request(t.app).post('/api/tasks').set(auth).send({ title: 'outbox-fault' });
    expect(res.status).toBe(500);
    expect(res.body.error.error_id).toEqual(expect.any(String));
    expect(JSON.stringify(res.body)).not.toContain('injected');
    const rows = await t.database.client`SELECT id FROM tasks WHERE title = 'outbox-fault'`;
    expect(rows).toHaveLength(0);
    expect(t.logs.some((line) => line.error_id === res.body.error.error_id)).toBe(true);
  });

  it('keeps the task unchanged when the completion event cannot be written', async () => {
    const id = (
      await request(t.app)
        .post('/api/tasks')
        .set(auth)
        .send({ title: 'fine', description: 'outbox-fault-later' })
        .expect(500)
    ).body.id;
    expect(id).toBeUndefined();
    const created = await request(t.app)
      .post('/api/tasks')
      .set(auth)
      .send({ title: 'will fail to complete' })
      .expect(201);
    await t.database
      .client`UPDATE tasks SET description = 'outbox-fault' WHERE id = ${created.body.id}`;
    const before = await outboxRows(t.database, created.body.id);
    const res = await request(t.app).post(`/api/tasks/${created.body.id}/complete`).set(auth);
    expect(res.status).toBe(500);
    const task = await request(t.app).get(`/api/tasks/${created.body.id}`).set(auth).expect(200);
    expect(task.body.status).toBe('pending');
    expect(await outboxRows(t.database, created.body.id)).toHaveLength(before.length);
  });

  it('writes no event when the task change itself fails', async () => {
    const created = await request(t.app)
      .post('/api/tasks')
      .set(auth)
      .send({ title: 'ok' })
      .expect(201);
    const res = await request(t.app)
      .patch(`/api/tasks/${created.body.id}`)
      .set(auth)
      .send({ title: 'task-fault' });
    expect(res.status).toBe(500);
    const events = await outboxRows(t.database, created.body.id);
    expect(events.map((e) => e.type)).toEqual(['com.todo.task.created.v1']);
  });
});
