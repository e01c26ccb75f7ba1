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

/** Who a verified access token speaks for: the user, and the session (family) it was issued in. */
export interface AccessClaims {
  userId: string;
  sessionId: string;
}

export interface AccessTokens {
  /**
   * A token for `userId` in session `sessionId` (its `sid` claim). Without a session the token is
   * one `verify` refuses: only tests of hostile tokens mint such.
   */
  issue(userId: string, sessionId?: string): Promise<{ token: string; expiresIn: number }>;
  /**
   * Returns the user and session, or undefined for any invalid, expired or foreign token, or one
   * whose subject or session is not an id at all (tokens issued before sessions existed have none).
   */
  verify(token: string): Promise<AccessClaims | undefined>;
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
 * Users and sessions are keyed by UUID. A `sub` or `sid` of another shape can only come from a
 * token minted outside this service with its key, but it must not reach PostgreSQL, which refuses
 * it as a uuid (a 500).
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createAccessTokens(config: AccessTokenConfig): AccessTokens {
  const key = new TextEncoder().encode(config.secret);
  const now = config.now ?? Date.now;
  const verified = new LRUCache<string, { claims: AccessClaims; expiresAtMs: number }>({
    max: VERIFIED_TOKENS_MAX,
  });
  return {
    async issue(userId, sessionId) {
      const issuedAt = Math.floor(now() / 1000);
      const token = await new SignJWT(sessionId === undefined ? {} : { sid: sessionId })
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
      if (known !== undefined) return now() < known.expiresAtMs ? known.claims : undefined;
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          issuer: config.issuer,
          audience: config.audience,
          requiredClaims: ['exp', 'sub', 'iat', 'sid'],
          currentDate: new Date(now()),
        });
        const { sub, sid } = payload;
        if (!sub || !UUID.test(sub) || typeof sid !== 'string' || !UUID.test(sid)) return undefined;
        const claims = { userId: sub, sessionId: sid };
        const expiresAtMs = payload.exp! * 1000;
        const ttl = expiresAtMs - now();
        if (ttl > 0) verified.set(token, { claims, expiresAtMs }, { ttl });
        return claims;
      } catch (error) {
        if (error instanceof errors.JOSEError) return undefined;
        throw error;
      }
    },
  };
}
