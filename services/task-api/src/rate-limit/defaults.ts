export interface RateLimitConfig {
  /** Password requests per client IP: login, register, password change, account deletion. */
  authPerMinute: number;
  /**
   * Refresh and logout per client IP: no password to guess and no hashing, and a browser refreshes
   * on every page load, so it gets a budget of its own (an office behind one NAT address).
   */
  sessionsPerMinute: number;
  /** POST/PUT/PATCH/DELETE under /api/tasks per user. */
  writesPerMinute: number;
  /** GET /api/recurrence/preview per user: each expands a rule, the API's costliest read. */
  previewsPerMinute: number;
}

/** The defaults of AUTH_/SESSION_/WRITE_/PREVIEW_RATE_LIMIT_PER_MINUTE (env.ts). */
export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  authPerMinute: 10,
  sessionsPerMinute: 120,
  writesPerMinute: 300,
  previewsPerMinute: 120,
};
