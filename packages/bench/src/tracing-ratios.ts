import { markdownTable, type Row } from './measure.js';

/** One measurement with tracing off and on: its rows, each run named by `key`. */
export interface OffOn {
  off: Row[];
  on: Row[];
  key: string;
}

/** Both runs' rows in one table, a `tracing` column first. */
export function sideBySide({ off, on }: OffOn): Row[] {
  return [
    ...off.map((row) => ({ tracing: 'off', ...row })),
    ...on.map((row) => ({ tracing: 'on', ...row })),
  ];
}

/**
 * For each run and each of `columns`: off, on and on/off. Below 1 is a loss for a throughput,
 * above 1 a loss for a latency.
 */
export function ratios({ off, on, key }: OffOn, columns: string[]): Row[] {
  return off.flatMap((offRow) => {
    const onRow = on.find((row) => row[key] === offRow[key]);
    return columns.map((column) => {
      const a = Number(offRow[column]);
      const b = Number(onRow?.[column]);
      return {
        measure: `${String(offRow[key])}: ${column}`,
        off: offRow[column],
        on: onRow?.[column],
        'on/off': a > 0 && Number.isFinite(b) ? (b / a).toFixed(2) : undefined,
      };
    });
  });
}

export interface TracingResult {
  api: OffOn;
  pipeline: OffOn;
  memory: Row[];
}

/** The ratios first (what the benchmark is for), then both runs' full rows and memory. */
export function tracingMarkdown(result: TracingResult): string {
  return [
    markdownTable([
      ...ratios(result.api, ['req/s', 'p50 ms', 'p99 ms']),
      ...ratios(result.pipeline, [
        'completions/s (API)',
        'sustained until every child exists (/s)',
        'e2e p50 ms',
        'e2e p99 ms',
        'publish lag p50 ms',
      ]),
    ]),
    '',
    markdownTable(sideBySide(result.api)),
    '',
    markdownTable(sideBySide(result.pipeline)),
    '',
    markdownTable(result.memory),
  ].join('\n');
}
