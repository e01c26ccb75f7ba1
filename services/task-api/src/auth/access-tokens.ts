import { errors, jwtVerify, SignJWT } from 'jose';

/** The one accepted algorithm: tokens signed otherwise (including `alg: none`) are rejected. */
const ALGORITHM = 'HS256';

export interface AccessTokenConfig {
  secret: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export interface AccessTokens {
  issue(userId: string): Promise<{ token: string; expiresIn: number }>;
  /** Returns the user id, or undefined for any invalid, expired or foreign token. */
  verify(token: string): Promise<string | undefined>;
}

export function createAccessTokens(config: AccessTokenConfig): AccessTokens {
  const key = new TextEncoder().encode(config.secret);
  return {
    async issue(userId) {
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(userId)
        .setIssuer(config.issuer)
        .setAudience(config.audience)
        .setIssuedAt()
        .setExpirationTime(`${config.ttlSeconds}s`)
        .sign(key);
      return { token, expiresIn: config.ttlSeconds };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          issuer: config.issuer,
          audience: config.audience,
          requiredClaims: ['exp', 'sub', 'iat'],
        });
        return payload.sub;
      } catch (error) {
        if (error instanceof errors.JOSEError) return undefined;
        throw error;
      }
    },
  };
}
