import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createTestApp, registerUser, type TestApp } from './support/test-app.js';

describe('PATCH /api/auth/me', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const patchMe = (auth: Record<string, string>, body: unknown) =>
    request(t.app)
      .patch('/api/auth/me')
      .set(auth)
      .send(body as object);
  const me = async (auth: Record<string, string>) =>
    (await request(t.app).get('/api/auth/me').set(auth).expect(200)).body;
  const fieldsOf = (body: { error: { details?: Array<{ field: string }> } }) =>
    (body.error.details ?? []).map((d) => d.field);

  it('changes the time zone and the name, answers the changed user, and /me says the same', async () => {
    const user = await registerUser(t.app, 'Europe/London');
    const res = await patchMe(user.auth, { timezone: 'America/New_York', name: '  Ada  ' }).expect(
      200,
    );
    expect(res.body).toMatchObject({
      id: user.id,
      email: user.email,
      name: 'Ada',
      timezone: 'America/New_York',
    });
    expect(await me(user.auth)).toEqual(res.body);
  });

  it('changes only the fields given; name null removes the name', async () => {
    const user = await registerUser(t.app, 'Asia/Tokyo');
    await patchMe(user.auth, { name: 'Grace' }).expect(200);
    expect(await me(user.auth)).toMatchObject({ name: 'Grace', timezone: 'Asia/Tokyo' });
    await patchMe(user.auth, { timezone: 'Europe/Paris' }).expect(200);
    expect(await me(user.auth)).toMatchObject({ name: 'Grace', timezone: 'Europe/Paris' });
    await patchMe(user.auth, { name: null }).expect(200);
    expect(await me(user.auth)).toMatchObject({ name: null, timezone: 'Europe/Paris' });
  });

  it('refuses a zone that is not an IANA zone with 400 naming timezone, changing nothing', async () => {
    const user = await registerUser(t.app, 'Europe/Berlin');
    const res = await patchMe(user.auth, { timezone: 'Mars/Olympus_Mons', name: 'X' }).expect(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(fieldsOf(res.body)).toEqual(['timezone']);
    expect(await me(user.auth)).toMatchObject({ name: null, timezone: 'Europe/Berlin' });
  });

  it.each([
    ['an empty name', { name: '   ' }, 'name'],
    ['a name over 100 characters', { name: 'n'.repeat(101) }, 'name'],
    ['a zone of the wrong type', { timezone: 3 }, 'timezone'],
    ['an unknown field', { email: 'other@example.com' }, 'email'],
  ])('refuses %s with 400 naming the field', async (_case, body, field) => {
    const user = await registerUser(t.app);
    const res = await patchMe(user.auth, body).expect(400);
    expect(fieldsOf(res.body)).toContain(field);
  });

  it('refuses an empty body with 400', async () => {
    const user = await registerUser(t.app);
    const res = await patchMe(user.auth, {}).expect(400);
    expect(JSON.stringify(res.body.error)).toMatch(/at least one field/);
  });

  it('makes the new zone the default of previews and new recurring tasks; existing series keep theirs', async () => {
    const user = await registerUser(t.app, 'Europe/London');
    const before = await request(t.app)
      .post('/api/tasks')
      .set(user.auth)
      .send({ title: 'Before', recurring_type: 'weekly', due_date: '2026-03-02T09:00:00Z' })
      .expect(201);
    expect(before.body.recurrence.timezone).toBe('Europe/London');

    await patchMe(user.auth, { timezone: 'Australia/Sydney' }).expect(200);

    const after = await request(t.app)
      .post('/api/tasks')
      .set(user.auth)
      .send({ title: 'After', recurring_type: 'weekly', due_date: '2026-03-02T09:00:00Z' })
      .expect(201);
    expect(after.body.recurrence.timezone).toBe('Australia/Sydney');
    const preview = await request(t.app)
      .get('/api/recurrence/preview')
      .query({ rrule: 'FREQ=DAILY', start: '2026-03-02T09:00:00Z', count: '1' })
      .set(user.auth)
      .expect(200);
    expect(preview.body.timezone).toBe('Australia/Sydney');
    const kept = await request(t.app).get(`/api/tasks/${before.body.id}`).set(user.auth);
    expect(kept.body.recurrence.timezone).toBe('Europe/London');
  });

  it('changes only the caller', async () => {
    const a = await registerUser(t.app, 'UTC');
    const b = await registerUser(t.app, 'UTC');
    await patchMe(a.auth, { timezone: 'Pacific/Auckland' }).expect(200);
    expect((await me(b.auth)).timezone).toBe('UTC');
  });

  it('needs an access token', async () => {
    await request(t.app).patch('/api/auth/me').send({ timezone: 'UTC' }).expect(401);
  });
});
