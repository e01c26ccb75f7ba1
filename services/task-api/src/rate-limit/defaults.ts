export interface RateLimitConfig {
  /** Login and register attempts per client IP. */
  authPerMinute: number;
  /** POST/PUT/PATCH/DELETE under /api/tasks per user. */
  writesPerMinute: number;
  /** GET /api/recurrence/preview per user: each expands a rule, the API's costliest read. */
  previewsPerMinute: number;
}

/** The defaults of AUTH_/WRITE_/PREVIEW_RATE_LIMIT_PER_MINUTE (env.ts). */
export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  authPerMinute: 10,
  writesPerMinute: 300,
  previewsPerMinute: 120,
};
