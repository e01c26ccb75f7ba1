/**
 * What startTracing uses from the OpenTelemetry SDK, in a module of its own so that only a
 * process that traces loads it (tracing.ts, loadTracingSdk).
 */
export { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
export { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
export { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
export {
  BatchSpanProcessor,
  NodeTracerProvider,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
export { traceHttpClients } from './http-client-tracing.js';
