import { freePort } from '@todo/embedded-postgres';
import {
  assertPortsFree,
  pipeLines,
  spawnGroup,
  stopChild,
  waitUntilReady,
} from './child-process.js';

/** One span as Jaeger's query API answers it (`/api/traces`). */
export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  processID: string;
  references: Array<{ refType: string; spanID: string; traceID: string }>;
  tags: Array<{ key: string; value: unknown }>;
  startTime: number;
}
export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags: Array<{ key: string; value: unknown }> }>;
}

export interface RunningJaeger {
  /** `host:port` of its OTLP/HTTP receiver (what daprd's Configuration names). */
  otlpHttpAddress: string;
  /** Its query API and UI. */
  queryUrl: string;
  /** Traces with a span of `service` (and `operation`, if given), newest first. */
  traces(service: string, operation?: string): Promise<JaegerTrace[]>;
  /** One trace by its id, or undefined while Jaeger has none of its spans. */
  trace(traceId: string): Promise<JaegerTrace | undefined>;
  stop(): Promise<void>;
}

/**
 * Jaeger all-in-one (in-memory storage) on free loopback ports: OTLP over HTTP and gRPC in, the
 * query API and UI out. Built by scripts/ensure-jaeger.sh; run as its own process group, stopped
 * and checked gone by `stop`.
 */
export async function startJaeger(options: {
  binary: string;
  log: (line: string) => void;
  /** Where its UI and query API listen; a free port by default. */
  queryPort?: number;
}): Promise<RunningJaeger> {
  const ports = {
    otlpHttp: await freePort(),
    otlpGrpc: await freePort(),
    query: options.queryPort ?? (await freePort()),
    queryGrpc: await freePort(),
    collectorHttp: await freePort(),
    collectorGrpc: await freePort(),
    admin: await freePort(),
  };
  await assertPortsFree(
    Object.fromEntries(Object.entries(ports).map(([k, v]) => [`jaeger ${k}`, v])),
  );
  const at = (port: number) => `127.0.0.1:${port}`;
  const child = spawnGroup(
    options.binary,
    [
      `--collector.otlp.http.host-port=${at(ports.otlpHttp)}`,
      `--collector.otlp.grpc.host-port=${at(ports.otlpGrpc)}`,
      `--query.http-server.host-port=${at(ports.query)}`,
      `--query.grpc-server.host-port=${at(ports.queryGrpc)}`,
      `--collector.http-server.host-port=${at(ports.collectorHttp)}`,
      `--collector.grpc-server.host-port=${at(ports.collectorGrpc)}`,
      `--admin.http.host-port=${at(ports.admin)}`,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', SPAN_STORAGE_TYPE: 'memory' },
    },
  );
  // Kept for the error should it not start: the test logs that hold its output are not printed.
  const lastLines: string[] = [];
  pipeLines(child, (line) => {
    lastLines.push(line);
    if (lastLines.length > 20) lastLines.shift();
    options.log(line);
  });
  const queryUrl = `http://${at(ports.query)}`;
  try {
    await waitUntilReady(
      'jaeger',
      child,
      () => fetch(`${queryUrl}/api/services`).then((r) => r.ok),
      60_000,
      { port: ports.query },
    );
  } catch (error) {
    await stopChild(child, 'SIGKILL');
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}; its last output:\n${lastLines.join('\n')}`,
      { cause: error },
    );
  }
  return {
    otlpHttpAddress: at(ports.otlpHttp),
    queryUrl,
    async traces(service, operation) {
      const query = new URLSearchParams({ service, limit: '100', lookback: '1h' });
      if (operation) query.set('operation', operation);
      const response = await fetch(`${queryUrl}/api/traces?${query}`);
      if (!response.ok) throw new Error(`jaeger /api/traces answered ${response.status}`);
      return ((await response.json()) as { data: JaegerTrace[] | null }).data ?? [];
    },
    async trace(traceId) {
      const response = await fetch(`${queryUrl}/api/traces/${traceId}`);
      if (response.status === 404) return undefined;
      if (!response.ok)
        throw new Error(`jaeger /api/traces/${traceId} answered ${response.status}`);
      return ((await response.json()) as { data: JaegerTrace[] | null }).data?.[0];
    },
    stop: () => stopChild(child),
  };
}
