import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { hash, verify } from '@node-rs/argon2';
import { SignJWT, base64url } from 'jose';
import request from 'supertest';
import { createPasswordHasher } from '../src/auth/password-hasher.js';
import { createUsersRepository } from '../src/auth/users.repository.js';
import {
  createTestApp,
  registerUser,
  TEST_TOKEN_CONFIG,
  type TestApp,
} from './support/test-app.js';

const key = new TextEncoder().encode(TEST_TOKEN_CONFIG.secret);

function sign(
  claims: Record<string, unknown>,
  options: { secret?: Uint8Array; exp?: string | number | null } = {},
) {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(TEST_TOKEN_CONFIG.issuer)
    .setAudience(TEST_TOKEN_CONFIG.audience)
    .setIssuedAt();
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? '1h');
  return jwt.sign(options.secret ?? key);
}

describe('accounts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('registers, logs in and answers /me with the same account', async () => {
    const reg = await request(t.app)
      .post('/api/auth/register')
      .send({
        email: '  Ada@Example.com ',
        password: 'analytical-engine',
        name: 'Ada',
        timezone: 'Europe/London',
      })
      .expect(201);
    expect(reg.body.token_type).toBe('Bearer');
    expect(reg.body.user).toMatchObject({
      email: 'ada@example.com',
      name: 'Ada',
      timezone: 'Europe/London',
    });
    expect(reg.body.user).not.toHaveProperty('password_hash');

    const login = await request(t.app)
      .post('/api/auth/login')
      .send({ email: 'ADA@example.com', password: 'analytical-engine' })
      .expect(200);
    const me = await request(t.app)
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${login.body.access_token}`)
      .expect(200);
    expect(me.body.id).toBe(reg.body.user.id);
  });

  it('stores passwords as argon2id with OWASP parameters', async () => {
    await request(t.app)
      .post('/api/auth/register')
      .send({ email: 'hash@example.com', password: 'some password' })
      .expect(201);
    const rows = await t.database.client<{ password_hash: string }[]>`
      SELECT password_hash FROM users WHERE email = 'hash@example.com'`;
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$v=19\$m=7168,t=5,p=1\$/);
  });

  /** An account whose hash was made with the parameters used before 2026-11-30. */
  async function insertUserWithOldHash(email: string) {
    const password = 'made before the parameters changed';
    const oldHash = await hash(password, { memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    await t.database.client`
      INSERT INTO users (email, password_hash) VALUES (${email}, ${oldHash})`;
    return { password, oldHash };
  }

  const storedHash = async (email: string) =>
    (
      await t.database.client<{ password_hash: string }[]>`
        SELECT password_hash FROM users WHERE email = ${email}`
    )[0]!.password_hash;

  it('replaces a hash made with older parameters at the next login, and only then', async () => {
    const email = 'old-hash@example.com';
    const { password, oldHash } = await insertUserWithOldHash(email);

    await request(t.app).post('/api/auth/login').send({ email, password: 'wrong one' }).expect(401);
    expect(await storedHash(email)).toBe(oldHash);

    await request(t.app).post('/api/auth/login').send({ email, password }).expect(200);
    const rehashed = await storedHash(email);
    expect(rehashed).toMatch(/^\$argon2id\$v=19\$m=7168,t=5,p=1\$/);
    await request(t.app).post('/api/auth/login').send({ email, password }).expect(200);
    expect(await storedHash(email)).toBe(rehashed);
  });

  it('still signs in when the rehash fails, and logs why without the hashes', async () => {
    const email = 'rehash-fails@example.com';
    const { password, oldHash } = await insertUserWithOldHash(email);
    // A real failure of the rehash's UPDATE, for this account only.
    await t.database.client.unsafe(`
      CREATE FUNCTION refuse_rehash() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'rehash refused for the test'; END $$;
      CREATE TRIGGER refuse_rehash BEFORE UPDATE OF password_hash ON users
        FOR EACH ROW WHEN (OLD.email = '${email}') EXECUTE FUNCTION refuse_rehash();`);
    try {
      await request(t.app).post('/api/auth/login').send({ email, password }).expect(200);
      expect(await storedHash(email)).toBe(oldHash);
      const warning = t.logs.find(
        (line) => line.message === 'could not rehash a password with the current parameters',
      );
      expect(warning).toBeDefined();
      expect(JSON.stringify(warning)).toContain('rehash refused for the test');
      expect(JSON.stringify(warning)).not.toContain('$argon2id$');
    } finally {
      await t.database.client.unsafe(
        'DROP TRIGGER refuse_rehash ON users; DROP FUNCTION refuse_rehash();',
      );
    }
  });

  it('does not undo a password change with a rehash of the password it replaced', async () => {
    const { id } = await registerUser(t.app);
    const users = createUsersRepository(t.database.db);
    const before = (await users.findHashById(id))!;
    await users.updatePasswordHash(t.database.db, id, 'changed meanwhile');
    expect(await users.replacePasswordHash(id, before, 'a rehash of the old password')).toBe(false);
    expect(await users.findHashById(id)).toBe('changed meanwhile');
    expect(await users.replacePasswordHash(id, 'changed meanwhile', 'its rehash')).toBe(true);
    expect(await users.findHashById(id)).toBe('its rehash');
  });

  it('verifies unknown emails against a constant hash with the current parameters', async () => {
    const hasher = createPasswordHasher();
    expect(hasher.needsRehash(hasher.unknownUserHash)).toBe(false);
    expect(hasher.needsRehash(await hasher.hash('fresh'))).toBe(false);
    expect(hasher.needsRehash('$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA')).toBe(true);
    // The library's own verify throws on a malformed PHC string (the hasher's would say false).
    await expect(verify(hasher.unknownUserHash, 'not-a-real-password')).resolves.toBe(false);
    expect(await hasher.verify('not a PHC string', 'anything')).toBe(false);
  });

  it('refuses a second account with the same email, whatever its case', async () => {
    await request(t.app)
      .post('/api/auth/register')
      .send({ email: 'dup@example.com', password: 'password-1' })
      .expect(201);
    const res = await request(t.app)
      .post('/api/auth/register')
      .send({ email: 'DUP@example.com', password: 'password-2' });
    expect(res.status).toBe(409);
    expect(res.body.error.details[0].field).toBe('email');
  });

  it('rejects a wrong password and an unknown email with the same 401', async () => {
    const user = await registerUser(t.app);
    const wrong = await request(t.app)
      .post('/api/auth/login')
      .send({ email: user.email, password: 'not the password' });
    const unknown = await request(t.app)
      .post('/api/auth/login')
      .send({ email: 'nobody@example.com', password: 'whatever1' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it.each([
    ['email', { email: 'not-an-email', password: 'long enough' }],
    ['password', { email: 'short@example.com', password: 'short' }],
    ['timezone', { email: 'tz@example.com', password: 'long enough', timezone: 'Mars/Olympus' }],
    ['role', { email: 'role@example.com', password: 'long enough', role: 'admin' }],
  ])('names the bad field %s on register', async (field, body) => {
    const res = await request(t.app).post('/api/auth/register').send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  describe('tokens', () => {
    let userId: string;
    let sid: string;
    beforeAll(async () => {
      const user = await registerUser(t.app);
      userId = user.id;
      const token = user.auth.Authorization.slice('Bearer '.length);
      sid = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sid;
    });
    const me = (token: string) =>
      request(t.app).get('/api/auth/me').set('Authorization', `Bearer ${token}`);

    it('accepts a well-signed token of a live session', async () => {
      expect((await me(await sign({ sub: userId, sid }))).status).toBe(200);
    });

    it('rejects a well-signed token without a session, or naming a session that does not exist', async () => {
      expect((await me(await sign({ sub: userId }))).status).toBe(401);
      const res = await me(
        await sign({ sub: userId, sid: '00000000-0000-4000-8000-000000000000' }),
      );
      expect(res.status).toBe(401);
      expect(res.body.error.message).toBe('account or session no longer exists');
    });

    it('rejects a token whose session belongs to another user', async () => {
      const other = await registerUser(t.app);
      expect((await me(await sign({ sub: other.id, sid }))).status).toBe(401);
    });

    it('rejects a missing token', async () => {
      const res = await request(t.app).get('/api/auth/me');
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    });

    it('rejects an expired token', async () => {
      const exp = Math.floor(Date.now() / 1000) - 60;
      expect((await me(await sign({ sub: userId, sid }, { exp }))).status).toBe(401);
    });

    it('rejects a token without exp', async () => {
      expect((await me(await sign({ sub: userId, sid }, { exp: null }))).status).toBe(401);
    });

    it('rejects a token signed with another key', async () => {
      const other = new TextEncoder().encode('another-secret-that-is-also-long-enough-0123');
      expect((await me(await sign({ sub: userId, sid }, { secret: other }))).status).toBe(401);
    });

    it('rejects an unsigned alg:none token', async () => {
      const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
      const now = Math.floor(Date.now() / 1000);
      const payload = base64url.encode(
        JSON.stringify({
          sub: userId,
          sid,
          iss: TEST_TOKEN_CONFIG.issuer,
          aud: TEST_TOKEN_CONFIG.audience,
          iat: now,
          exp: now + 3600,
        }),
      );
      expect((await me(`${header}.${payload}.`)).status).toBe(401);
    });

    it('rejects a token for another audience', async () => {
      const token = await new SignJWT({ sub: userId, sid })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(TEST_TOKEN_CONFIG.issuer)
        .setAudience('someone-else')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(key);
      expect((await me(token)).status).toBe(401);
    });
  });
});

describe('login rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ authRateLimitPerMinute: 3 });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 after the allowed attempts', async () => {
    const attempt = () =>
      request(t.app)
        .post('/api/auth/login')
        .send({ email: 'x@example.com', password: 'wrong-password' });
    for (let i = 0; i < 3; i += 1) expect((await attempt()).status).toBe(401);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
  });
});
