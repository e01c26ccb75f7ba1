import { describe, expect, it } from '@jest/globals';
import { createAccessTokens } from '../src/auth/access-tokens.js';

const config = {
  secret: 'access-tokens-test-secret-long-enough-0123456789',
  issuer: 'todo-test',
  audience: 'todo-test-api',
};
const userId = '3b1d6f0e-8a53-4d58-9d1c-6c7c3a0c2f11';

describe('access tokens', () => {
  it('accepts a token again from the verified cache, and not once it has expired', async () => {
    const tokens = createAccessTokens({ ...config, ttlSeconds: 1 });
    const { token } = await tokens.issue(userId);
    expect(await tokens.verify(token)).toBe(userId);
    expect(await tokens.verify(token)).toBe(userId);
    // exp has whole-second precision: two seconds are always past it.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect(await tokens.verify(token)).toBeUndefined();
  });

  it('does not accept a token whose signature was altered after its original was verified', async () => {
    const tokens = createAccessTokens({ ...config, ttlSeconds: 3600 });
    const { token } = await tokens.issue(userId);
    expect(await tokens.verify(token)).toBe(userId);
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
    const { token } = await theirs.issue(userId);
    expect(await theirs.verify(token)).toBe(userId);
    expect(await ours.verify(token)).toBeUndefined();
  });

  it('does not accept a validly signed token whose subject is not a user id', async () => {
    const tokens = createAccessTokens({ ...config, ttlSeconds: 3600 });
    for (const sub of ['not-a-uuid', `${userId}x`, '']) {
      const { token } = await tokens.issue(sub);
      expect(await tokens.verify(token)).toBeUndefined();
    }
    expect(await tokens.verify((await tokens.issue(userId.toUpperCase())).token)).toBe(
      userId.toUpperCase(),
    );
  });
});
