/**
 * Tracing's overhead (issue 14): the list endpoint (api-bench's `list` scenario) and the pipeline
 * (pipeline-bench), each run with tracing off (no OTEL_* variables, the sidecars exporting
 * nowhere) and on (every trace sampled; the services and both daprd sidecars export every span
 * over OTLP/HTTP to a real Jaeger), in one run, with the on/off ratios. Asserts nothing, except
 * that the traced runs' spans reached Jaeger.
 */
import { fileURLToPath } from 'node:url';
import { runThenStop } from '@todo/local-stack';
import { apiBench } from './api-bench.js';
import { pipelineBench } from './pipeline-bench.js';
import { expectTraces, startTraceCollector, tracedServiceEnv } from './trace-collector.js';
import { tracingMarkdown, type TracingResult } from './tracing-ratios.js';

// One paced rate (not pipeline-bench's two) and the burst: the pipeline runs twice here.
const PACED_RATES = (process.env.BENCH_TRACING_PACED_RATES ?? '50')
  .split(',')
  .filter(Boolean)
  .map(Number);

export async function tracingBench(): Promise<TracingResult> {
  const jaeger = await startTraceCollector();
  return runThenStop(async () => {
    const list = new Set(['list']);
    const apiOff = await apiBench({ scenarios: list, label: 'tracing off' });
    const apiOn = await apiBench({
      scenarios: list,
      env: tracedServiceEnv(jaeger.otlpHttpAddress),
      label: 'tracing on',
    });
    await expectTraces(jaeger, 'task-api');
    const pipelineOff = await pipelineBench({ pacedRates: PACED_RATES, label: 'tracing off' });
    // startStack samples every trace (the SDK's parent-based always-on; the sidecars' rate 1).
    const pipelineOn = await pipelineBench({
      pacedRates: PACED_RATES,
      tracing: { otlpHttpAddress: jaeger.otlpHttpAddress },
      label: 'tracing on',
    });
    await expectTraces(jaeger, 'recurrence-engine');
    return {
      api: { off: apiOff.rows, on: apiOn.rows, key: 'scenario' },
      pipeline: { off: pipelineOff.rows, on: pipelineOn.rows, key: 'run' },
      memory: [...apiOff.memory, ...apiOn.memory, ...pipelineOff.memory, ...pipelineOn.memory],
    };
  }, [() => jaeger.stop()]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(`${tracingMarkdown(await tracingBench())}\n`);
  process.exit(0);
}
