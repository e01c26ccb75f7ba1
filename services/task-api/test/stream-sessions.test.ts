import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { authSessions } from '@todo/db';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { eventually } from '@todo/service-runtime/testing';
import { eq } from 'drizzle-orm';
import type { TaskApiApp } from '../src/app.js';
import request from 'supertest';
import { createEndedSessions } from '../src/auth/live-sessions.js';
import { createSessionsRepository } from '../src/auth/sessions.repository.js';
import { streamReplicas } from './support/stream-replicas.js';
import { registerUser } from './support/test-app.js';

const PASSWORD = 'correct horse battery staple';

/**
 * A stream lives no longer than its session: whatever ends the session (logout, a password change
 * elsewhere, refresh-token reuse, its end of life), on whichever replica, its streams end by the
 * next heartbeat with a last `signed_out` event and no `retry:`, while the user's other sessions
 * keep streaming. Heartbeats come every 50 ms here.
 */
describe('live stream and the session it was opened in', () => {
  let database: TestDatabase;
  const replicas = streamReplicas(() => database);

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterEach(() => replicas.stopAll());
  afterAll(async () => {
    await database.drop();
  });

  /** A second session of the user: a login. */
  async function logIn(app: TaskApiApp, email: string) {
    const res = await request(app)
      .post('/api/auth/login')
      .send({ email, password: PASSWORD })
      .expect(200);
    return { Authorization: `Bearer ${res.body.access_token as string}` };
  }

  it('ends a session’s streams with signed_out when the session ends, on any replica', async () => {
    const a = await replicas.start({ heartbeatMs: 50 });
    const b = await replicas.start({ heartbeatMs: 50 });
    const user = await registerUser(a.app);
    const second = await logIn(a.app, user.email);
    const first = await a.open(user.auth);
    const firstOnB = await b.open(user.auth);
    const other = await b.open(second);
    await Promise.all([first, firstOnB, other].map((sse) => sse.waitForEvents(1)));
    const created = await request(a.app)
      .post('/api/tasks')
      .set(user.auth)
      .send({ title: 'seen' })
      .expect(201);
    await first.waitForEvents(2);

    // A new password through the second session ends the first one, on both replicas.
    await request(b.app)
      .post('/api/auth/password')
      .set(second)
      .send({ current_password: PASSWORD, new_password: 'another long password' })
      .expect(204);
    await Promise.all([first.waitForEnd(), firstOnB.waitForEnd()]);
    for (const ended of [first, firstOnB]) {
      const last = ended.events.at(-1)!;
      expect(last).toMatchObject({ event: 'signed_out', data: { type: 'signed_out' } });
      // Its id is the position reached: signed in again, the client resumes from it.
      expect(last.id).toBe(ended.events.at(-2)!.id);
      expect(last.data.last_event_id).toBe(last.id);
      // Only the opening retry: no invitation to reconnect.
      expect(ended.retries).toHaveLength(1);
    }
    expect(first.events.at(-2)!.data.task).toEqual(created.body);
    expect(a.appLogs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ message: 'stream ended', reason: 'signed out' }),
      ]),
    );

    // The second session's stream was checked in the same round and goes on.
    expect(other.ended()).toBe(false);
    await request(a.app).post('/api/tasks').set(second).send({ title: 'after' }).expect(201);
    const [, , after] = await other.waitForEvents(3);
    expect(after).toMatchObject({ event: 'created', data: { task: { title: 'after' } } });

    // Logging out ends it too.
    await request(a.app).post('/api/auth/logout').set(second).send({}).expect(204);
    await other.waitForEnd();
    expect(other.events.at(-1)).toMatchObject({ event: 'signed_out' });
  });

  it('keeps streaming while the session check fails, and checks again', async () => {
    let failures = 0;
    const { app, open, logs } = await replicas.start({ heartbeatMs: 50 }, undefined, async () => {
      failures += 1;
      throw new Error('the database is away');
    });
    const user = await registerUser(app);
    const sse = await open(user.auth);
    await sse.waitForEvents(1);
    await eventually(() => failures >= 3, { what: 'three failed checks' });
    expect(sse.ended()).toBe(false);
    expect(logs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 'warn',
          message: 'could not check the streams’ sessions; checked again next heartbeat',
        }),
      ]),
    );
  });
});

describe('createEndedSessions', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('names, in one query, the sessions revoked, past their end, gone or of another user', async () => {
    const clock = { ms: Date.parse('2031-03-01T09:00:00Z') };
    const repo = createSessionsRepository();
    let queries = 0;
    const ended = createEndedSessions({
      db: database.db,
      repo: {
        findSessions: (db, ids) => {
          queries += 1;
          return repo.findSessions(db, ids);
        },
      },
      now: () => clock.ms,
    });
    const [owner] = await database.client<{ id: string }[]>`
      INSERT INTO users (email, password_hash) VALUES (${`${randomUUID()}@example.com`}, 'x')
      RETURNING id`;
    const session = (hoursLeft: number) =>
      repo.insertSession(database.db, {
        userId: owner!.id,
        createdAt: new Date(clock.ms - 3_600_000),
        expiresAt: new Date(clock.ms + hoursLeft * 3_600_000),
      });
    const live = await session(24);
    const revoked = await session(24);
    const expired = await session(-1);
    await database.db
      .update(authSessions)
      .set({ revokedAt: new Date(clock.ms) })
      .where(eq(authSessions.id, revoked.id));
    const gone = randomUUID();
    const userId = owner!.id;

    const result = await ended([
      { sessionId: live.id, userId },
      { sessionId: live.id, userId },
      { sessionId: revoked.id, userId },
      { sessionId: expired.id, userId },
      { sessionId: gone, userId },
    ]);
    expect(result).toEqual(new Set([revoked.id, expired.id, gone]));
    expect(queries).toBe(1);
    // A session named with another user (a token it was not issued to) is not live for it.
    expect(await ended([{ sessionId: live.id, userId: randomUUID() }])).toEqual(new Set([live.id]));
    // The live one ends when its time is up.
    clock.ms += 25 * 3_600_000;
    expect(await ended([{ sessionId: live.id, userId }])).toEqual(new Set([live.id]));
  });
});
