import {
  metricsPortField,
  parseEnv,
  portField,
  serviceEnvFields,
  withLogFormat,
} from '@todo/service-runtime';
import { eventTransportEnvFields } from '@todo/outbox-relay';
import { z } from 'zod';

/** Settings the engine and its `redrive` command share. */
const deliveryEnvFields = {
  /**
   * Deliveries of one event the engine attempts before parking it (parked_events) and
   * acknowledging it, so one failing event cannot block or loop forever.
   */
  MAX_DELIVERY_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  /**
   * PostgreSQL statement_timeout for the engine's connections: a statement stuck behind a lock
   * fails (and counts as a failed attempt) instead of holding a connection indefinitely.
   */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
};

const DAY = 86_400;

/** How long the engine keeps its bookkeeping (README: "Retention"). */
const retentionEnvFields = {
  /**
   * Seconds a processed event's record (its dedupe key) is kept: longer than the broker keeps
   * the event (task-events retention, 7 days) so no redelivery can outlive it. 14 days.
   */
  PROCESSED_EVENTS_RETENTION_SECONDS: z.coerce
    .number()
    .int()
    .min(DAY, 'must be at least 86400 (a day): it must outlast every redelivery')
    .max(365 * DAY)
    .default(14 * DAY),
  /** Mean seconds between prunings (each wait drawn between half and one and a half of it). */
  PROCESSED_EVENTS_PRUNE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(DAY).default(300),
  /** Rows per DELETE: one short transaction each. */
  PROCESSED_EVENTS_PRUNE_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(1000),
};

export const envSchema = z
  .object({
    ...serviceEnvFields,
    ...eventTransportEnvFields,
    ...deliveryEnvFields,
    ...retentionEnvFields,
    /** Port Dapr delivers events to (the sidecar's --app-port). */
    PORT: portField(8081),
    /** Prometheus scrapes `/metrics` here (never through the Ingress); task-api's is 9464. */
    METRICS_PORT: metricsPortField(9465),
    /**
     * Dapr's app API token (the sidecar's APP_API_TOKEN): when set, requests without the same
     * `dapr-api-token` header are refused, so only the sidecar can deliver events.
     */
    APP_API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.APP_API_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['APP_API_TOKEN'],
        message:
          'is required in production: set it to the same value as the Dapr sidecar’s APP_API_TOKEN',
      });
    }
  })
  .transform(withLogFormat);

export type Env = z.output<typeof envSchema>;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return parseEnv(envSchema, source);
}

/** The `redrive` command's environment: the database and logging, nothing that serves. */
export const redriveEnvSchema = z
  .object({
    NODE_ENV: serviceEnvFields.NODE_ENV,
    DATABASE_URL: serviceEnvFields.DATABASE_URL,
    LOG_LEVEL: serviceEnvFields.LOG_LEVEL,
    LOG_FORMAT: serviceEnvFields.LOG_FORMAT,
    DATABASE_STATEMENT_TIMEOUT_MS: deliveryEnvFields.DATABASE_STATEMENT_TIMEOUT_MS,
  })
  .transform(withLogFormat);

export type RedriveEnv = z.output<typeof redriveEnvSchema>;

export function loadRedriveEnv(source: NodeJS.ProcessEnv = process.env): RedriveEnv {
  return parseEnv(redriveEnvSchema, source);
}
