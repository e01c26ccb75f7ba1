import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

/** 256 bits of randomness: unguessable, so a plain SHA-256 (no salt, no slow hash) stores it safely. */
const REFRESH_TOKEN_BYTES = 32;

/** What a refresh token looks like on the wire: 32 bytes in base64url, 43 characters. */
export const refreshTokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'not a refresh token this API issued')
  .meta({ description: 'Opaque refresh token (256-bit, base64url)' });

/** The form refresh tokens are stored and looked up in: only the hash is ever written. */
export const hashRefreshToken = (token: string): string =>
  createHash('sha256').update(token).digest('base64url');

export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}
