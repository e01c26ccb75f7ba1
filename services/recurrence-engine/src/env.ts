import { parseEnv } from '@todo/service-runtime';
import { z } from 'zod';

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    /** Port Dapr delivers events to (the sidecar's --app-port). */
    PORT: z.coerce.number().int().min(1).max(65535).default(8081),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    /**
     * Dapr's app API token (the sidecar's APP_API_TOKEN): when set, requests without the same
     * `dapr-api-token` header are refused, so only the sidecar can deliver events.
     */
    APP_API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug']).default('info'),
    LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
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
  .transform((env) => ({
    ...env,
    LOG_FORMAT: env.LOG_FORMAT ?? (env.NODE_ENV === 'production' ? 'json' : 'pretty'),
  }));

export type Env = z.output<typeof envSchema>;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return parseEnv(envSchema, source);
}
