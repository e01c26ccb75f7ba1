import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { MIN_TASK_REPEAT_MINUTES } from '../src/recurrence/repeat-limit.js';
import { createTestApp, registerUser, type TestApp } from './support/test-app.js';

describe('the whole RRULE grammar on tasks, within the product limit', () => {
  let t: TestApp;
  let auth: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp();
    auth = (await registerUser(t.app, 'Europe/Paris')).auth;
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (rrule: string, due = '2026-01-05T08:00:00+01:00') =>
    request(t.app)
      .post('/api/tasks')
      .set(auth)
      .send({ title: 'Repeat', due_date: due, recurrence: { rrule } });

  it.each([
    ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 'the last weekday of every month'],
    ['FREQ=DAILY;BYHOUR=8,20;BYMINUTE=0', 'every day at 8:00 and 20:00'],
    ['FREQ=HOURLY;INTERVAL=3', 'every 3 hours'],
    ['FREQ=MINUTELY;INTERVAL=90', 'every 90 minutes'],
    ['FREQ=MINUTELY;INTERVAL=15', 'every 15 minutes'],
    ['FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO', 'every year in week 1 on Monday'],
    ['FREQ=YEARLY;BYYEARDAY=100', 'every year on day 100 of the year'],
  ])('creates a task repeating %s (%s)', async (rrule, description) => {
    const res = await create(rrule).expect(201);
    expect(res.body.recurrence).toMatchObject({ rrule, description });
  });

  it.each([
    ['FREQ=MINUTELY;INTERVAL=5', '5 minutes'],
    ['FREQ=SECONDLY;INTERVAL=30', '30 seconds'],
    ['FREQ=DAILY;BYHOUR=8;BYMINUTE=0,10', '10 minutes'],
    ['FREQ=HOURLY;BYMINUTE=0,50', '10 minutes'],
  ])('refuses a task repeating %s, naming the limit', async (rrule, every) => {
    const res = await create(rrule).expect(400);
    expect(res.body.error.details).toEqual([
      {
        field: 'recurrence.rrule',
        message: expect.stringContaining(
          `repeats every ${every} at its most frequent; a task may repeat at most every ${MIN_TASK_REPEAT_MINUTES} minutes`,
        ),
      },
    ]);
  });

  it('refuses the limit on an update too, and leaves the task as it was', async () => {
    const created = await create('FREQ=HOURLY').expect(201);
    await request(t.app)
      .patch(`/api/tasks/${created.body.id}`)
      .set(auth)
      .send({ recurrence: { rrule: 'FREQ=MINUTELY' } })
      .expect(400);
    const read = await request(t.app).get(`/api/tasks/${created.body.id}`).set(auth).expect(200);
    expect(read.body.recurrence.rrule).toBe('FREQ=HOURLY');
  });

  it('still previews a rule the limit refuses for tasks', async () => {
    const res = await request(t.app)
      .get('/api/recurrence/preview')
      .query({ rrule: 'FREQ=MINUTELY;INTERVAL=5', start: '2026-01-05T08:00:00+01:00', count: '3' })
      .set(auth)
      .expect(200);
    expect(res.body.occurrences).toEqual([
      '2026-01-05T08:00:00.000+01:00',
      '2026-01-05T08:05:00.000+01:00',
      '2026-01-05T08:10:00.000+01:00',
    ]);
  });

  it.each([
    ['FREQ=WEEKLY;BYMONTHDAY=1', 'BYMONTHDAY'],
    ['FREQ=DAILY;BYDAY=1MO', 'BYDAY'],
    ['FREQ=WEEKLY;BYDAY=-1FR', 'BYDAY'],
    ['FREQ=MONTHLY;BYWEEKNO=1', 'BYWEEKNO'],
    ['FREQ=MONTHLY;BYYEARDAY=1', 'BYYEARDAY'],
    ['FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO', 'BYDAY'],
    ['FREQ=DAILY;COUNT=2;UNTIL=20270101', 'COUNT'],
    ['FREQ=DAILY;BYHOUR=24', 'BYHOUR'],
    ['FREQ=MONTHLY;BYSETPOS=1', 'BYSETPOS'],
    ['FREQ=HOURLY;INTERVAL=2;BYHOUR=1', 'never occurs'],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', 'never occurs'],
  ])('refuses %s with a 400 naming %s, on tasks and in the preview', async (rrule, part) => {
    const res = await create(rrule, '2026-01-05T00:00:00+01:00').expect(400);
    expect(res.body.error.details[0]).toEqual({
      field: 'recurrence.rrule',
      message: expect.stringContaining(part),
    });
    const preview = await request(t.app)
      .get('/api/recurrence/preview')
      .query({ rrule, start: '2026-01-05T00:00:00+01:00' })
      .set(auth)
      .expect(400);
    expect(preview.body.error.details[0]).toEqual({
      field: 'query.rrule',
      message: expect.stringContaining(part),
    });
  });
});
