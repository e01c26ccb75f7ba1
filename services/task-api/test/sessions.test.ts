import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import type { TaskApiApp } from '../src/app.js';
import request from 'supertest';
import { SESSION_CHECK_TTL_MS } from '../src/auth/live-sessions.js';
import {
  createClockedApp,
  refreshCookieValue,
  refreshSetCookie,
  sessionIdOf,
  testClock,
  type TestClock,
} from './support/session-app.js';

const PASSWORD = 'correct horse battery staple';
let counter = 0;

describe('sessions', () => {
  let database: TestDatabase;
  let clock: TestClock;
  let app: TaskApiApp;
  beforeAll(async () => {
    database = await createTestDatabase();
    clock = testClock();
    app = createClockedApp(database.db, clock);
  });
  afterAll(async () => {
    await database.drop();
  });

  async function register(on: TaskApiApp = app) {
    counter += 1;
    const email = `session${counter}@example.com`;
    const res = await request(on)
      .post('/api/auth/register')
      .send({ email, password: PASSWORD })
      .expect(201);
    return { email, res, body: res.body as Record<string, string> };
  }
  const me = (accessToken: string, on: TaskApiApp = app) =>
    request(on).get('/api/auth/me').set('Authorization', `Bearer ${accessToken}`);
  const refresh = (refreshToken: string, on: TaskApiApp = app) =>
    request(on).post('/api/auth/refresh').send({ refresh_token: refreshToken });
  const sessionRow = async (id: string) =>
    (
      await database.client<{ revoked_reason: string | null; revoked_at: Date | null }[]>`
        SELECT revoked_reason, revoked_at FROM auth_sessions WHERE id = ${id}`
    )[0];

  it('register and login each start a session: an access token with its sid, a refresh token in the body and in an HttpOnly Secure SameSite=Strict cookie on /api/auth', async () => {
    const { email, res, body } = await register();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(body.refresh_expires_in).toBe(30 * 24 * 3600);
    expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(refreshSetCookie(res)).toBe(
      `todo_refresh=${body.refresh_token}; Max-Age=2592000; Path=/api/auth; HttpOnly; Secure; SameSite=Strict`,
    );
    await me(body.access_token!).expect(200);

    const login = await request(app)
      .post('/api/auth/login')
      .send({ email, password: PASSWORD })
      .expect(200);
    expect(refreshCookieValue(login)).toBe(login.body.refresh_token);
    expect(login.body.user.email).toBe(email);
    // Two sign-ins, two sessions (families) of the same user.
    expect(sessionIdOf(login.body.access_token)).not.toBe(sessionIdOf(body.access_token!));
  });

  it('stores refresh tokens only as their SHA-256 hash', async () => {
    const { body } = await register();
    const rows = await database.client<{ token_hash: string; session_id: string }[]>`
      SELECT token_hash, session_id FROM refresh_tokens
      WHERE session_id = ${sessionIdOf(body.access_token!)}`;
    expect(rows).toEqual([
      {
        token_hash: createHash('sha256').update(body.refresh_token!).digest('base64url'),
        session_id: sessionIdOf(body.access_token!),
      },
    ]);
    const leaked = await database.client`
      SELECT 1 FROM refresh_tokens WHERE token_hash = ${body.refresh_token!}`;
    expect(leaked).toHaveLength(0);
  });

  it('refresh rotates: a new pair in the same session, and the old refresh token is used up', async () => {
    const { body } = await register();
    clock.advance(60_000);
    const next = await refresh(body.refresh_token!).expect(200);
    expect(next.body.refresh_token).not.toBe(body.refresh_token);
    expect(next.body.access_token).not.toBe(body.access_token);
    expect(sessionIdOf(next.body.access_token)).toBe(sessionIdOf(body.access_token!));
    // The session's end does not move: a minute later, a minute less.
    expect(next.body.refresh_expires_in).toBe(30 * 24 * 3600 - 60);
    expect(refreshCookieValue(next)).toBe(next.body.refresh_token);
    await me(next.body.access_token).expect(200);
    await refresh(next.body.refresh_token).expect(200);
  });

  it('reuse of a used refresh token revokes the whole family: the newest refresh token and the access tokens stop working', async () => {
    const { body } = await register();
    const sid = sessionIdOf(body.access_token!);
    const next = (await refresh(body.refresh_token!).expect(200)).body;
    await me(next.access_token).expect(200);

    const reused = await refresh(body.refresh_token!);
    expect(reused.status).toBe(401);
    expect(reused.body.error.message).toMatch(/already used/);
    expect(await sessionRow(sid)).toMatchObject({ revoked_reason: 'reuse' });

    const newest = await refresh(next.refresh_token);
    expect(newest.status).toBe(401);
    expect(newest.body.error.message).toBe('session has ended, sign in again');
    // On the replica that saw the reuse, at once (another replica: live-sessions.test.ts).
    const refused = await me(next.access_token);
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toBe('session has ended');
    await me(body.access_token!).expect(401);
  });

  it('of two concurrent refreshes with the same token exactly one rotates; the other is reuse', async () => {
    for (let round = 0; round < 5; round += 1) {
      const { body } = await register();
      const results = await Promise.all([
        refresh(body.refresh_token!),
        refresh(body.refresh_token!),
      ]);
      expect(results.map((res) => res.status).sort()).toEqual([200, 401]);
      const winner = results.find((res) => res.status === 200)!;
      expect(await sessionRow(sessionIdOf(body.access_token!))).toMatchObject({
        revoked_reason: 'reuse',
      });
      await refresh(winner.body.refresh_token).expect(401);
      const used = await database.client<{ n: number }[]>`
        SELECT count(*)::int AS n FROM refresh_tokens
        WHERE session_id = ${sessionIdOf(body.access_token!)} AND used_at IS NOT NULL`;
      expect(used[0]!.n).toBe(2);
    }
  });

  it('an unknown refresh token, a malformed one and none at all answer 401 or 400', async () => {
    const unknown = await refresh('A'.repeat(43));
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.message).toBe('unknown refresh token');
    const malformed = await refresh('not-a-token');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details[0].field).toBe('refresh_token');
    const none = await request(app).post('/api/auth/refresh');
    expect(none.status).toBe(401);
    expect(none.body.error.details[0].field).toBe('refresh_token');
    const extra = await request(app).post('/api/auth/refresh').send({ refresh: 'x' });
    expect(extra.status).toBe(400);
    expect(extra.body.error.details[0].field).toBe('refresh');
  });

  describe('logout', () => {
    it('by refresh token ends the session, clears the cookie, and is idempotent', async () => {
      const { body } = await register();
      const out = await request(app)
        .post('/api/auth/logout')
        .send({ refresh_token: body.refresh_token })
        .expect(204);
      expect(refreshSetCookie(out)).toMatch(
        /^todo_refresh=; Max-Age=0; Path=\/api\/auth; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict$/,
      );
      expect(await sessionRow(sessionIdOf(body.access_token!))).toMatchObject({
        revoked_reason: 'logout',
      });
      await me(body.access_token!).expect(401);
      await refresh(body.refresh_token!).expect(401);
      await request(app)
        .post('/api/auth/logout')
        .send({ refresh_token: body.refresh_token })
        .expect(204);
    });

    it('by access token ends that session only', async () => {
      const { email, body } = await register();
      const other = (
        await request(app).post('/api/auth/login').send({ email, password: PASSWORD }).expect(200)
      ).body;
      await request(app)
        .post('/api/auth/logout')
        .set('Authorization', `Bearer ${body.access_token}`)
        .expect(204);
      await me(body.access_token!).expect(401);
      await refresh(body.refresh_token!).expect(401);
      await me(other.access_token).expect(200);
      await refresh(other.refresh_token).expect(200);
    });

    it('with nothing naming a session still answers 204 and clears the cookie', async () => {
      const res = await request(app).post('/api/auth/logout').expect(204);
      expect(refreshCookieValue(res)).toBe('');
    });
  });

  describe('the refresh cookie', () => {
    const withCookie = (path: string, token: string) =>
      request(app).post(path).set('Cookie', `todo_refresh=${token}`);

    it('refreshes with X-CSRF: 1, answering the next refresh token only as the cookie', async () => {
      const { body } = await register();
      const res = await withCookie('/api/auth/refresh', body.refresh_token!)
        .set('X-CSRF', '1')
        .expect(200);
      expect(res.body).not.toHaveProperty('refresh_token');
      const next = refreshCookieValue(res)!;
      expect(next).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(next).not.toBe(body.refresh_token);
      await me(res.body.access_token).expect(200);
      await withCookie('/api/auth/refresh', next).set('X-CSRF', '1').expect(200);
    });

    it('refuses a cookie-authenticated refresh or logout without X-CSRF with 403 naming it, and uses nothing up', async () => {
      const { body } = await register();
      for (const path of ['/api/auth/refresh', '/api/auth/logout']) {
        const res = await withCookie(path, body.refresh_token!);
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
        expect(res.body.error.details).toEqual([
          { field: 'X-CSRF', message: expect.stringContaining('required') },
        ]);
        const wrongValue = await withCookie(path, body.refresh_token!).set('X-CSRF', 'yes');
        expect(wrongValue.status).toBe(403);
      }
      await refresh(body.refresh_token!).expect(200);
    });

    it('refuses a cookie-authenticated request from an origin that is neither allowed nor the API’s own', async () => {
      const { body } = await register();
      const evil = await withCookie('/api/auth/refresh', body.refresh_token!)
        .set('X-CSRF', '1')
        .set('Origin', 'https://evil.example');
      expect(evil.status).toBe(403);
      expect(evil.body.error.details[0].field).toBe('Origin');
      const allowed = await withCookie('/api/auth/refresh', body.refresh_token!)
        .set('X-CSRF', '1')
        .set('Origin', 'http://localhost:3000')
        .expect(200);
      expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:3000');
      expect(allowed.headers['access-control-allow-credentials']).toBe('true');
      const sameOrigin = await withCookie('/api/auth/logout', refreshCookieValue(allowed)!)
        .set('X-CSRF', '1')
        .set('Host', 'api.todo.test')
        .set('Origin', 'https://api.todo.test')
        .expect(204);
      expect(refreshCookieValue(sameOrigin)).toBe('');
      await me(allowed.body.access_token).expect(401);
    });

    it('needs no CSRF header when the body carries the token, even beside a cookie', async () => {
      const { body } = await register();
      await withCookie('/api/auth/refresh', 'A'.repeat(43))
        .send({ refresh_token: body.refresh_token })
        .expect(200);
    });

    it('a refresh whose cookie no longer works clears it', async () => {
      const res = await withCookie('/api/auth/refresh', 'B'.repeat(43)).set('X-CSRF', '1');
      expect(res.status).toBe(401);
      expect(refreshCookieValue(res)).toBe('');
    });

    it('is not Secure when REFRESH_COOKIE_SECURE is off (plain-http development)', async () => {
      const plain = createClockedApp(database.db, clock, { refreshCookieSecure: false });
      const { res } = await register(plain);
      expect(refreshSetCookie(res)).toMatch(/; HttpOnly; SameSite=Strict$/);
      expect(refreshSetCookie(res)).not.toMatch(/Secure/);
    });
  });

  describe('an expired session', () => {
    it('refuses its refresh and access tokens once its absolute lifetime is over, refreshes or not', async () => {
      // Sessions of 10 minutes with 15-minute access tokens: the session ends first.
      const short = createClockedApp(database.db, clock, { sessionTtlSeconds: 600 });
      const { body } = await register(short);
      expect(body.refresh_expires_in).toBe(600);
      clock.advance(300_000);
      const next = (await refresh(body.refresh_token!, short).expect(200)).body;
      expect(next.refresh_expires_in).toBe(300);
      await me(next.access_token, short).expect(200);
      clock.advance(300_000);
      const late = await refresh(next.refresh_token, short);
      expect(late.status).toBe(401);
      expect(late.body.error.message).toBe('session has ended, sign in again');
      // The access token is 10 minutes old and not expired, but its session is.
      const refused = await me(next.access_token, short);
      expect(refused.status).toBe(401);
      expect(refused.body.error.message).toBe('session has ended');
    });

    it('refuses an access token past its own expiry while the session lives on', async () => {
      const { body } = await register();
      clock.advance(900_000);
      await me(body.access_token!).expect(401);
      const next = (await refresh(body.refresh_token!).expect(200)).body;
      await me(next.access_token).expect(200);
    });
  });

  it('another replica refuses a revoked session’s access tokens within the liveness bound', async () => {
    const replicaB = createClockedApp(database.db, clock);
    const { body } = await register();
    // B has checked the session and remembers it is live.
    await me(body.access_token!, replicaB).expect(200);
    await request(app)
      .post('/api/auth/logout')
      .send({ refresh_token: body.refresh_token })
      .expect(204);
    await me(body.access_token!).expect(401);
    // Within the bound B still believes its check; at the bound it asks again.
    clock.advance(SESSION_CHECK_TTL_MS - 1);
    await me(body.access_token!, replicaB).expect(200);
    clock.advance(1);
    const refused = await me(body.access_token!, replicaB);
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toBe('session has ended');
  });
});
