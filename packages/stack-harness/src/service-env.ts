/** The app token every delivery to the engine carries (Dapr's APP_API_TOKEN, or the direct transport's). */
export const APP_TOKEN = 'e2e-app-token-0123456789abcdef';
const JWT_SECRET = 'e2e-jwt-secret-that-is-long-enough-0123456789';

/** What every service under test runs with: production mode, as deployed, on `databaseUrl`. */
export const serviceEnv = (databaseUrl: string): Record<string, string> => ({
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  DATABASE_URL: databaseUrl,
});

/** task-api's own settings: a fixed signing secret, and rate limits no test reaches. */
export const TASK_API_ENV: Record<string, string> = {
  JWT_SECRET,
  AUTH_RATE_LIMIT_PER_MINUTE: '1000',
  SESSION_RATE_LIMIT_PER_MINUTE: '100000',
  WRITE_RATE_LIMIT_PER_MINUTE: '1000000',
  PREVIEW_RATE_LIMIT_PER_MINUTE: '1000000',
};
