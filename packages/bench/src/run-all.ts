/** `pnpm bench`: every benchmark, printed and written to results/latest.{md,json}. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatTable } from '@todo/stack-harness';
import { apiBench } from './api-bench.js';
import { dataScaleBench, dataScaleMarkdown } from './data-scale-bench.js';
import { drainBench } from './drain-bench.js';
import { markdownTable, serviceNodeVersion } from './measure.js';
import { pipelineBench } from './pipeline-bench.js';
import { recurrenceBench } from './recurrence-bench.js';
import { streamBench } from './stream-bench.js';
import { tracingBench } from './tracing-bench.js';
import { tracingMarkdown } from './tracing-ratios.js';
import { webBundleBench } from './web-bundle.js';

// First, on a quiet machine: pure CPU, no services running yet.
const recurrence = recurrenceBench();
// Sizes, not times: `vite build` once, before the services start.
const webBundle = webBundleBench();
const api = await apiBench();
const pipeline = await pipelineBench();
const drain = await drainBench();
const tracing = await tracingBench();
const stream = await streamBench();
// Last: it seeds millions of rows (BENCH_SCALE), minutes of the run.
const dataScale = await dataScaleBench();
const when = new Date().toISOString();
const markdown = [
  `Measured ${when} on ${process.platform}/${process.arch}, Node ${process.version} (services on ${serviceNodeVersion()}), by \`pnpm bench\`.`,
  '',
  '**API** (autocannon, fixed concurrency; baseline = bare Express 5 + postgres.js, same query)',
  '',
  markdownTable(api.rows),
  '',
  '**Pipeline** (task-api → outbox → daprd → Kafka → daprd → engine → child committed)',
  '',
  markdownTable(pipeline.rows),
  '',
  'Per stage, paced runs (commit timestamps on one clock; packages/bench/src/stage-timings.ts)',
  '',
  markdownTable(pipeline.stages),
  '',
  'CPU per process over each paced run (packages/bench/src/stack-cpu.ts)',
  '',
  markdownTable(pipeline.cpu),
  '',
  '**Engine drain** (a backlog of completions in Kafka, produced with no engine running; then 1 and 2 replicas)',
  '',
  markdownTable(drain.rows),
  '',
  markdownTable(drain.processes),
  '',
  formatTable(drain.reconciliations),
  '',
  '**Tracing overhead** (list endpoint and pipeline, tracing off and on: every span sampled and exported over OTLP/HTTP to Jaeger)',
  '',
  tracingMarkdown(tracing),
  '',
  "**Live stream** (`pnpm dev`'s direct transport; commit timestamp → event parsed by `@todo/api-client`)",
  '',
  markdownTable(stream.latency),
  '',
  markdownTable(stream.resources),
  '',
  ...stream.summary,
  '',
  '**Memory**',
  '',
  markdownTable([...api.memory, ...pipeline.memory, ...stream.memory]),
  '',
  '**Recurrence** (the costliest accepted rules and dates; random rules over the whole grammar and range 1900..9999)',
  '',
  markdownTable(recurrence.rows),
  '',
  markdownTable(recurrence.random),
  '',
  `**Web bundle** (\`vite build\` of services/web; gzip at the level services/web/nginx.conf serves, ${webBundle.gzipLevel})`,
  '',
  markdownTable(webBundle.rows),
  '',
  webBundle.summary,
  '',
  '**Data scale** (a user with 200,000 tasks against one with 1,000, beside millions of rows; `BENCH_SCALE` of the issue-17 sizes)',
  '',
  dataScaleMarkdown(dataScale),
  '',
].join('\n');
const dir = fileURLToPath(new URL('../results/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}latest.md`, markdown);
writeFileSync(
  `${dir}latest.json`,
  `${JSON.stringify({ when, api, pipeline, drain, tracing, stream, recurrence, webBundle, dataScale }, null, 2)}\n`,
);
process.stdout.write(`${markdown}\nwritten to ${dir}latest.md\n`);
process.exit(0);
