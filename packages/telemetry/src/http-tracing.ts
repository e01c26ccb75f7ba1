import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  trace,
  type Context,
} from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { routeTemplateOf } from './http-metrics.js';
import { tracer } from './trace-context.js';

/**
 * Opens a SERVER span for one request, continuing the caller's `traceparent` (daprd's, a
 * client's), and returns the context to run the request in. Named `METHOD /route/{template}` by
 * `routeOf` once the response closes (OpenTelemetry's HTTP conventions), never by the raw path. A
 * no-op span when tracing is off. For a request served outside Express (task-api's live stream);
 * `httpServerTracing` is the middleware.
 */
export function startServerSpan(
  req: IncomingMessage,
  res: ServerResponse,
  scheme: string,
  routeOf: () => string,
): Context {
  const method = req.method ?? '';
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const span = tracer().startSpan(
    method,
    {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': method, 'url.scheme': scheme },
    },
    parent,
  );
  res.once('close', () => {
    const route = routeOf();
    span.updateName(`${method} ${route}`);
    span.setAttributes({ 'http.route': route, 'http.response.status_code': res.statusCode });
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  return trace.setSpan(parent, span);
}

/**
 * Express middleware running every request in its SERVER span (`startServerSpan`), named by the
 * template of the route that answered.
 */
export function httpServerTracing(): RequestHandler {
  return (req, res, next) => {
    context.with(
      startServerSpan(req, res, req.protocol, () => routeTemplateOf(req)),
      next,
    );
  };
}
