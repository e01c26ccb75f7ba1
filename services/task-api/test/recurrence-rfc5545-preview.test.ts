import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RFC5545_EXAMPLES } from '@todo/recurrence/conformance';
import { DateTime } from 'luxon';
import request from 'supertest';
import { createTestApp, registerUser, type TestApp } from './support/test-app.js';

/**
 * Every example of RFC 5545 section 3.8.5.3 with a definite answer, through the preview endpoint:
 * the occurrences it lists are the RFC's (up to the endpoint's 100).
 */
describe('GET /api/recurrence/preview answers the RFC 5545 examples', () => {
  let t: TestApp;
  let auth: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp();
    auth = (await registerUser(t.app, 'Europe/Paris')).auth;
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(RFC5545_EXAMPLES.map((e) => [e.name, e] as const))('%s', async (_, example) => {
    const start = DateTime.fromISO(example.dtstart, { zone: example.zone });
    const res = await request(t.app)
      .get('/api/recurrence/preview')
      .query({ rrule: example.rrule, start: start.toISO(), tz: example.zone, count: '100' })
      .set(auth)
      .expect(200);
    const local = (res.body.occurrences as string[]).map((o) =>
      DateTime.fromISO(o, { zone: example.zone }).toFormat("yyyy-MM-dd'T'HH:mm"),
    );
    const expected = example.expected.map((d) =>
      d.includes('T') ? d : `${d}${example.dtstart.slice(10)}`,
    );
    const listed = (example.dropStart ? local.slice(1) : local).slice(0, expected.length);
    const finite = /COUNT=|UNTIL=/.test(example.rrule) && expected.length < 100;
    expect(listed).toEqual(finite ? expected : expected.slice(0, listed.length));
    if (finite) expect(local).toHaveLength(expected.length + (example.dropStart ? 1 : 0));
    expect(res.body.timezone).toBe(example.zone);
  });
});
