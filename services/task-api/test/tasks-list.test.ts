import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { tasks } from '@todo/db';
import { eq } from 'drizzle-orm';
import request from 'supertest';
import { createTestApp, registerUser, type TestApp } from './support/test-app.js';

describe('listing tasks', () => {
  let t: TestApp;
  let auth: { Authorization: string };

  const seed = [
    {
      title: 'Pay rent',
      priority: 'high',
      tags: ['home', 'money'],
      due_date: '2026-03-01T09:00:00Z',
    },
    {
      title: 'Buy groceries',
      description: 'milk, 50% off coffee',
      priority: 'medium',
      tags: ['home'],
      due_date: '2026-03-03T09:00:00Z',
    },
    {
      title: 'Write report',
      priority: 'high',
      tags: ['work'],
      due_date: '2026-03-02T09:00:00Z',
      status: 'in_progress',
    },
    { title: 'Call mum', priority: 'low', tags: [], status: 'done' },
    {
      title: 'Plan trip',
      description: 'Rome in spring',
      priority: 'low',
      tags: ['travel'],
      due_date: '2026-04-10T09:00:00Z',
    },
  ];

  beforeAll(async () => {
    t = await createTestApp();
    auth = (await registerUser(t.app)).auth;
    for (const [i, task] of seed.entries()) {
      const res = await request(t.app).post('/api/tasks').set(auth).send(task).expect(201);
      // Creation times a minute apart in seed order, so the default newest-first order is fully
      // determined whatever the clock's resolution and however fast the requests ran.
      await t.database.db
        .update(tasks)
        .set({ createdAt: new Date(Date.UTC(2026, 0, 1, 12, i)) })
        .where(eq(tasks.id, res.body.id as string));
    }
    // Another user's tasks must never show up in any of these results.
    const other = (await registerUser(t.app)).auth;
    await request(t.app)
      .post('/api/tasks')
      .set(other)
      .send({ title: 'Pay rent (other)', tags: ['home'] })
      .expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  const list = async (query: string) => {
    const res = await request(t.app).get(`/api/tasks?${query}`).set(auth).expect(200);
    return res.body as {
      items: Array<{ title: string }>;
      total: number;
      limit: number;
      offset: number;
    };
  };
  const titles = (body: { items: Array<{ title: string }> }) => body.items.map((i) => i.title);

  it('lists newest first by default with the total', async () => {
    const body = await list('');
    expect(body.total).toBe(5);
    expect(titles(body)).toEqual([
      'Plan trip',
      'Call mum',
      'Write report',
      'Buy groceries',
      'Pay rent',
    ]);
  });

  it('filters by status, priority and tag', async () => {
    expect(titles(await list('status=done'))).toEqual(['Call mum']);
    expect(titles(await list('status=done,done,%20done'))).toEqual(['Call mum']);
    expect(titles(await list('status=pending,in_progress&priority=high&sort=title'))).toEqual([
      'Pay rent',
      'Write report',
    ]);
    expect(titles(await list('tag=home&sort=title'))).toEqual(['Buy groceries', 'Pay rent']);
    expect(titles(await list('tag=home&tag=money'))).toEqual(['Pay rent']);
    expect(await list('tag=home&tag=home&sort=title')).toMatchObject({
      total: 2,
      items: [{ title: 'Buy groceries' }, { title: 'Pay rent' }],
    });
  });

  it('filters by due window (after inclusive, before exclusive)', async () => {
    const body = await list(
      'due_after=2026-03-02T09:00:00Z&due_before=2026-04-10T09:00:00Z&sort=due_date',
    );
    expect(titles(body)).toEqual(['Write report', 'Buy groceries']);
  });

  it('searches title and description case-insensitively, treating wildcards literally', async () => {
    expect(titles(await list('q=ROME'))).toEqual(['Plan trip']);
    expect(titles(await list('q=rent'))).toEqual(['Pay rent']);
    expect(titles(await list(`q=${encodeURIComponent('50%')}`))).toEqual(['Buy groceries']);
    expect(titles(await list(`q=${encodeURIComponent('%')}`))).toEqual(['Buy groceries']);
  });

  it('matches letters beyond ASCII whatever their case, and accents as written', async () => {
    const own = (await registerUser(t.app)).auth;
    const task = { title: 'Été à Σparta', description: 'ÇA VA' };
    await request(t.app).post('/api/tasks').set(own).send(task).expect(201);
    const search = async (q: string) =>
      titles(
        (
          await request(t.app)
            .get(`/api/tasks?q=${encodeURIComponent(q)}`)
            .set(own)
            .expect(200)
        ).body as { items: Array<{ title: string }> },
      );
    expect(await search('ÉTÉ À')).toEqual([task.title]);
    expect(await search('σPART')).toEqual([task.title]);
    expect(await search('ça va')).toEqual([task.title]);
    expect(await search('ete')).toEqual([]);
  });

  it('sorts by due date with undated tasks last, and by priority', async () => {
    expect(titles(await list('sort=due_date'))).toEqual([
      'Pay rent',
      'Write report',
      'Buy groceries',
      'Plan trip',
      'Call mum',
    ]);
    expect(titles(await list('sort=due_date&order=desc'))).toEqual([
      'Plan trip',
      'Buy groceries',
      'Write report',
      'Pay rent',
      'Call mum',
    ]);
    const byPriority = (await list('sort=priority')).items.map(
      (i) => (i as unknown as { priority: string }).priority,
    );
    expect(byPriority).toEqual(['high', 'high', 'medium', 'low', 'low']);
  });

  it('filters by series: the root and the occurrences naming it, only the caller’s', async () => {
    const root = await request(t.app)
      .post('/api/tasks')
      .set(auth)
      .send({ title: 'Water plants', recurring_type: 'daily', due_date: '2026-03-01T09:00:00Z' })
      .expect(201);
    const seriesId = root.body.series_id as string;
    expect(seriesId).toBe(root.body.id);
    // Occurrences as the recurrence engine writes them: series_id names the root.
    const { userId } = (
      await t.database.db.select({ userId: tasks.userId }).from(tasks).where(eq(tasks.id, seriesId))
    )[0]!;
    await t.database.db.insert(tasks).values(
      [1, 2].map((occurrenceIndex) => ({
        userId,
        title: `Water plants ${occurrenceIndex}`,
        seriesId,
        occurrenceIndex,
      })),
    );
    const body = await list(`series_id=${seriesId}&sort=title`);
    expect(titles(body)).toEqual(['Water plants', 'Water plants 1', 'Water plants 2']);
    expect(body.total).toBe(3);
    // Another user asking for the caller's series finds nothing.
    const other = (await registerUser(t.app)).auth;
    const res = await request(t.app).get(`/api/tasks?series_id=${seriesId}`).set(other).expect(200);
    expect(res.body.items).toEqual([]);
    await t.database.db.delete(tasks).where(eq(tasks.title, 'Water plants 1'));
    await t.database.db.delete(tasks).where(eq(tasks.title, 'Water plants 2'));
    await t.database.db.delete(tasks).where(eq(tasks.id, seriesId));
  });

  it('rejects a malformed series_id naming the field', async () => {
    const res = await request(t.app).get('/api/tasks?series_id=nope').set(auth).expect(400);
    expect(JSON.stringify(res.body)).toContain('query.series_id');
  });

  it('pages with limit and offset without overlap', async () => {
    const first = await list('sort=title&limit=2');
    const second = await list('sort=title&limit=2&offset=2');
    const third = await list('sort=title&limit=2&offset=4');
    expect(first).toMatchObject({ total: 5, limit: 2, offset: 0 });
    expect([...titles(first), ...titles(second), ...titles(third)]).toEqual([
      'Buy groceries',
      'Call mum',
      'Pay rent',
      'Plan trip',
      'Write report',
    ]);
    expect(titles(await list('offset=50'))).toEqual([]);
  });
});
