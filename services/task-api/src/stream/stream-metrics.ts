import { Gauge, type Registry } from '@todo/telemetry';
import type { TaskStreams } from './task-streams.js';

/**
 * The replica's open streams against its cap (`STREAM_MAX_OPEN`): a replica at its cap answers new
 * streams with 503, so operators need to see it coming.
 */
export function registerStreamMetrics(
  registry: Registry,
  streams: Pick<TaskStreams, 'size'>,
  maxOpen: number,
): void {
  new Gauge({
    name: 'live_stream_connection_count',
    help: 'Live task streams open on this replica.',
    registers: [registry],
    collect() {
      this.set(streams.size());
    },
  });
  new Gauge({
    name: 'live_stream_connection_max',
    help: 'The live task streams this replica holds at most (STREAM_MAX_OPEN); more get a 503.',
    registers: [registry],
  }).set(maxOpen);
}
