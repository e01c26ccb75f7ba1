import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { Histogram, type Registry } from 'prom-client';
import { registered } from './registered.js';

/** The route label of a request no route matched (404s, parser errors before routing). */
export const UNMATCHED_ROUTE = 'unmatched';

/** OpenTelemetry's advice for `http.server.request.duration`, in seconds. */
export const HTTP_DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

// Any other method is `_OTHER`, as OpenTelemetry's conventions say, so a client cannot mint series.
const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'CONNECT',
  'TRACE',
]);

/**
 * The template of the route that answered, in the OpenAPI form the route tables use
 * (`/api/tasks/{id}`), never the raw path: one series per route, whatever the ids.
 */
export function routeTemplateOf(req: Request): string {
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string') return UNMATCHED_ROUTE;
  return `${req.baseUrl}${path}`.replace(/:(\w+)/g, '{$1}');
}

/** Times one request (see `httpServerTimer`). */
export type ServerRequestTimer = (
  req: IncomingMessage,
  res: ServerResponse,
  routeOf: () => string,
) => void;

/**
 * Times requests into `http_server_request_duration_seconds` (OpenTelemetry's
 * `http.server.request.duration` and its attribute names) once each response closes: by method,
 * the route `routeOf` names then, and the status it had (a request whose client went away is
 * recorded with the status it had). For a request served outside Express (task-api's live
 * stream); `httpServerMetrics` is the middleware.
 */
export function httpServerTimer(registry: Registry): ServerRequestTimer {
  const name = 'http_server_request_duration_seconds';
  const duration = registered(
    registry,
    name,
    () =>
      new Histogram({
        name,
        help: 'Duration of HTTP server requests.',
        labelNames: ['http_request_method', 'http_route', 'http_response_status_code'] as const,
        buckets: HTTP_DURATION_BUCKETS,
        registers: [registry],
      }),
  );
  return (req, res, routeOf) => {
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const method = req.method ?? '';
      duration.observe(
        {
          http_request_method: KNOWN_METHODS.has(method) ? method : '_OTHER',
          http_route: routeOf(),
          http_response_status_code: res.statusCode,
        },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
  };
}

/**
 * Express middleware timing every request (`httpServerTimer`) by the template of the route that
 * answered. Goes first, so it times everything the app does.
 */
export function httpServerMetrics(registry: Registry): RequestHandler {
  const time = httpServerTimer(registry);
  return (req, res, next) => {
    time(req, res, () => routeTemplateOf(req));
    next();
  };
}
