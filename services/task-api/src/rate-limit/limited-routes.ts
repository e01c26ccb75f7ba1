import type { RateLimitTrait } from '@todo/service-runtime';
import { DEFAULT_RATE_LIMITS } from './defaults.js';

/** Every limit counts per one-minute window (rate-limits.ts). */
const perMinute = (limit: number) => ({ limit, windowSeconds: 60 });

/**
 * The limits routes declare (`rateLimit:`), by the name their limiter reports in
 * `RateLimit-Policy`. The numbers are configurable (README), so only the examples name the defaults.
 */
export const RATE_LIMITS = {
  auth: {
    name: 'auth',
    description:
      'Too many password requests (login, register, password change, account deletion) from this IP in the current one-minute window',
    example: perMinute(DEFAULT_RATE_LIMITS.authPerMinute),
  },
  session: {
    name: 'session',
    description:
      'Too many session requests (refresh, logout) from this IP in the current one-minute window',
    example: perMinute(DEFAULT_RATE_LIMITS.sessionsPerMinute),
  },
  write: {
    name: 'write',
    description: 'Too many task changes by this user in the current one-minute window',
    example: perMinute(DEFAULT_RATE_LIMITS.writesPerMinute),
  },
  preview: {
    name: 'preview',
    description: 'Too many previews by this user in the current one-minute window',
    example: perMinute(DEFAULT_RATE_LIMITS.previewsPerMinute),
  },
} as const satisfies Record<string, RateLimitTrait>;
