import http from 'node:http';
import https from 'node:https';
import { context, isSpanContextValid, trace, type TracerProvider } from '@opentelemetry/api';
import { isWrapped, registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';

/**
 * OpenTelemetry's own instrumentation of `node:http`'s client: a request made while a span is
 * active gets a CLIENT span under it and carries its `traceparent` header. That is how a library
 * that makes its own requests joins the trace without a seam for headers: the Dapr SDK's
 * `publishBulk` (node-fetch over `node:http`), so the sidecar continues the relay's publish.
 *
 * Only outgoing requests, and only under an active span: incoming requests already get their
 * SERVER span, named by route, from `httpServerTracing`, and a request outside any span (the
 * SDK's sidecar probe, a health check) would only start traces of its own. Returns the step that
 * takes the instrumentation off again.
 */
export function traceHttpClients(tracerProvider: TracerProvider): () => void {
  const instrumentation = new HttpInstrumentation({
    disableIncomingRequestInstrumentation: true,
    // Left alone entirely (no span, no listeners) rather than given a no-op span.
    ignoreOutgoingRequestHook: () => {
      const active = trace.getSpan(context.active());
      return !active || !isSpanContextValid(active.spanContext());
    },
  });
  const disable = registerInstrumentations({ tracerProvider, instrumentations: [instrumentation] });
  // The instrumentation patches `node:http` in place when a module requires it after this point;
  // the services and the SDK loaded theirs before tracing starts (and a test runner may hand out
  // its own `require`), so patch the loaded modules now. Every caller reads the patched `request`
  // at call time; a later require finds them patched and leaves them so.
  const patched = instrumentation.getModuleDefinitions().flatMap((definition) => {
    const loaded = { http, https }[definition.name];
    if (!loaded) return [];
    definition.patch?.(loaded);
    return [() => isWrapped(loaded.request) && definition.unpatch?.(loaded)];
  });
  return () => {
    disable();
    // `disable` takes off only what its own require hooks patched, if any; the rest is ours.
    for (const unpatch of patched) unpatch();
  };
}
