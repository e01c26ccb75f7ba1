import { createServer, type RequestListener, type Server } from 'node:http';
import { serveMetrics, type Registry } from '@todo/telemetry';
import { answerClientErrorsAsJson } from './client-errors.js';
import { EnvError } from './env.js';
import { createLogger, type Logger } from './logger.js';
import { installGracefulShutdown } from './shutdown.js';

export interface ServiceParts {
  /** The service's HTTP handler: its Express app, or a listener in front of it. */
  app: RequestListener;
  port: number;
  host: string;
  /** Extra fields for the "listening" log line. */
  details?: Record<string, unknown>;
  /** Closed in order after the server drains (pools, relays). */
  shutdownSteps: Array<{ name: string; run: () => Promise<void> }>;
  /**
   * Served on a port of its own (`GET /metrics`), closed after every shutdown step so the last
   * scrapes still see the drain. Port 0 picks a free one (tests).
   */
  metrics?: { registry: Registry; port: number };
}

/**
 * The boot sequence every service shares: parse the environment (exit 2 with one line per bad
 * variable), create the logger, build the app, listen, and drain on SIGTERM/SIGINT.
 */
export function runService<
  Env extends { LOG_LEVEL: string; LOG_FORMAT: 'json' | 'pretty' },
>(options: {
  name: string;
  loadEnv: () => Env;
  build: (env: Env, logger: Logger, isShuttingDown: () => boolean) => ServiceParts;
}): Server {
  let env: Env;
  try {
    env = options.loadEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${options.name}: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({
    service: options.name,
    level: env.LOG_LEVEL,
    format: env.LOG_FORMAT,
  });
  let shuttingDown = () => false;
  const parts = options.build(env, logger, () => shuttingDown());
  const server = createServer(parts.app);
  // A port in use (or not allowed) ends the process with one line that says so.
  const cannotListen = (error: Error) => {
    logger.error(`${options.name} cannot listen`, {
      port: parts.port,
      host: parts.host,
      err: error,
    });
    process.exit(1);
  };
  server.once('error', cannotListen);
  server.listen(parts.port, parts.host, () => {
    server.off('error', cannotListen);
    // Later errors (a failed accept when file descriptors run out) are logged, not fatal.
    server.on('error', (error) => logger.error('server error', { err: error }));
    logger.info(`${options.name} listening`, {
      port: parts.port,
      host: parts.host,
      ...parts.details,
    });
  });
  const metricsServer = parts.metrics
    ? serveMetrics(parts.metrics.registry, {
        port: parts.metrics.port,
        host: parts.host,
        onListening: (port) => logger.info('serving metrics', { port, path: '/metrics' }),
        // Metrics are not worth an outage: the service serves on, and Prometheus's `up` shows it.
        onError: (error) =>
          logger.error('metrics port unavailable; serving without metrics', { err: error }),
      })
    : undefined;
  answerClientErrorsAsJson(server, logger);
  // Keep-alive longer than typical load balancer idle timeouts, so they close connections first.
  server.keepAliveTimeout = 65_000;
  shuttingDown = installGracefulShutdown(server, {
    logger,
    steps: [
      ...parts.shutdownSteps,
      ...(metricsServer ? [{ name: 'metrics', run: () => metricsServer.close() }] : []),
    ],
  }).isShuttingDown;
  return server;
}
