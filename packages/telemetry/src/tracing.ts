import type { SpanExporter } from '@opentelemetry/sdk-trace-node';
import type * as TracingSdkModule from './tracing-sdk.js';

/**
 * The OpenTelemetry SDK, its OTLP exporters and the HTTP instrumentation: 12 MiB resident in a
 * service that imports them, for nothing when tracing is off (the default). They are loaded only
 * by loadTracingSdk, which a service awaits before starting when the environment asks for traces.
 */
type TracingSdk = typeof TracingSdkModule;
let sdk: TracingSdk | undefined;

/** Loads the SDK startTracing needs (once; a test awaits it before recording spans). */
export async function loadTracingSdk(): Promise<void> {
  sdk ??= await import('./tracing-sdk.js');
}

export interface Tracing {
  /** How spans leave the process, for the start-up log line. */
  description: string;
  /** Sends the spans still buffered and stops. */
  shutdown(): Promise<void>;
}

/**
 * Whether the environment asks for traces, by OpenTelemetry's own variables: an OTLP endpoint
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `…_TRACES_ENDPOINT`) or `OTEL_TRACES_EXPORTER=otlp`, unless
 * `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`. Off by default.
 */
export function tracingRequested(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return false;
  return Boolean(
    env.OTEL_EXPORTER_OTLP_ENDPOINT ||
    env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ||
    env.OTEL_TRACES_EXPORTER === 'otlp',
  );
}

/** The OTLP protocols this SDK speaks over HTTP (`grpc` would need another exporter). */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;

function exporterFromEnv(
  loaded: TracingSdk,
  env: NodeJS.ProcessEnv,
): { exporter: SpanExporter; protocol: string } {
  const protocol =
    env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
  if (protocol === 'http/json') return { exporter: new loaded.OtlpJsonExporter(), protocol };
  if (protocol === 'http/protobuf')
    return { exporter: new loaded.OtlpProtobufExporter(), protocol };
  throw new Error(
    `OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported: use ${OTLP_PROTOCOLS.join(' or ')}`,
  );
}

/**
 * Starts OpenTelemetry tracing for this process when the environment asks for it (or a test
 * passes an exporter), configured by the standard variables: the OTLP exporter reads its
 * endpoint, headers and timeout, the SDK its sampler (`OTEL_TRACES_SAMPLER`, `…_ARG`; default
 * parent-based always-on), the resource `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES`
 * (`serviceName` when no name is set). Registers the W3C trace-context propagator and the
 * AsyncLocalStorage context manager globally, so `@opentelemetry/api`'s tracer works everywhere,
 * and instruments outgoing `node:http` requests made under a span (`traceHttpClients`).
 * Without it every span is a no-op. The SDK must have been loaded (loadTracingSdk).
 */
export function startTracing(options: {
  serviceName: string;
  env?: NodeJS.ProcessEnv;
  /** Instead of OTLP (tests: an InMemorySpanExporter); spans are then exported one by one. */
  exporter?: SpanExporter;
}): Tracing | undefined {
  const env = options.env ?? process.env;
  if (!options.exporter && !tracingRequested(env)) return undefined;
  if (!sdk) throw new Error('startTracing: await loadTracingSdk() first');
  const {
    BatchSpanProcessor,
    detectResources,
    envDetector,
    NodeTracerProvider,
    resourceFromAttributes,
    SimpleSpanProcessor,
    traceHttpClients,
  } = sdk;
  const fromEnv = options.exporter ? undefined : exporterFromEnv(sdk, env);
  const exporter = options.exporter ?? fromEnv!.exporter;
  const detected = detectResources({ detectors: [envDetector] });
  const resource = resourceFromAttributes({ 'service.name': options.serviceName }).merge(
    env.OTEL_SERVICE_NAME || detected.attributes['service.name'] ? detected : null,
  );
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [
      options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter),
    ],
  });
  provider.register();
  const untraceHttpClients = traceHttpClients(provider);
  return {
    description: fromEnv
      ? `OTLP ${fromEnv.protocol} to ${env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'the default endpoint'}`
      : 'a test exporter',
    shutdown: () => {
      untraceHttpClients();
      return provider.shutdown();
    },
  };
}
