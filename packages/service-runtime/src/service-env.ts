import { z } from 'zod';

/** Environment variables every HTTP service reads, with the same meaning and defaults. */
export const serviceEnvFields = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** Interface to bind; 0.0.0.0 in containers. */
  HOST: z.string().default('0.0.0.0'),
  /** PostgreSQL connection string. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
  /** Connections in the pool. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug']).default('info'),
  /** Defaults to json in production and pretty elsewhere. */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
};

export const portField = (defaultPort: number) =>
  z.coerce.number().int().min(1).max(65535).default(defaultPort);

/**
 * The Prometheus metrics port (`GET /metrics`, apart from the API and never behind the Ingress);
 * 0 picks a free port, for tests that run several copies of a service.
 */
export const metricsPortField = (defaultPort: number) =>
  z.coerce.number().int().min(0).max(65535).default(defaultPort);

/** Resolves the log format default once the whole environment is known. */
export function withLogFormat<
  T extends { NODE_ENV: string; LOG_FORMAT?: 'json' | 'pretty' | undefined },
>(env: T): T & { LOG_FORMAT: 'json' | 'pretty' } {
  return {
    ...env,
    LOG_FORMAT: env.LOG_FORMAT ?? (env.NODE_ENV === 'production' ? 'json' : 'pretty'),
  };
}
