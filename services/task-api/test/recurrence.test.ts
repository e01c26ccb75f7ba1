import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createTestApp, registerUser, type TestApp } from './support/test-app.js';

describe('recurring tasks through the API', () => {
  let t: TestApp;
  let auth: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp();
    auth = (await registerUser(t.app, 'America/New_York')).auth;
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (body: Record<string, unknown>) =>
    request(t.app).post('/api/tasks').set(auth).send(body);

  it('accepts a full RRULE, stores it canonically in the user zone, and describes it', async () => {
    const res = await create({
      title: 'Gym',
      due_date: '2026-01-05T07:00:00-05:00',
      recurrence: { rrule: 'RRULE:byday=WE,MO;interval=2;freq=weekly' },
    }).expect(201);
    expect(res.body.recurrence).toEqual({
      rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=WE,MO',
      timezone: 'America/New_York',
      anchor: 'due',
      overdue: 'skip',
      dtstart: '2026-01-05T12:00:00.000Z',
      description: 'every 2 weeks on Monday and Wednesday',
    });
    expect(res.body.recurring_type).toBe('custom');
    expect(res.body.occurrence_index).toBe(0);
  });

  it('maps the shorthand to the rule and back', async () => {
    const res = await create({
      title: 'Bills',
      due_date: '2026-01-31T09:00:00Z',
      recurring_type: 'monthly',
    }).expect(201);
    expect(res.body).toMatchObject({
      recurring_type: 'monthly',
      recurrence: {
        rrule: 'FREQ=MONTHLY;RSCALE=GREGORIAN;SKIP=BACKWARD',
        description: 'every month on the 31st (the last day in shorter months)',
      },
    });
  });

  it('takes explicit zone, anchor and overdue policy', async () => {
    const res = await create({
      title: 'Water plants',
      recurrence: {
        rrule: 'FREQ=DAILY;INTERVAL=3',
        timezone: 'Asia/Tokyo',
        anchor: 'completion',
        overdue: 'strict',
      },
    }).expect(201);
    expect(res.body.recurrence).toMatchObject({
      timezone: 'Asia/Tokyo',
      anchor: 'completion',
      overdue: 'strict',
      dtstart: null,
    });
  });

  it.each([
    [{ rrule: 'FREQ=FORTNIGHTLY' }, 'recurrence.rrule', 'FREQ'],
    [{ rrule: 'FREQ=WEEKLY;BYDAY=FUNDAY' }, 'recurrence.rrule', 'BYDAY'],
    [{ rrule: 'FREQ=DAILY;COUNT=2;UNTIL=20260101' }, 'recurrence.rrule', 'COUNT'],
    [{ rrule: 'FREQ=DAILY', timezone: 'Mars/Olympus_Mons' }, 'recurrence.timezone', 'IANA'],
    [{ rrule: 'FREQ=WEEKLY;BYDAY=MO', anchor: 'completion' }, 'recurrence.anchor', 'anchor'],
    [{ rrule: 'FREQ=DAILY', every: 'day' }, 'recurrence.every', 'unknown'],
    [{ rrule: 'FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30' }, 'recurrence.rrule', 'never occurs'],
    [{ rrule: 'FREQ=DAILY;UNTIL=00000101' }, 'recurrence.rrule', 'UNTIL'],
  ])('rejects %j naming %s', async (recurrence, field, message) => {
    const res = await create({ title: 'bad', recurrence }).expect(400);
    const detail = res.body.error.details.find((d: { field: string }) => d.field === field);
    expect(detail).toBeDefined();
    expect(detail.message).toContain(message);
  });

  it('refuses a rule that never occurs after the due date (every 7 days from a Sunday, on Mondays)', async () => {
    const res = await create({
      title: 'never',
      due_date: '2026-01-04T09:00:00Z',
      recurrence: { rrule: 'FREQ=DAILY;INTERVAL=7;BYDAY=MO' },
    }).expect(400);
    expect(res.body.error.details[0]).toMatchObject({ field: 'recurrence.rrule' });
    expect(res.body.error.details[0].message).toContain('never occurs');
  });

  it('refuses the shorthand and the full form together', async () => {
    const res = await create({
      title: 'x',
      recurring_type: 'daily',
      recurrence: { rrule: 'FREQ=DAILY' },
    }).expect(400);
    expect(res.body.error.details[0].field).toBe('recurrence');
  });

  it('re-anchors the series when the rule changes, keeps it when only the due date moves, and stops on null', async () => {
    const id = (
      await create({
        title: 'Review',
        due_date: '2026-02-02T15:00:00Z',
        recurrence: { rrule: 'FREQ=WEEKLY' },
      }).expect(201)
    ).body.id;
    const moved = await request(t.app)
      .patch(`/api/tasks/${id}`)
      .set(auth)
      .send({ due_date: '2026-02-03T15:00:00Z' })
      .expect(200);
    expect(moved.body.recurrence.dtstart).toBe('2026-02-02T15:00:00.000Z');
    const edited = await request(t.app)
      .patch(`/api/tasks/${id}`)
      .set(auth)
      .send({ recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=TU,TH' } })
      .expect(200);
    expect(edited.body.recurrence).toMatchObject({
      rrule: 'FREQ=WEEKLY;BYDAY=TU,TH',
      dtstart: '2026-02-03T15:00:00.000Z',
    });
    const stopped = await request(t.app)
      .patch(`/api/tasks/${id}`)
      .set(auth)
      .send({ recurrence: null })
      .expect(200);
    expect(stopped.body).toMatchObject({ recurrence: null, recurring_type: 'none' });
  });

  it('anchors a series that had no due date when it gets one', async () => {
    const id = (await create({ title: 'Stretch', recurring_type: 'daily' }).expect(201)).body.id;
    const res = await request(t.app)
      .patch(`/api/tasks/${id}`)
      .set(auth)
      .send({ due_date: '2026-05-01T06:00:00Z' })
      .expect(200);
    expect(res.body.recurrence.dtstart).toBe('2026-05-01T06:00:00.000Z');
  });
});

describe('GET /api/recurrence/preview', () => {
  let t: TestApp;
  let auth: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp();
    auth = (await registerUser(t.app, 'Europe/Paris')).auth;
  });
  afterAll(async () => {
    await t.close();
  });

  const preview = (query: Record<string, string>) =>
    request(t.app).get('/api/recurrence/preview').query(query).set(auth);

  it('lists the next occurrences with offsets and describes the rule', async () => {
    const res = await preview({
      rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE',
      start: '2026-01-05T09:00:00+01:00',
      count: '4',
    }).expect(200);
    expect(res.body).toEqual({
      rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE',
      timezone: 'Europe/Paris',
      description: 'every 2 weeks on Monday and Wednesday',
      occurrences: [
        '2026-01-05T09:00:00.000+01:00',
        '2026-01-07T09:00:00.000+01:00',
        '2026-01-19T09:00:00.000+01:00',
        '2026-01-21T09:00:00.000+01:00',
      ],
    });
  });

  it('follows the given zone across DST', async () => {
    const res = await preview({
      rrule: 'FREQ=DAILY',
      start: '2026-03-07T09:00:00-05:00',
      tz: 'America/New_York',
      count: '2',
    }).expect(200);
    expect(res.body.occurrences).toEqual([
      '2026-03-07T09:00:00.000-05:00',
      '2026-03-08T09:00:00.000-04:00',
    ]);
  });

  it.each([
    [{ rrule: 'FREQ=DAILY;BYDAY=XX', start: '2026-01-01T00:00:00Z' }, 'query.rrule'],
    [{ rrule: 'FREQ=DAILY', start: 'next tuesday' }, 'query.start'],
    [{ rrule: 'FREQ=DAILY', start: '2026-01-01T00:00:00Z', tz: 'Nowhere/Land' }, 'query.tz'],
    [{ rrule: 'FREQ=DAILY', start: '2026-01-01T00:00:00Z', count: '1000' }, 'query.count'],
    [
      { rrule: 'FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30', start: '2026-01-01T09:00:00Z' },
      'query.rrule',
    ],
    [{ start: '2026-01-01T00:00:00Z' }, 'query.rrule'],
  ])('answers 400 for %j naming %s', async (query, field) => {
    const res = await preview(query).expect(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('requires a token', async () => {
    await request(t.app)
      .get('/api/recurrence/preview')
      .query({ rrule: 'FREQ=DAILY', start: '2026-01-01T00:00:00Z' })
      .expect(401);
  });
});
