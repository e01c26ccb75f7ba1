import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from './logger.js';

export interface ShutdownOptions {
  logger: Logger;
  /** Called in order after the server has drained. */
  steps: Array<{ name: string; run: () => Promise<void> }>;
  /** Exit anyway after this long, so a stuck dependency cannot block a rollout. */
  timeoutMs?: number;
}

export interface ServerDrain {
  /**
   * Stops accepting connections, closes every connection without a request in progress at once
   * and each other one as soon as its last answer is sent; resolves when none is left.
   */
  drain(): Promise<void>;
}

/**
 * Follows a server's connections and the requests in progress on each, so a drain can close a
 * connection the moment it has nothing left to answer. `server.close()` alone waits for every
 * connection to close, and the `closeIdleConnections()` it calls reaches fewer of them than a
 * drain must: a connection that has not sent a request yet counts as busy in Node (undici opens
 * such a spare connection when a fetch is aborted and another one starts; load balancers and TCP
 * probes open them too), and a keep-alive connection answered after that call stays open for as
 * long as the client keeps it (undici honours the 65 s `Keep-Alive: timeout` runService sets).
 * Either kept the drain waiting until the forced exit. Install it before the server accepts.
 */
export function trackConnections(server: Server): ServerDrain {
  // Each connection with its responses not yet sent (more than one when requests are pipelined).
  const unanswered = new Map<Socket, Set<ServerResponse>>();
  let draining = false;

  const closeIfIdle = (socket: Socket) => {
    // Ends after what was written is flushed: a response just finished still reaches its client.
    if (draining && unanswered.get(socket)?.size === 0) socket.destroySoon();
  };
  /** Tells the client not to send another request on this connection. */
  const lastOnItsConnection = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  };

  server.on('connection', (socket: Socket) => {
    unanswered.set(socket, new Set());
    socket.once('close', () => unanswered.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    const responses = unanswered.get(socket);
    if (!responses) return;
    responses.add(res);
    if (draining) lastOnItsConnection(res);
    // 'close' comes once the response is sent, or when its connection is lost before that.
    res.once('close', () => {
      responses.delete(res);
      closeIfIdle(socket);
    });
  });

  return {
    drain() {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const [socket, responses] of unanswered) {
        responses.forEach(lastOnItsConnection);
        closeIfIdle(socket);
      }
      return closed;
    },
  };
}

/**
 * Stops the server gracefully on SIGTERM/SIGINT: stop accepting, let the requests in progress
 * finish (each connection closed once it has nothing left to answer), then close dependencies.
 */
export function installGracefulShutdown(
  server: Server,
  options: ShutdownOptions,
): {
  isShuttingDown: () => boolean;
  shutdown: (reason: string) => Promise<void>;
} {
  let shuttingDown = false;
  const { logger } = options;
  const connections = trackConnections(server);

  const shutdown = async (reason: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info('shutting down', { reason });
    const timer = setTimeout(() => {
      logger.error('shutdown timed out, exiting');
      process.exit(1);
    }, options.timeoutMs ?? 10_000);
    timer.unref();
    await connections.drain();
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
