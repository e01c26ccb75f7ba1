import {
  envBoolean,
  metricsPortField,
  parseEnv,
  portField,
  serviceEnvFields,
  withLogFormat,
} from '@todo/service-runtime';
import { eventTransportEnvFields } from '@todo/outbox-relay';
import { z } from 'zod';
import { DEFAULT_SESSION_TTL_SECONDS } from './auth/session.service.js';
import { DEFAULT_RATE_LIMITS } from './rate-limit/defaults.js';
import { streamEnvFields } from './stream/stream-env.js';

/** An origin a browser sends in `Origin`: scheme, host and optional port, nothing else. */
const originSchema = z.string().refine((value) => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, 'each origin must be scheme://host[:port] with no path or trailing slash; `*` is not allowed (the refresh cookie is sent with credentials)');

const commaList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

export const envSchema = z
  .object({
    ...serviceEnvFields,
    ...eventTransportEnvFields,
    /** Port the HTTP server listens on. */
    PORT: portField(8080),
    /** Prometheus scrapes `/metrics` here (never through the Ingress); the engine's is 9465. */
    METRICS_PORT: metricsPortField(9464),
    /** HMAC key for access tokens (HS256): at least 32 characters of randomness. */
    JWT_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters; generate one with `openssl rand -base64 48`'),
    JWT_ISSUER: z.string().default('todo-task-api'),
    JWT_AUDIENCE: z.string().default('todo-frontend'),
    /** Access token lifetime: also how long a stolen one works (sessions end it sooner). */
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
    /** A session's absolute lifetime: refreshing never extends it; then the user signs in again. */
    SESSION_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(300)
      .max(31_622_400)
      .default(DEFAULT_SESSION_TTL_SECONDS),
    /** The refresh cookie's `Secure` attribute; off only for plain-http development. */
    REFRESH_COOKIE_SECURE: envBoolean(true),
    /** Origins allowed to call the API from a browser, comma-separated; empty allows none. */
    CORS_ORIGINS: commaList.pipe(z.array(originSchema)),
    /** Largest accepted JSON body, in bytes. */
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(100_000),
    /**
     * Password requests (login, register, password change, account deletion) allowed per client
     * IP per minute, across all replicas.
     */
    AUTH_RATE_LIMIT_PER_MINUTE: z.coerce
      .number()
      .int()
      .min(1)
      .default(DEFAULT_RATE_LIMITS.authPerMinute),
    /** Refreshes and logouts allowed per client IP per minute, across all replicas. */
    SESSION_RATE_LIMIT_PER_MINUTE: z.coerce
      .number()
      .int()
      .min(1)
      .default(DEFAULT_RATE_LIMITS.sessionsPerMinute),
    /** Task changes (POST/PUT/PATCH/DELETE under /api/tasks) per user per minute, all replicas. */
    WRITE_RATE_LIMIT_PER_MINUTE: z.coerce
      .number()
      .int()
      .min(1)
      .default(DEFAULT_RATE_LIMITS.writesPerMinute),
    /** GET /api/recurrence/preview calls per user per minute, across all replicas. */
    PREVIEW_RATE_LIMIT_PER_MINUTE: z.coerce
      .number()
      .int()
      .min(1)
      .default(DEFAULT_RATE_LIMITS.previewsPerMinute),
    /** Number of proxies in front of the API (for the client IP the rate limit sees). */
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    ...streamEnvFields,
    /** Serve the OpenAPI document and the /docs page. */
    DOCS_ENABLED: envBoolean(true),
  })
  .refine((env) => env.REFRESH_COOKIE_SECURE || env.NODE_ENV !== 'production', {
    path: ['REFRESH_COOKIE_SECURE'],
    message: 'may be false only outside production (plain-http development)',
  })
  .transform(withLogFormat);

export type Env = z.output<typeof envSchema>;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return parseEnv(envSchema, source);
}
