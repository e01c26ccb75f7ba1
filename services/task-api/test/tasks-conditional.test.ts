import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '@todo/service-runtime/testing';
import request from 'supertest';
import { outboxRows } from './support/outbox.js';
import { createTestApp, registerUser, type TestApp } from './support/test-app.js';

type Auth = { Authorization: string };

describe('conditional writes (If-Match) and reads (If-None-Match)', () => {
  let t: TestApp;
  let auth: Auth;

  beforeAll(async () => {
    t = await createTestApp();
    auth = (await registerUser(t.app)).auth;
  });
  afterAll(async () => {
    await t.close();
  });

  const create = async (title = 'Shared task') => {
    const res = await request(t.app).post('/api/tasks').set(auth).send({ title }).expect(201);
    return res.body as { id: string; version: number; title: string };
  };
  /** What a write could have left behind: the row, its outbox events, its change-log rows. */
  const traces = async (id: string) => {
    const [row] = await t.database.client<{ title: string; status: string; version: number }[]>`
      SELECT title, status, version FROM tasks WHERE id = ${id}`;
    const [changes] = await t.database.client<{ n: number }[]>`
      SELECT count(*)::int AS n FROM task_changes WHERE payload->'task'->>'id' = ${id}
        OR payload->>'task_id' = ${id}`;
    return { row, outbox: (await outboxRows(t.database, id)).length, changes: changes!.n };
  };

  it('gives every task answer a strong ETag from its version, and bumps it on each change', async () => {
    const task = await create();
    expect(task.version).toBe(1);
    const got = await request(t.app).get(`/api/tasks/${task.id}`).set(auth).expect(200);
    expect(got.headers.etag).toBe('"v1"');
    expect(got.body.version).toBe(1);
    const patched = await request(t.app)
      .patch(`/api/tasks/${task.id}`)
      .set(auth)
      .send({ title: 'Renamed' })
      .expect(200);
    expect(patched.headers.etag).toBe('"v2"');
    expect(patched.body.version).toBe(2);
    const list = await request(t.app).get('/api/tasks').set(auth).expect(200);
    const listed = (list.body.items as Array<{ id: string; version: number }>).find(
      (item) => item.id === task.id,
    );
    expect(listed?.version).toBe(2);
  });

  it('refuses a stale PATCH with 412 and the current task, and changes nothing', async () => {
    const task = await create('Before');
    await request(t.app)
      .patch(`/api/tasks/${task.id}`)
      .set(auth)
      .send({ title: 'Theirs' })
      .expect(200);
    const before = await traces(task.id);
    const stale = await request(t.app)
      .patch(`/api/tasks/${task.id}`)
      .set(auth)
      .set('If-Match', '"v1"')
      .send({ title: 'Mine' });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({
      error: { code: 'precondition_failed' },
      current: { id: task.id, title: 'Theirs', version: 2 },
    });
    expect(stale.headers.etag).toBe('"v2"');
    expect(await traces(task.id)).toEqual(before);
    expect(before.row).toMatchObject({ title: 'Theirs', version: 2 });
  });

  it('applies a PATCH whose If-Match names the current version, in a list or as *', async () => {
    const task = await create();
    await request(t.app)
      .patch(`/api/tasks/${task.id}`)
      .set(auth)
      .set('If-Match', '"v9", "v1"')
      .send({ title: 'Listed' })
      .expect(200);
    const any = await request(t.app)
      .patch(`/api/tasks/${task.id}`)
      .set(auth)
      .set('If-Match', '*')
      .send({ title: 'Any' })
      .expect(200);
    expect(any.body).toMatchObject({ title: 'Any', version: 3 });
  });

  it('treats a weak or malformed If-Match as matching nothing (412), per RFC 9110', async () => {
    const task = await create();
    for (const header of ['W/"v1"', 'v1', '"v1', '1']) {
      const res = await request(t.app)
        .patch(`/api/tasks/${task.id}`)
        .set(auth)
        .set('If-Match', header)
        .send({ title: 'No' });
      expect({ header, status: res.status }).toEqual({ header, status: 412 });
    }
    expect((await traces(task.id)).row).toMatchObject({ title: 'Shared task', version: 1 });
  });

  it('holds every write verb to If-Match: PUT, complete, reopen, toggle, DELETE', async () => {
    const task = await create();
    await request(t.app).patch(`/api/tasks/${task.id}`).set(auth).send({ title: 'v2' }).expect(200);
    const writes = [
      () => request(t.app).put(`/api/tasks/${task.id}`).send({ title: 'Replaced' }),
      () => request(t.app).post(`/api/tasks/${task.id}/complete`),
      () => request(t.app).post(`/api/tasks/${task.id}/reopen`),
      () => request(t.app).patch(`/api/tasks/${task.id}/toggle`),
      () => request(t.app).delete(`/api/tasks/${task.id}`),
    ];
    const before = await traces(task.id);
    for (const write of writes) {
      const res = await write().set(auth).set('If-Match', '"v1"');
      expect(res.status).toBe(412);
      expect(res.body.current).toMatchObject({ id: task.id, version: 2 });
    }
    expect(await traces(task.id)).toEqual(before);

    // The same verbs with the current validator, each answering the next one.
    let etag = '"v2"';
    for (const write of writes.slice(0, 4)) {
      const res = await write().set(auth).set('If-Match', etag).expect(200);
      expect(res.headers.etag).not.toBe(etag);
      etag = res.headers.etag as string;
    }
    // v2, then PUT, complete, reopen, toggle: one version each.
    expect(etag).toBe('"v6"');
    await writes[4]!().set(auth).set('If-Match', etag).expect(204);
    expect((await traces(task.id)).row).toBeUndefined();
  });

  it('answers 404, not 412, for a task that does not exist or is someone else’s', async () => {
    const task = await create();
    const other = await registerUser(t.app);
    for (const header of ['"v1"', '*']) {
      await request(t.app)
        .patch(`/api/tasks/${task.id}`)
        .set(other.auth)
        .set('If-Match', header)
        .send({ title: 'x' })
        .expect(404);
    }
    await request(t.app)
      .delete(`/api/tasks/${task.id}`)
      .set(other.auth)
      .set('If-Match', '*')
      .expect(404);
    expect((await traces(task.id)).row).toMatchObject({ version: 1 });
  });

  it('leaves the version alone when a matching write changes nothing', async () => {
    const task = await create();
    const reopened = await request(t.app)
      .post(`/api/tasks/${task.id}/reopen`)
      .set(auth)
      .set('If-Match', '"v1"')
      .expect(200);
    expect(reopened.headers.etag).toBe('"v1"');
    expect(await traces(task.id)).toMatchObject({ row: { version: 1 }, outbox: 1 });
  });

  it('keeps writes without If-Match unconditional, as the original API', async () => {
    const task = await create();
    await request(t.app).patch(`/api/tasks/${task.id}`).set(auth).send({ title: 'a' }).expect(200);
    await request(t.app).patch(`/api/tasks/${task.id}`).set(auth).send({ title: 'b' }).expect(200);
    await request(t.app).delete(`/api/tasks/${task.id}`).set(auth).expect(204);
  });

  it('sees a change made outside the API: any UPDATE of the row moves the validator', async () => {
    const task = await create();
    await t.database.client`UPDATE tasks SET description = 'by SQL' WHERE id = ${task.id}`;
    const stale = await request(t.app)
      .post(`/api/tasks/${task.id}/complete`)
      .set(auth)
      .set('If-Match', '"v1"');
    expect(stale.status).toBe(412);
    expect(stale.body.current).toMatchObject({ description: 'by SQL', version: 2 });
  });

  it('answers a GET with 304 and no body when If-None-Match names the current state', async () => {
    const task = await create();
    for (const header of ['"v1"', 'W/"v1"', '"v0", "v1"', '*']) {
      const res = await request(t.app)
        .get(`/api/tasks/${task.id}`)
        .set(auth)
        .set('If-None-Match', header);
      expect({ header, status: res.status, body: res.text ?? '' }).toEqual({
        header,
        status: 304,
        body: '',
      });
      expect(res.headers.etag).toBe('"v1"');
    }
    await request(t.app)
      .patch(`/api/tasks/${task.id}`)
      .set(auth)
      .send({ title: 'new' })
      .expect(200);
    const changed = await request(t.app)
      .get(`/api/tasks/${task.id}`)
      .set(auth)
      .set('If-None-Match', '"v1"')
      .expect(200);
    expect(changed.body.title).toBe('new');
  });

  it('lets exactly one of two concurrent PATCHes with the same validator win', async () => {
    const task = await create();
    // Hold the row so both requests are inside their transactions, waiting on it, at once.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const holder = t.database.client.begin(async (tx) => {
      await tx`SELECT id FROM tasks WHERE id = ${task.id} FOR UPDATE`;
      await released;
    });
    const patch = (title: string) =>
      request(t.app)
        .patch(`/api/tasks/${task.id}`)
        .set(auth)
        .set('If-Match', '"v1"')
        .send({ title });
    const both = Promise.all([patch('first'), patch('second')]);
    let answered: number[] | undefined;
    void both.then((answers) => (answered = answers.map((a) => a.status)));
    await eventually(
      async () => {
        // A PATCH that answered without waiting would never be seen waiting: say so.
        if (answered) throw new Error(`the PATCHes answered ${answered.join(', ')} first`);
        const waiting = await t.database.client<{ event: string }[]>`
          SELECT wait_event AS event FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`;
        if (waiting.length >= 2) return true;
        // Thrown, not returned, so a timeout's message says what was waiting last.
        throw new Error(`waiting on locks: ${waiting.map((w) => w.event).join(', ') || 'none'}`);
      },
      // A wait, not a timing: CI runs several suites and databases on two cores at once.
      { what: 'both PATCHes waiting on the row lock', timeoutMs: 40_000 },
    );
    release();
    await holder;
    const answers = await both;
    expect(answers.map((a) => a.status).sort()).toEqual([200, 412]);
    const winner = answers.find((a) => a.status === 200)!;
    const loser = answers.find((a) => a.status === 412)!;
    expect(loser.body.current).toMatchObject({ title: winner.body.title, version: 2 });
    const { row, outbox } = await traces(task.id);
    expect(row).toMatchObject({ title: winner.body.title, version: 2 });
    expect(outbox).toBe(2); // created + one update
  }, 60_000);
});
