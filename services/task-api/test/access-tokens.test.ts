import { describe, expect, it } from '@jest/globals';
import { createAccessTokens } from '../src/auth/access-tokens.js';

const config = {
  secret: 'access-tokens-test-secret-long-enough-0123456789',
  issuer: 'todo-test',
  audience: 'todo-test-api',
};
const userId = '3b1d6f0e-8a53-4d58-9d1c-6c7c3a0c2f11';
const sessionId = '9a4e1c2b-7d3f-4e5a-8b6c-0d1e2f3a4b5c';
const claims = { userId, sessionId };

describe('access tokens', () => {
  it('accepts a token again from the verified cache until its expiry, and not from then on', async () => {
    let clock = Date.parse('2030-01-01T00:00:00.400Z');
    const tokens = createAccessTokens({ ...config, ttlSeconds: 60, now: () => clock });
    const { token } = await tokens.issue(userId, sessionId);
    expect(await tokens.verify(token)).toEqual(claims);
    // exp has whole-second precision: issued at 00:00:00.400, the token is valid until 00:01:00.
    clock = Date.parse('2030-01-01T00:00:59.999Z');
    expect(await tokens.verify(token)).toEqual(claims);
    clock = Date.parse('2030-01-01T00:01:00.000Z');
    expect(await tokens.verify(token)).toBeUndefined();
  });

  it('does not accept a token past its expiry that it never verified before', async () => {
    let clock = Date.parse('2030-01-01T00:00:00Z');
    const tokens = createAccessTokens({ ...config, ttlSeconds: 60, now: () => clock });
    const { token } = await tokens.issue(userId, sessionId);
    clock += 60_000;
    expect(await tokens.verify(token)).toBeUndefined();
    // The same token is good on a clock before its expiry: only time refused it.
    const earlier = createAccessTokens({ ...config, ttlSeconds: 60, now: () => clock - 1 });
    expect(await earlier.verify(token)).toEqual(claims);
  });

  it('does not accept a token whose signature was altered after its original was verified', async () => {
    const tokens = createAccessTokens({ ...config, ttlSeconds: 3600 });
    const { token } = await tokens.issue(userId, sessionId);
    expect(await tokens.verify(token)).toEqual(claims);
    const [header, payload, signature] = token.split('.');
    const flipped = `${signature!.slice(0, -2)}${signature!.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await tokens.verify(`${header}.${payload}.${flipped}`)).toBeUndefined();
  });

  it('does not accept a token signed by another service sharing nothing but the format', async () => {
    const ours = createAccessTokens({ ...config, ttlSeconds: 3600 });
    const theirs = createAccessTokens({
      ...config,
      secret: 'another-secret-entirely-that-is-long-enough-987654',
      ttlSeconds: 3600,
    });
    const { token } = await theirs.issue(userId, sessionId);
    expect(await theirs.verify(token)).toEqual(claims);
    expect(await ours.verify(token)).toBeUndefined();
  });

  it('does not accept a validly signed token whose subject is not a user id', async () => {
    const tokens = createAccessTokens({ ...config, ttlSeconds: 3600 });
    for (const sub of ['not-a-uuid', `${userId}x`, '']) {
      const { token } = await tokens.issue(sub, sessionId);
      expect(await tokens.verify(token)).toBeUndefined();
    }
    expect(
      await tokens.verify((await tokens.issue(userId.toUpperCase(), sessionId)).token),
    ).toEqual({ userId: userId.toUpperCase(), sessionId });
  });

  it('does not accept a validly signed token without a session id, or with one that is not an id', async () => {
    const tokens = createAccessTokens({ ...config, ttlSeconds: 3600 });
    // Tokens issued before sessions existed carry no sid: no session could revoke them.
    expect(await tokens.verify((await tokens.issue(userId)).token)).toBeUndefined();
    for (const sid of ['', 'not-a-uuid', `${sessionId}x`]) {
      expect(await tokens.verify((await tokens.issue(userId, sid)).token)).toBeUndefined();
    }
    const { token } = await tokens.issue(userId, sessionId);
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(payload).toMatchObject({ sub: userId, sid: sessionId });
  });
});
