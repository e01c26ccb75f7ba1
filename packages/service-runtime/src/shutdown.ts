import type { Server } from 'node:http';
import type { Logger } from './logger.js';

export interface ShutdownOptions {
  logger: Logger;
  /** Called in order after the server stops accepting connections. */
  steps: Array<{ name: string; run: () => Promise<void> }>;
  /** Exit anyway after this long, so a stuck dependency cannot block a rollout. */
  timeoutMs?: number;
}

/** Stops the server gracefully on SIGTERM/SIGINT: drain requests, then close dependencies. */
export function installGracefulShutdown(
  server: Server,
  options: ShutdownOptions,
): {
  isShuttingDown: () => boolean;
  shutdown: (reason: string) => Promise<void>;
} {
  let shuttingDown = false;
  const { logger } = options;

  const shutdown = async (reason: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info('shutting down', { reason });
    const timer = setTimeout(() => {
      logger.error('shutdown timed out, exiting');
      process.exit(1);
    }, options.timeoutMs ?? 10_000);
    timer.unref();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    for (const step of options.steps) {
      try {
        await step.run();
      } catch (error) {
        logger.error('shutdown step failed', { step: step.name, err: error });
      }
    }
    logger.info('shutdown complete');
  };

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void shutdown(signal).then(() => process.exit(0));
    });
  }
  return { isShuttingDown: () => shuttingDown, shutdown };
}
