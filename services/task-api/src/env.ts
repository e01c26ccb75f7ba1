import {
  envBoolean,
  parseEnv,
  portField,
  serviceEnvFields,
  withLogFormat,
} from '@todo/service-runtime';
import { eventTransportEnvFields } from '@todo/outbox-relay';
import { z } from 'zod';
import { DEFAULT_RATE_LIMITS } from './rate-limit/defaults.js';

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
    /** HMAC key for access tokens (HS256): at least 32 characters of randomness. */
    JWT_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters; generate one with `openssl rand -base64 48`'),
    JWT_ISSUER: z.string().default('todo-task-api'),
    JWT_AUDIENCE: z.string().default('todo-frontend'),
    /** Access token lifetime. */
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
    /** Origins allowed to call the API from a browser, comma-separated; empty allows none. */
    CORS_ORIGINS: commaList,
    /** Largest accepted JSON body, in bytes. */
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(100_000),
    /** Login and register attempts allowed per client IP per minute, across all replicas. */
    AUTH_RATE_LIMIT_PER_MINUTE: z.coerce
      .number()
      .int()
      .min(1)
      .default(DEFAULT_RATE_LIMITS.authPerMinute),
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
    /** Serve the OpenAPI document and the /docs page. */
    DOCS_ENABLED: envBoolean(true),
  })
  .transform(withLogFormat);

export type Env = z.output<typeof envSchema>;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return parseEnv(envSchema, source);
}
