import { z } from 'zod';
import { createDaprTransport } from './dapr-transport.js';
import { createDirectTransport } from './direct-transport.js';
import type { EventTransport } from './outbox-message.js';
import { outboxRetentionEnvFields } from './outbox-retention.js';

/** Lanes per replica unless OUTBOX_PUBLISHERS says otherwise (measured: README, Lanes). */
export const OUTBOX_PUBLISHERS_DEFAULT = 2;

/**
 * How a service's relay publishes, from its environment. Dapr injects DAPR_HTTP_PORT into apps
 * that run with a sidecar, so `auto` picks Dapr there and the direct transport elsewhere.
 */
export const eventTransportEnvFields = {
  /** `auto`: dapr when DAPR_HTTP_PORT is set, else direct. `off` writes the outbox only. */
  EVENT_TRANSPORT: z.enum(['auto', 'dapr', 'direct', 'off']).default('auto'),
  DAPR_HOST: z.string().default('127.0.0.1'),
  DAPR_HTTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** Token this app presents to its sidecar, if the sidecar requires one. */
  DAPR_API_TOKEN: z.string().optional(),
  /** Direct transport: the recurrence engine's base URL. */
  DIRECT_ENGINE_URL: z.url().default('http://127.0.0.1:8081'),
  /** Direct transport: the engine's APP_API_TOKEN. */
  DIRECT_ENGINE_TOKEN: z.string().optional(),
  OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  /**
   * Publishing lanes per replica, each with a batch in flight (README, Lanes); each holds a pool
   * connection while it publishes, so it must stay below DATABASE_POOL_MAX.
   */
  OUTBOX_PUBLISHERS: z.coerce.number().int().min(1).max(16).default(OUTBOX_PUBLISHERS_DEFAULT),
  /** Longest wait between publish attempts while the sidecar or broker is down. */
  OUTBOX_MAX_RETRY_DELAY_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  ...outboxRetentionEnvFields,
};

/**
 * Why the relay's lanes cannot work with the service's pool, if they cannot: each lane holds a
 * connection for its whole publish, so with as many lanes as connections requests would wait
 * behind every publish. Checked at start-up.
 */
export function publishersProblem(env: {
  OUTBOX_PUBLISHERS: number;
  DATABASE_POOL_MAX: number;
}): string | undefined {
  return env.OUTBOX_PUBLISHERS < env.DATABASE_POOL_MAX
    ? undefined
    : `OUTBOX_PUBLISHERS (${env.OUTBOX_PUBLISHERS}) must be below DATABASE_POOL_MAX (${env.DATABASE_POOL_MAX})`;
}

export interface TransportEnv {
  EVENT_TRANSPORT: 'auto' | 'dapr' | 'direct' | 'off';
  DAPR_HOST: string;
  DAPR_HTTP_PORT?: number | undefined;
  DAPR_API_TOKEN?: string | undefined;
  DIRECT_ENGINE_URL: string;
  DIRECT_ENGINE_TOKEN?: string | undefined;
}

export function createTransportFromEnv(
  env: TransportEnv,
  source: string,
): EventTransport | undefined {
  const mode =
    env.EVENT_TRANSPORT === 'auto' ? (env.DAPR_HTTP_PORT ? 'dapr' : 'direct') : env.EVENT_TRANSPORT;
  if (mode === 'off') return undefined;
  if (mode === 'dapr') {
    return createDaprTransport({
      host: env.DAPR_HOST,
      httpPort: env.DAPR_HTTP_PORT ?? 3500,
      source,
      apiToken: env.DAPR_API_TOKEN,
    });
  }
  return createDirectTransport({
    engineUrl: env.DIRECT_ENGINE_URL,
    source,
    appToken: env.DIRECT_ENGINE_TOKEN,
  });
}
