import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { loadTracingSdk, startTracing } from './tracing.js';

/**
 * Tracing for a test: the real SDK, registered for this test file's process, keeping every
 * finished span in memory instead of exporting it.
 */
export async function recordSpans(serviceName: string): Promise<{
  spans(): ReadableSpan[];
  reset(): void;
  shutdown(): Promise<void>;
}> {
  await loadTracingSdk();
  const exporter = new InMemorySpanExporter();
  const tracing = startTracing({ serviceName, exporter })!;
  return {
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    shutdown: () => tracing.shutdown(),
  };
}

export type { ReadableSpan };
