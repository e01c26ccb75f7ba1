import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import type { TaskApiApp } from '../src/app.js';
import request from 'supertest';
import { PostgresRateLimitStore } from '../src/rate-limit/postgres-store.js';
import { createAppOver, registerUser } from './support/test-app.js';

type Auth = { Authorization: string };

/**
 * Two app instances on one database stand for two replicas: each has its own process state, and
 * only what is in PostgreSQL is shared between them.
 */
describe('rate limits shared by every replica', () => {
  let database: TestDatabase;
  let replicaA: TaskApiApp;
  let replicaB: TaskApiApp;
  const limits = { auth: 4, sessions: 6, writes: 5, previews: 3 };

  const replica = (): TaskApiApp =>
    createAppOver(database.db, {
      authRateLimitPerMinute: limits.auth,
      sessionRateLimitPerMinute: limits.sessions,
      writeRateLimitPerMinute: limits.writes,
      previewRateLimitPerMinute: limits.previews,
    }).app;

  beforeAll(async () => {
    database = await createTestDatabase();
    replicaA = replica();
    replicaB = replica();
  });
  afterAll(async () => {
    await database.drop();
  });

  /** Each test starts with fresh windows; users are registered outside the auth limit. */
  const fresh = async () => {
    await database.client`DELETE FROM rate_limit_hits`;
  };
  const newUser = async (): Promise<Auth> => {
    const user = await registerUser(replicaA);
    await fresh();
    return user.auth;
  };
  const write = (app: TaskApiApp, auth: Auth) =>
    request(app).post('/api/tasks').set(auth).send({ title: 'x' });

  it('issue 10: counts a user’s writes across replicas and answers the next one 429 with Retry-After and RateLimit', async () => {
    const auth = await newUser();
    for (let i = 0; i < limits.writes; i += 1) {
      const res = await write(i % 2 ? replicaB : replicaA, auth);
      expect(res.status).toBe(201);
      expect(res.headers.ratelimit).toMatch(
        new RegExp(`^"write"; r=${limits.writes - i - 1}; t=(59|60)$`),
      );
    }
    for (const app of [replicaA, replicaB]) {
      const refused = await write(app, auth);
      expect(refused.status).toBe(429);
      expect(refused.body.error).toEqual({
        code: 'rate_limited',
        message: 'too many changes, try again later',
      });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(refused.headers['ratelimit-policy']).toMatch(/^"write"; q=5; w=60;/);
    }
    const tasks = await database.client`SELECT count(*)::int AS n FROM tasks`;
    expect(tasks[0]!.n).toBe(limits.writes);
  });

  it('limits each of PUT, PATCH, DELETE and the status routes as writes, and no reads', async () => {
    const auth = await newUser();
    const id = (await write(replicaA, auth).expect(201)).body.id as string;
    const writes = [
      request(replicaB).put(`/api/tasks/${id}`).set(auth).send({ title: 'y' }),
      request(replicaA).patch(`/api/tasks/${id}`).set(auth).send({ title: 'z' }),
      request(replicaB).post(`/api/tasks/${id}/complete`).set(auth),
      request(replicaA).patch(`/api/tasks/${id}/toggle`).set(auth),
    ];
    for (const res of await Promise.all(writes)) expect(res.status).toBe(200);
    for (let i = 0; i < 3 * limits.writes; i += 1) {
      await request(replicaB).get(`/api/tasks/${id}`).set(auth).expect(200);
    }
    const refused = await request(replicaA).delete(`/api/tasks/${id}`).set(auth);
    expect(refused.status).toBe(429);
    await request(replicaA).get('/api/tasks').set(auth).expect(200);
  });

  it('keeps one user’s limit from touching another user', async () => {
    const first = await newUser();
    const second = await newUser();
    for (let i = 0; i < limits.writes; i += 1) await write(replicaA, first).expect(201);
    await write(replicaB, first).expect(429);
    await write(replicaB, second).expect(201);
  });

  it('issue 10: counts a user’s previews across replicas', async () => {
    const auth = await newUser();
    const preview = (app: TaskApiApp) =>
      request(app)
        .get('/api/recurrence/preview')
        .query({ rrule: 'FREQ=DAILY', start: '2026-01-01T09:00:00Z' })
        .set(auth);
    for (let i = 0; i < limits.previews; i += 1) {
      await preview(i % 2 ? replicaB : replicaA).expect(200);
    }
    const refused = await preview(replicaB);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(refused.headers['retry-after']).toBeDefined();
    // Previews and writes are separate budgets.
    await write(replicaA, auth).expect(201);
  });

  it('issue 10: counts login and register attempts per IP across replicas', async () => {
    await fresh();
    const attempt = (app: TaskApiApp) =>
      request(app)
        .post('/api/auth/login')
        .send({ email: 'nobody@example.com', password: 'wrong password' });
    for (let i = 0; i < limits.auth; i += 1) {
      await attempt(i % 2 ? replicaB : replicaA).expect(401);
    }
    const refused = await request(replicaB)
      .post('/api/auth/register')
      .send({ email: 'new@example.com', password: 'a long password' });
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toBe('too many attempts, try again later');
    expect(refused.headers['ratelimit-policy']).toMatch(/^"auth"; q=4; w=60;/);
  });

  it('counts refreshes and logouts per IP apart from password requests, so page loads cannot lock sign-in out', async () => {
    await fresh();
    const refresh = (app: TaskApiApp) =>
      request(app)
        .post('/api/auth/refresh')
        .send({ refresh_token: 'x'.repeat(43) });
    for (let i = 0; i < limits.sessions; i += 1) {
      await refresh(i % 2 ? replicaB : replicaA).expect(401);
    }
    const refused = await request(replicaA).post('/api/auth/logout').send({});
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toBe('too many session requests, try again later');
    expect(refused.headers['ratelimit-policy']).toMatch(/^"session"; q=6; w=60;/);
    // The password budget is untouched.
    await request(replicaB)
      .post('/api/auth/login')
      .send({ email: 'nobody@example.com', password: 'wrong password' })
      .expect(401);
  });

  it('does not count requests refused before the caller is known', async () => {
    await fresh();
    for (let i = 0; i < 2 * limits.writes; i += 1) {
      await request(replicaA).post('/api/tasks').send({ title: 'x' }).expect(401);
    }
    const counters = await database.client`SELECT count(*)::int AS n FROM rate_limit_hits`;
    expect(counters[0]!.n).toBe(0);
  });
});

describe('PostgresRateLimitStore', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  const storeWithWindow = (prefix: string, windowMs: number) => {
    const store = new PostgresRateLimitStore(database.db, prefix);
    store.init({ windowMs } as Parameters<PostgresRateLimitStore['init']>[0]);
    return store;
  };

  it('counts concurrent hits exactly once each', async () => {
    const store = storeWithWindow('concurrent:', 60_000);
    const results = await Promise.all(Array.from({ length: 40 }, () => store.increment('k')));
    expect(results.map((r) => r.totalHits).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    expect((await store.get('k'))?.totalHits).toBe(40);
  });

  it('starts a new window once the stored one has passed, and purges expired counters', async () => {
    const store = storeWithWindow('short:', 300);
    const first = await store.increment('k');
    expect(first.totalHits).toBe(1);
    expect(first.resetTime!.getTime()).toBeGreaterThan(Date.now());
    expect((await store.increment('k')).totalHits).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await store.get('k')).toBeUndefined();
    await store.increment('other');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await store.purgeExpired()).toBeGreaterThanOrEqual(1);
    const left = await database.client`SELECT key FROM rate_limit_hits WHERE key LIKE 'short:%'`;
    expect(left).toHaveLength(0);
    expect((await store.increment('k')).totalHits).toBe(1);
  });

  it('keeps prefixes apart, and decrements and resets one key', async () => {
    const a = storeWithWindow('a:', 60_000);
    const b = storeWithWindow('b:', 60_000);
    await a.increment('same');
    await a.increment('same');
    expect((await b.increment('same')).totalHits).toBe(1);
    await a.decrement('same');
    expect((await a.get('same'))?.totalHits).toBe(1);
    await a.resetKey('same');
    expect(await a.get('same')).toBeUndefined();
    expect((await b.get('same'))?.totalHits).toBe(1);
  });
});
