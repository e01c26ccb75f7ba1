import { z } from 'zod';
import type { PrunerConfig } from './change-log-pruner.js';
import type { TaskStreamsConfig } from './task-streams.js';

const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** The live stream's variables, spread into env.ts's schema. */
export const streamEnvFields = {
  /** How long changes are kept for a reconnect to resume from (`Last-Event-ID`). */
  STREAM_RETENTION_SECONDS: int(60, 30 * 86_400, 86_400),
  /** Seconds between heartbeat comments on an idle stream. */
  STREAM_HEARTBEAT_SECONDS: int(1, 300, 15),
  /** Open streams per user on one replica. */
  STREAM_MAX_PER_USER: int(1, 100, 5),
  /**
   * Open streams on one replica, whoever holds them. An idle stream costs about 14 KiB of RSS,
   * mostly Node's HTTP objects (bench:stream, served outside Express: stream-listener.ts), so
   * 2,000 take some 30 MiB; a stream whose client stops reading may also hold up to
   * STREAM_MAX_BUFFER_BYTES until it is cut off (packages/bench README, "What the peaks are made
   * of", and "Live stream").
   */
  STREAM_MAX_OPEN: int(1, 100_000, 2000),
  /** Unsent bytes a stream may hold before its client is cut off as not reading. */
  STREAM_MAX_BUFFER_BYTES: int(1024, 64 * 1024 * 1024, 1024 * 1024),
  /** The reconnect delay a stream suggests (`retry:`), in milliseconds. */
  STREAM_RETRY_MS: int(100, 60_000, 2000),
  /** Mean seconds between prunings of the change log. */
  STREAM_PRUNE_INTERVAL_SECONDS: int(1, 86_400, 300),
};

type StreamEnv = { [K in keyof typeof streamEnvFields]: z.output<(typeof streamEnvFields)[K]> };

export interface LiveStreamConfig {
  streams: TaskStreamsConfig;
  pruner: PrunerConfig;
}

export function liveStreamConfigOf(env: StreamEnv): LiveStreamConfig {
  return {
    streams: {
      heartbeatMs: env.STREAM_HEARTBEAT_SECONDS * 1000,
      retryMs: env.STREAM_RETRY_MS,
      maxPerUser: env.STREAM_MAX_PER_USER,
      maxOpen: env.STREAM_MAX_OPEN,
      maxBufferBytes: env.STREAM_MAX_BUFFER_BYTES,
      // A backlog waits for a slow socket at most two heartbeats.
      drainTimeoutMs: 2 * env.STREAM_HEARTBEAT_SECONDS * 1000,
      batchSize: 200,
    },
    pruner: {
      retentionSeconds: env.STREAM_RETENTION_SECONDS,
      intervalMs: env.STREAM_PRUNE_INTERVAL_SECONDS * 1000,
      batchSize: 1000,
    },
  };
}

/** The defaults, for apps built without an environment (tests, other packages). */
export const DEFAULT_LIVE_STREAM_CONFIG: LiveStreamConfig = liveStreamConfigOf(
  z.object(streamEnvFields).parse({}),
);
