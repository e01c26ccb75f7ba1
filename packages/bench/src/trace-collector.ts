/**
 * The collector a traced benchmark run exports to: the Jaeger all-in-one the e2e suite builds
 * (cached under ~/.cache/todo-platform by ensure-jaeger.sh), so the cost of exporting every span
 * over the network is in the numbers, not only the cost of making them.
 */
import { ensureJaeger, startJaeger, type RunningJaeger } from '@todo/local-stack';
import { eventually } from '@todo/service-runtime/testing';

export async function startTraceCollector(): Promise<RunningJaeger> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  return startJaeger({
    binary: await ensureJaeger(log),
    log: (line) => {
      if (/"level":"(error|fatal)"/.test(line)) log(`[jaeger] ${line}`);
    },
  });
}

/**
 * A service's environment for a traced run: every trace sampled, exported over OTLP/HTTP with
 * the SDK's default batching, as a deployment exports to its collector.
 */
export function tracedServiceEnv(otlpHttpAddress: string): Record<string, string> {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://${otlpHttpAddress}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_TRACES_SAMPLER: 'always_on',
  };
}

/**
 * Waits until the collector holds traces of `service`: a "tracing on" run whose spans never
 * arrived would have measured tracing off.
 */
export async function expectTraces(jaeger: RunningJaeger, service: string): Promise<void> {
  await eventually(async () => (await jaeger.traces(service)).length > 0, {
    what: `traces of ${service} in Jaeger`,
    timeoutMs: 30_000,
    intervalMs: 500,
  });
}
