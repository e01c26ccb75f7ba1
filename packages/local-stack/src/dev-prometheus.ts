import { existsSync } from 'node:fs';
import {
  PROMETHEUS_BINARY,
  startPrometheus,
  type RunningPrometheus,
  type ScrapeTarget,
} from './prometheus.js';

/** The graph an operator opens first: recurrence lag p50 and p99 over the last minute. */
const LAG_GRAPH = [
  'histogram_quantile(0.99, sum by (le) (rate(recurrence_lag_seconds_bucket[1m])))',
  'histogram_quantile(0.5, sum by (le) (rate(recurrence_lag_seconds_bucket[1m])))',
];

/**
 * `pnpm dev:dapr`'s Prometheus, when one is installed and not turned off (DEV_PROMETHEUS=off):
 * the stack runs without it, since nothing in it depends on metrics.
 */
export async function startDevPrometheus(options: {
  dir: string;
  targets: ScrapeTarget[];
  log: (line: string) => void;
}): Promise<RunningPrometheus | undefined> {
  if (process.env.DEV_PROMETHEUS === 'off') return undefined;
  if (!existsSync(PROMETHEUS_BINARY)) {
    options.log(
      `no Prometheus (${PROMETHEUS_BINARY} is missing; apt-get install prometheus): metrics are still on the services' /metrics ports`,
    );
    return undefined;
  }
  const port = Number(process.env.PROMETHEUS_PORT ?? 9091);
  const prometheus = await startPrometheus({
    dir: options.dir,
    targets: options.targets,
    port,
    // Its own lines are noise beside the services'; warnings and errors still show.
    log: (line) => {
      if (/level=(warn|error)/.test(line)) options.log(`[prometheus] ${line}`);
    },
  });
  const graph = new URLSearchParams(
    LAG_GRAPH.flatMap((expr, i): Array<[string, string]> => [
      [`g${i}.expr`, expr],
      [`g${i}.tab`, '0'],
      [`g${i}.range_input`, '15m'],
    ]),
  );
  options.log(`prometheus: ${prometheus.url} (recurrence lag: ${prometheus.url}/graph?${graph})`);
  return prometheus;
}
