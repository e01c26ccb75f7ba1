import { errors, jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';

/** The one accepted algorithm: tokens signed otherwise (including `alg: none`) are rejected. */
const ALGORITHM = 'HS256';

export interface AccessTokenConfig {
  secret: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
  /** The clock, in epoch milliseconds, that tokens are issued and checked against (tests move it). */
  now?: () => number;
}

export interface AccessTokens {
  issue(userId: string): Promise<{ token: string; expiresIn: number }>;
  /**
   * Returns the user id, or undefined for any invalid, expired or foreign token, or one whose
   * subject is not a user id at all.
   */
  verify(token: string): Promise<string | undefined>;
}

/**
 * Tokens already verified, until they expire. A client sends the same token on every request,
 * and checking its signature (WebCrypto, off the main thread and back) was the largest cost of
 * an authenticated read after the database. The key is the whole token, signature included, so a
 * hit can only be the same bytes that passed verification. A hit is checked against `exp` on the
 * service's clock too, so the cache never accepts what verification would refuse; the entry itself
 * is evicted no later than `exp` on the real clock.
 */
const VERIFIED_TOKENS_MAX = 10_000;

/**
 * Users are keyed by UUID. A `sub` of another shape can only come from a token minted outside
 * this service with its key, but it must not reach PostgreSQL, which refuses it as a uuid (a 500).
 */
const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createAccessTokens(config: AccessTokenConfig): AccessTokens {
  const key = new TextEncoder().encode(config.secret);
  const now = config.now ?? Date.now;
  const verified = new LRUCache<string, { userId: string; expiresAtMs: number }>({
    max: VERIFIED_TOKENS_MAX,
  });
  return {
    async issue(userId) {
      const issuedAt = Math.floor(now() / 1000);
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(userId)
        .setIssuer(config.issuer)
        .setAudience(config.audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + config.ttlSeconds)
        .sign(key);
      return { token, expiresIn: config.ttlSeconds };
    },
    async verify(token) {
      const known = verified.get(token);
      if (known !== undefined) return now() < known.expiresAtMs ? known.userId : undefined;
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          issuer: config.issuer,
          audience: config.audience,
          requiredClaims: ['exp', 'sub', 'iat'],
          currentDate: new Date(now()),
        });
        if (!payload.sub || !USER_ID.test(payload.sub)) return undefined;
        const expiresAtMs = payload.exp! * 1000;
        const ttl = expiresAtMs - now();
        if (ttl > 0) verified.set(token, { userId: payload.sub, expiresAtMs }, { ttl });
        return payload.sub;
      } catch (error) {
        if (error instanceof errors.JOSEError) return undefined;
        throw error;
      }
    },
  };
}
