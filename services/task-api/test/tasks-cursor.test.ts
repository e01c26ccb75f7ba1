import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { TITLE_MAX_LENGTH } from '@todo/contracts';
import { CURSOR_MAX_LENGTH, encodeListCursor } from '../src/tasks/task-list-cursor.js';
import { TOTAL_COUNT_CAP } from '../src/tasks/task-list-queries.js';
import { SORT_ORDERS, TASK_SORT_FIELDS } from '../src/tasks/task-list-sort.js';
import { createTestApp, registerUser, type TestApp } from './support/test-app.js';

interface ListBody {
  items: Array<{ id: string; title: string; due_date: string | null }>;
  total: number;
  total_capped: boolean;
  limit: number;
  offset: number;
  next_cursor: string | null;
}

describe('listing tasks by cursor', () => {
  let t: TestApp;
  let auth: { Authorization: string };
  let userId: string;

  const list = async (query: string, who = auth) => {
    const res = await request(t.app).get(`/api/tasks?${query}`).set(who).expect(200);
    return res.body as ListBody;
  };
  const ids = (body: ListBody) => body.items.map((i) => i.id);

  /** Every page by cursor, `limit` at a time, checking each page links to the next. */
  async function walk(query: string, limit: number): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page += 1) {
      const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const body = await list(`${query}&limit=${limit}${suffix}`);
      expect(body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...ids(body));
      cursor = body.next_cursor;
      if (!cursor) return seen;
      expect(body.items).toHaveLength(limit);
    }
    throw new Error('the cursor never reached the end');
  }

  beforeAll(async () => {
    t = await createTestApp();
    const user = await registerUser(t.app);
    auth = user.auth;
    userId = user.id;
    // Ties in every sort key (the id decides), undated tasks (last in either direction), and
    // creation times a few microseconds apart within one millisecond: a cursor rounded to the
    // millisecond would skip or repeat them.
    await t.database.client`
      INSERT INTO tasks (user_id, title, priority, due_at, created_at, updated_at)
      SELECT ${userId}::uuid,
        (ARRAY['Alpha', 'Bravo', 'Charlie', 'Bravo'])[1 + g % 4],
        (ARRAY['low', 'medium', 'high'])[1 + g % 3]::task_priority,
        CASE WHEN g % 3 <> 0 THEN timestamptz '2026-03-01' + (g % 4) * interval '1 day' END,
        timestamptz '2026-01-01 12:00:00.123' + (g % 5) * interval '3 microseconds',
        timestamptz '2026-02-01' + (g % 2) * interval '1 minute'
      FROM generate_series(1, 23) g`;
  });
  afterAll(async () => {
    await t.close();
  });

  const orders = TASK_SORT_FIELDS.flatMap((sort) => SORT_ORDERS.map((order) => ({ sort, order })));

  it.each(orders)(
    'pages through $sort $order exactly as one long page lists them',
    async ({ sort, order }) => {
      const whole = await list(`sort=${sort}&order=${order}&limit=100`);
      expect(whole.items).toHaveLength(23);
      expect(whole.next_cursor).toBeNull();
      for (const limit of [1, 4, 7]) {
        expect(await walk(`sort=${sort}&order=${order}`, limit)).toEqual(ids(whole));
      }
    },
  );

  it('crosses from dated to undated tasks in either direction', async () => {
    for (const order of SORT_ORDERS) {
      const walked = await walk(`sort=due_date&order=${order}`, 5);
      const whole = await list(`sort=due_date&order=${order}&limit=100`);
      const dated = whole.items.filter((i) => i.due_date !== null);
      expect(whole.items.slice(dated.length).every((i) => i.due_date === null)).toBe(true);
      expect(walked).toEqual(ids(whole));
    }
    // Filtered by due date, no undated task follows.
    const walked = await walk('sort=due_date&due_after=2026-03-02T00:00:00Z', 3);
    const whole = await list('sort=due_date&due_after=2026-03-02T00:00:00Z&limit=100');
    expect(walked).toEqual(ids(whole));
    expect(whole.items.every((i) => i.due_date !== null)).toBe(true);
  });

  it('keeps filters across pages', async () => {
    const whole = await list('priority=high&sort=title&limit=100');
    expect(await walk('priority=high&sort=title', 2)).toEqual(ids(whole));
    expect(whole.items.length).toBeGreaterThan(2);
  });

  it('continues after the same task when tasks are created or deleted meanwhile', async () => {
    const other = await registerUser(t.app);
    const created = [];
    for (const title of ['one', 'two', 'three', 'four', 'five']) {
      const res = await request(t.app)
        .post('/api/tasks')
        .set(other.auth)
        .send({ title })
        .expect(201);
      created.push(res.body.id as string);
    }
    const newestFirst = [...created].reverse();
    const first = await list('limit=2', other.auth);
    expect(ids(first)).toEqual(newestFirst.slice(0, 2));
    // New tasks go before the first page, and the cursor's own task disappears.
    await request(t.app).post('/api/tasks').set(other.auth).send({ title: 'six' }).expect(201);
    await request(t.app).delete(`/api/tasks/${newestFirst[1]!}`).set(other.auth).expect(204);
    const second = await list(`limit=2&cursor=${first.next_cursor!}`, other.auth);
    expect(ids(second)).toEqual(newestFirst.slice(2, 4));
    const third = await list(`limit=2&cursor=${second.next_cursor!}`, other.auth);
    expect(ids(third)).toEqual(newestFirst.slice(4));
    expect(third.next_cursor).toBeNull();
  });

  it('gives a cursor with offset pages too, continuing after that page', async () => {
    const whole = await list('sort=title&limit=100');
    const byOffset = await list('sort=title&limit=5&offset=5');
    const next = await list(`sort=title&limit=5&cursor=${byOffset.next_cursor!}`);
    expect(ids(next)).toEqual(ids(whole).slice(10, 15));
  });

  it('carries the longest title within the cursor length the query accepts', async () => {
    const other = await registerUser(t.app);
    // JSON writes each control character as six: the longest cursor a title can give.
    for (const last of ['a', 'b']) {
      await request(t.app)
        .post('/api/tasks')
        .set(other.auth)
        .send({ title: '\u0001'.repeat(TITLE_MAX_LENGTH - 1) + last })
        .expect(201);
    }
    const first = await list('sort=title&limit=1', other.auth);
    expect(first.next_cursor!.length).toBeLessThanOrEqual(CURSOR_MAX_LENGTH);
    const second = await list(`sort=title&limit=1&cursor=${first.next_cursor!}`, other.auth);
    expect(second.items.map((i) => i.title.at(-1))).toEqual(['b']);
  });

  describe('refuses a cursor it did not issue for this query', () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const id = '7b0d2a43-2c4a-4f5e-9d55-1e0c5a1f2b3c';

    it.each([
      ['garbled', 'not a cursor!'],
      ['not JSON', Buffer.from('{oops').toString('base64url')],
      ['another version', b64([2, 'created_at', 'desc', '2026-01-01T00:00:00.000000Z', id])],
      ['an unknown sort', b64([1, 'password', 'desc', 'x', id])],
      ['a key of another sort', b64([1, 'created_at', 'desc', 'high', id])],
      ['a null key where nulls cannot be', b64([1, 'created_at', 'desc', null, id])],
      ['an impossible date', b64([1, 'created_at', 'desc', '2026-02-31T00:00:00.000000Z', id])],
      ['a millisecond key', b64([1, 'created_at', 'desc', '2026-01-01T00:00:00.000Z', id])],
      ['an unknown priority', b64([1, 'priority', 'desc', 'urgent', id])],
      ['a NUL in a title', b64([1, 'title', 'asc', 'a\u0000b', id])],
      ['an id that is no uuid', b64([1, 'title', 'asc', 'Alpha', "1' OR '1'='1"])],
      ['extra elements', b64([1, 'title', 'asc', 'Alpha', id, 'more'])],
      ['too long', 'A'.repeat(5000)],
      ['empty', ''],
    ])('%s', async (_name, cursor) => {
      const res = await request(t.app)
        .get(`/api/tasks?sort=created_at&cursor=${encodeURIComponent(cursor)}`)
        .set(auth);
      expect(res.status).toBe(400);
      expect(res.body.error.details).toContainEqual(
        expect.objectContaining({ field: 'query.cursor' }),
      );
    });

    it('issued for another sort or order', async () => {
      const byTitle = await list('sort=title&limit=2');
      for (const query of ['sort=created_at', 'sort=title&order=desc']) {
        const res = await request(t.app)
          .get(`/api/tasks?${query}&cursor=${byTitle.next_cursor!}`)
          .set(auth);
        expect(res.status).toBe(400);
        expect(res.body.error.details).toContainEqual(
          expect.objectContaining({ field: 'query.cursor' }),
        );
      }
    });

    it('together with an offset', async () => {
      const first = await list('limit=2');
      const res = await request(t.app)
        .get(`/api/tasks?limit=2&offset=2&cursor=${first.next_cursor!}`)
        .set(auth);
      expect(res.status).toBe(400);
      expect(res.body.error.details).toContainEqual(
        expect.objectContaining({ field: 'query.offset' }),
      );
    });

    it('but takes a well-formed position, which only ever shows the caller’s own tasks', async () => {
      const intruder = await registerUser(t.app);
      const cursor = encodeListCursor({
        sort: 'created_at',
        order: 'desc',
        key: '2100-01-01T00:00:00.000000Z',
        id,
      });
      const body = await list(`cursor=${cursor}`, intruder.auth);
      expect(body.items).toEqual([]);
      expect(body.next_cursor).toBeNull();
    });
  });

  describe('total', () => {
    it('is exact for a list under the cap', async () => {
      const body = await list('limit=3');
      expect(body).toMatchObject({ total: 23, total_capped: false });
      expect(await list('limit=3&priority=high')).toMatchObject({ total: 8, total_capped: false });
    });

    it(`stops counting after ${TOTAL_COUNT_CAP} unless include_total=true asks for the exact count`, async () => {
      const big = await registerUser(t.app);
      await t.database.client`
        INSERT INTO tasks (user_id, title)
        SELECT ${big.id}::uuid, 'task ' || g FROM generate_series(1, ${TOTAL_COUNT_CAP + 5}) g`;
      expect(await list('limit=1', big.auth)).toMatchObject({
        total: TOTAL_COUNT_CAP,
        total_capped: true,
      });
      expect(await list('limit=1&include_total=true', big.auth)).toMatchObject({
        total: TOTAL_COUNT_CAP + 5,
        total_capped: false,
      });
      expect(await list('limit=1&include_total=false&q=task%2099', big.auth)).toMatchObject({
        total: 11,
        total_capped: false,
      });
    });

    it('counts a tag’s tasks as their tags change, capped or exact', async () => {
      const user = await registerUser(t.app);
      await t.database.client`
        INSERT INTO tasks (user_id, title, tags)
        SELECT ${user.id}::uuid, 'tagged ' || g, ARRAY['bulk', 'n' || g % 2]
        FROM generate_series(1, ${TOTAL_COUNT_CAP + 5}) g`;
      expect(await list('limit=1&tag=bulk', user.auth)).toMatchObject({
        total: TOTAL_COUNT_CAP,
        total_capped: true,
      });
      expect(await list('limit=1&tag=bulk&include_total=true', user.auth)).toMatchObject({
        total: TOTAL_COUNT_CAP + 5,
        total_capped: false,
      });
      const [first, second] = (await list('limit=2&tag=bulk', user.auth)).items;
      await request(t.app)
        .patch(`/api/tasks/${first!.id}`)
        .set(user.auth)
        .send({ tags: ['moved'] })
        .expect(200);
      await request(t.app).delete(`/api/tasks/${second!.id}`).set(user.auth).expect(204);
      expect(await list('limit=1&tag=bulk&include_total=true', user.auth)).toMatchObject({
        total: TOTAL_COUNT_CAP + 3,
      });
      expect(await list('limit=1&tag=moved', user.auth)).toMatchObject({
        total: 1,
        total_capped: false,
      });
      // Another user's tasks under the same tag are not counted.
      expect(await list('limit=1&tag=bulk')).toMatchObject({ total: 0 });
    });

    it('refuses include_total other than true or false', async () => {
      const res = await request(t.app).get('/api/tasks?include_total=yes').set(auth);
      expect(res.status).toBe(400);
      expect(res.body.error.details).toContainEqual(
        expect.objectContaining({ field: 'query.include_total' }),
      );
    });
  });
});
