import type { Server } from 'node:http';
import { createDatabase, type CreateDatabaseOptions, type DatabaseConnection } from '@todo/db';
import { runService, type Logger, type ServiceParts } from '@todo/service-runtime';
import {
  createMetricsRegistry,
  loadTracingSdk,
  observePoolUsage,
  startTracing,
  traceQueries,
  tracingRequested,
  type Registry,
} from '@todo/telemetry';
import { registerOutboxDepth } from './outbox-metrics.js';
import { startOutboxPruner, type OutboxRetentionEnv } from './outbox-retention.js';
import { startRelayFromEnv, type RelayEnv } from './start-relay.js';
import { publishersProblem } from './transport-config.js';

/** A step of the shutdown, run after the server has drained. */
export interface ShutdownStep {
  name: string;
  run: () => Promise<void>;
}

/** What a service that writes events must read from its environment. */
export interface OutboxServiceEnv extends RelayEnv, OutboxRetentionEnv {
  LOG_LEVEL: string;
  LOG_FORMAT: 'json' | 'pretty';
  PORT: number;
  HOST: string;
  DATABASE_URL: string;
  DATABASE_POOL_MAX: number;
  /** Where Prometheus scrapes `/metrics` (service-runtime's metricsPortField). */
  METRICS_PORT: number;
}

/**
 * Awaited before runOutboxService: loads the OpenTelemetry SDK when the environment asks for
 * traces, and only then (it keeps 12 MiB resident in a process that never uses it).
 */
export async function prepareOutboxService(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (tracingRequested(env)) await loadTracingSdk();
}

/**
 * The skeleton of a service that owns a database and publishes its outbox: runService's boot
 * sequence around one pool (named for the service in pg_stat_activity), the app `build` makes
 * over it, the relay, and the pruning of the rows the relay published (every replica runs it; one
 * at a time works, see @todo/db pruning.ts), and its metrics (pool use, outbox depth and publishes,
 * whatever `build` adds) on METRICS_PORT, and OpenTelemetry tracing when OTEL_* variables ask for
 * it (its spans flushed last); on shutdown, after the server drains, the relay, the
 * pruner and `build`'s own background work stop before the pool they use closes.
 */
export function runOutboxService<Env extends OutboxServiceEnv>(options: {
  name: string;
  loadEnv: () => Env;
  /** The service's app id: its relay publishes the rows it produced. */
  producer: string;
  /** CloudEvent source of its events. */
  source: string;
  /** Pool settings beyond its size and name, e.g. a statement timeout from the environment. */
  database?: (env: Env) => Omit<CreateDatabaseOptions, 'max' | 'applicationName' | 'instrument'>;
  build: (context: {
    env: Env;
    logger: Logger;
    database: DatabaseConnection;
    isShuttingDown: () => boolean;
    /** The service's metrics registry (pool use and outbox already in it): the app adds its own. */
    metrics: Registry;
  }) => Pick<ServiceParts, 'app' | 'details'> & {
    /**
     * Run on SIGTERM/SIGINT as the server stops accepting, before it drains: ends what would hold
     * connections open indefinitely (event streams), which the drain would otherwise wait for.
     */
    beforeDrain?: () => Promise<void>;
    /** Background work over the pool (e.g. the engine's own pruning), stopped before it closes. */
    stopBeforeDatabaseCloses?: ShutdownStep[];
  };
}): Server {
  return runService({
    name: options.name,
    loadEnv: options.loadEnv,
    build: (env, logger, isShuttingDown) => {
      // Before anything that makes spans; off unless OTEL_* variables ask for traces.
      let tracing: ReturnType<typeof startTracing>;
      try {
        tracing = startTracing({ serviceName: options.name });
      } catch (error) {
        logger.error('tracing configuration refused', { err: error });
        process.exit(2);
      }
      const problem = publishersProblem(env);
      if (problem) {
        logger.error(problem);
        process.exit(2);
      }
      const metrics = createMetricsRegistry();
      const database = createDatabase(env.DATABASE_URL, {
        ...options.database?.(env),
        max: env.DATABASE_POOL_MAX,
        applicationName: options.name,
        instrument: (client) => {
          const counted = observePoolUsage(client, metrics, { max: env.DATABASE_POOL_MAX });
          return tracing ? traceQueries(counted) : counted;
        },
      });
      registerOutboxDepth(metrics, { db: database.db, producer: options.producer });
      const {
        app,
        details,
        beforeDrain,
        stopBeforeDatabaseCloses = [],
      } = options.build({
        env,
        logger,
        database,
        isShuttingDown,
        metrics,
      });
      if (beforeDrain) {
        for (const signal of ['SIGTERM', 'SIGINT'] as const) {
          process.once(signal, () => {
            beforeDrain().catch((error: unknown) =>
              logger.error('shutdown step failed', { step: 'before drain', err: error }),
            );
          });
        }
      }
      const relayShutdown = startRelayFromEnv({
        env,
        database,
        producer: options.producer,
        source: options.source,
        logger,
        metrics,
      });
      const outboxPruner = startOutboxPruner({
        db: database.db,
        producer: options.producer,
        env,
        logger,
      });
      return {
        app,
        port: env.PORT,
        host: env.HOST,
        details: { ...details, tracing: tracing?.description ?? 'off' },
        metrics: { registry: metrics, port: env.METRICS_PORT },
        shutdownSteps: [
          ...relayShutdown,
          { name: 'outbox pruner', run: () => outboxPruner.stop() },
          ...stopBeforeDatabaseCloses,
          { name: 'database', run: () => database.close() },
          // Last: the spans of everything above are sent before the process exits.
          ...(tracing ? [{ name: 'tracing', run: () => tracing.shutdown() }] : []),
        ],
      };
    },
  });
}
