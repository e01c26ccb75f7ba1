import {
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  trace,
} from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { routeTemplateOf } from './http-metrics.js';
import { tracer } from './trace-context.js';

/**
 * Express middleware opening a SERVER span per request, continuing the caller's `traceparent`
 * (daprd's, a client's), active for everything the request does. Named `METHOD /route/{template}`
 * once the route is known (OpenTelemetry's HTTP conventions), never by the raw path. A no-op
 * span when tracing is off.
 */
export function httpServerTracing(): RequestHandler {
  return (req, res, next) => {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer().startSpan(
      req.method,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': req.method, 'url.scheme': req.protocol },
      },
      parent,
    );
    res.once('close', () => {
      const route = routeTemplateOf(req);
      span.updateName(`${req.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': res.statusCode });
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
