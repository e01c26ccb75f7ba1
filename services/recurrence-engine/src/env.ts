import { parseEnv, portField, serviceEnvFields, withLogFormat } from '@todo/service-runtime';
import { eventTransportEnvFields } from '@todo/outbox-relay';
import { z } from 'zod';

export const envSchema = z
  .object({
    ...serviceEnvFields,
    ...eventTransportEnvFields,
    /** Port Dapr delivers events to (the sidecar's --app-port). */
    PORT: portField(8081),
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
