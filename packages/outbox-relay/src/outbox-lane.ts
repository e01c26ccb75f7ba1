import type { Database } from '@todo/db';
import type { Logger } from '@todo/service-runtime';
import type { EventTransport } from './outbox-message.js';
import { publishBatch, retryDelayMs, type Lane } from './outbox-store.js';

export interface LaneOptions {
  db: Database;
  producer: string;
  transport: EventTransport;
  lane: Lane;
  batchSize: number;
  pollIntervalMs: number;
  maxRetryDelayMs: number;
  logger: Logger;
}

export interface RunningLane {
  /** A hint that rows may be waiting: run a cycle now (or right after the current one). */
  wake(): void;
  /** Finishes the batch in flight, then resolves. */
  stop(): Promise<void>;
}

/**
 * One publishing loop: claims a batch of its lane's rows, publishes it, and again at once while
 * batches come back full; otherwise sleeps until woken or the poll interval passes. When nothing
 * gets through (the sidecar or broker down) or a cycle fails, this lane alone backs off
 * exponentially; the other lanes keep their own pace.
 */
export function runLane(options: LaneOptions): RunningLane {
  const { lane, batchSize, pollIntervalMs, maxRetryDelayMs } = options;
  const log =
    lane.count > 1 ? options.logger.child({ lane: `${lane.index}/${lane.count}` }) : options.logger;
  let stopped = false;
  // Set by a wake during a cycle, so the rows it announced are looked for right after it.
  let pending = false;
  let interruptSleep: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (pending || stopped) {
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        interruptSleep = undefined;
        resolve();
      }
      interruptSleep = done;
    });

  async function loop() {
    let consecutiveFailures = 0;
    while (!stopped) {
      pending = false;
      let delay = pollIntervalMs;
      try {
        const outcome = await publishBatch(
          options.db,
          { producer: options.producer, batchSize, maxRetryDelayMs, lane },
          (messages) => options.transport.publish(messages),
        );
        if (outcome.claimed > 0) {
          log.log(outcome.failed ? 'warn' : 'debug', 'outbox batch', outcome);
        }
        if (outcome.claimed > 0 && outcome.published === 0) {
          consecutiveFailures += 1;
          delay = retryDelayMs(consecutiveFailures, maxRetryDelayMs);
        } else {
          consecutiveFailures = 0;
          if (outcome.claimed === batchSize) continue;
        }
      } catch (error) {
        consecutiveFailures += 1;
        delay = retryDelayMs(consecutiveFailures, maxRetryDelayMs);
        log.error('outbox relay cycle failed', { err: error, retryInMs: delay });
      }
      await sleep(delay);
    }
  }

  const running = loop();
  return {
    wake() {
      pending = true;
      interruptSleep?.();
    },
    async stop() {
      stopped = true;
      interruptSleep?.();
      await running;
    },
  };
}
