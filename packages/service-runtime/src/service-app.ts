import express, { type Express, type RequestHandler } from 'express';
import { httpServerMetrics, httpServerTracing, type Registry } from '@todo/telemetry';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { healthRouter, type HealthOptions } from './health.js';
import type { Logger } from './logger.js';
import { requestContext } from './request-context.js';

export interface ServiceAppOptions {
  logger: Logger;
  health: HealthOptions;
  /** Express settings, e.g. `{ 'trust proxy': 1 }`. */
  settings?: Record<string, unknown>;
  /**
   * Middleware after the health routes and before the service's own (security headers, CORS,
   * body parsing): probes never depend on them.
   */
  before?: RequestHandler[];
  /** The service's routes, usually `mountRoutes(table, …)`. */
  routes: RequestHandler[];
  /** The service's metrics registry: every request is timed into it (`@todo/telemetry`). */
  metrics?: Registry;
}

/**
 * The skeleton every service's app shares: the request's span, its timer, request ids and the
 * request log line first, then the
 * health routes, the service's middleware and routes, a JSON 404 and the one error handler last.
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  for (const [name, value] of Object.entries(options.settings ?? {})) app.set(name, value);
  // The request's span first, so everything after runs inside it (a no-op without tracing).
  app.use(httpServerTracing());
  if (options.metrics) app.use(httpServerMetrics(options.metrics));
  app.use(requestContext(options.logger));
  app.use(healthRouter(options.health));
  for (const middleware of options.before ?? []) app.use(middleware);
  for (const routes of options.routes) app.use(routes);
  app.use(notFoundHandler());
  app.use(errorHandler(options.logger));
  return app;
}
