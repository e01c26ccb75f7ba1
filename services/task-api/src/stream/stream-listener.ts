import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import {
  AppError,
  errorResponse,
  logWhenFinished,
  requestIdOf,
  type Logger,
} from '@todo/service-runtime';
import { context, startServerSpan, type ServerRequestTimer } from '@todo/telemetry';
import type { Caller } from '../auth/require-auth.js';
import { tokenExpiryMs } from './stream.routes.js';
import type { TaskStreams } from './task-streams.js';

/** The live stream's path, served here; any other spelling of it reaches the Express route. */
export const STREAM_PATH = '/api/tasks/stream';

/** Connect-style middleware that answers synchronously: helmet's and cors's, as the app runs. */
export type HeaderMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

export interface StreamListenerDeps {
  /** Without it the stream answers 503, as the Express route does. */
  streams: TaskStreams | undefined;
  /** The caller of a request with this `Authorization` header, or a 401 `AppError`. */
  authenticate: (authorization: string | undefined) => Promise<Caller>;
  logger: Logger;
  /** The app's own security-header and CORS middleware, so the stream answers with its headers. */
  headers: HeaderMiddleware[];
  /** The app's request timer, when it has metrics. */
  time?: ServerRequestTimer;
  /** TRUST_PROXY_HOPS: whether `X-Forwarded-Proto` names the scheme (the span's `url.scheme`). */
  trustProxyHops: number;
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

/** The scheme as Express's `req.protocol` reads it: the proxy's header when proxies are trusted. */
function schemeOf(req: IncomingMessage, trustProxyHops: number): string {
  const forwarded = trustProxyHops > 0 ? header(req, 'x-forwarded-proto') : undefined;
  if (forwarded) return forwarded.split(',')[0]!.trim();
  return (req.socket as TLSSocket).encrypted ? 'https' : 'http';
}

function runHeaders(middleware: HeaderMiddleware, req: IncomingMessage, res: ServerResponse) {
  let outcome: { error?: unknown } | undefined;
  middleware(req, res, (error) => (outcome = { error }));
  // Both answer a GET at once; one that did not would leave the stream waiting for ever.
  if (!outcome) throw new Error('header middleware did not answer synchronously');
  if (outcome.error) throw outcome.error;
}

/**
 * `GET /api/tasks/stream` served by `node:http` alone, in front of the Express app; every other
 * request goes to the app. A stream outlives its request by minutes, so what its request and
 * response hold stays for as long: through Express a held stream took 22-25 KiB of task-api's
 * RSS (Express gives every request and response hidden classes of their own when it sets their
 * prototypes, and its router keeps the request's closures), served here about 14 (packages/bench
 * README, levers table). The answer is the route's: the same span, timer, request id and log line,
 * security and CORS headers (the app's own middleware), authentication, error bodies. The route
 * stays in the app's table for the OpenAPI document and for the path's other spellings (a trailing
 * slash, other letter case), which Express matches; `test/stream-listener.test.ts` compares them.
 */
export function withStreamListener(
  app: RequestListener,
  deps: StreamListenerDeps,
): RequestListener {
  return (req, res) => {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    if (
      req.method !== 'GET' ||
      (query === -1 ? url : url.slice(0, query)) !== STREAM_PATH ||
      // A GET with a body is the app's: it reads (and may refuse) the body before any route.
      hasBody(req)
    ) {
      app(req, res);
      return;
    }
    serveStream(req, res, deps).catch((error: unknown) => {
      // Only a fault outside the request's own handling lands here; Express's router would catch it.
      deps.logger.error('live stream request failed', { err: error });
      // So the span and the timer record the fault, not the default 200.
      res.statusCode = 500;
      res.destroy();
    });
  };
}

// As Express's body parsers judge it (type-is): any Content-Length, even 0, or Transfer-Encoding.
const hasBody = (req: IncomingMessage) =>
  req.headers['transfer-encoding'] !== undefined || req.headers['content-length'] !== undefined;

async function serveStream(req: IncomingMessage, res: ServerResponse, deps: StreamListenerDeps) {
  const routeOf = () => STREAM_PATH;
  const span = startServerSpan(req, res, schemeOf(req, deps.trustProxyHops), routeOf);
  deps.time?.(req, res, routeOf);
  await context.with(span, async () => {
    const requestId = requestIdOf(header(req, 'x-request-id'));
    let log = deps.logger.child({ requestId });
    res.setHeader('x-request-id', requestId);
    logWhenFinished(res, 'GET', routeOf, () => log);
    try {
      for (const middleware of deps.headers) runHeaders(middleware, req, res);
      const authorization = header(req, 'authorization');
      const caller = await deps.authenticate(authorization);
      // One child with both fields: a child of the request's child would make that a prototype.
      log = deps.logger.child({ requestId, userId: caller.userId });
      if (!deps.streams) throw new AppError('service_unavailable', 'the live stream is off');
      await deps.streams.open(res, {
        ...caller,
        lastEventId: header(req, 'last-event-id'),
        expiresAtMs: tokenExpiryMs(authorization),
        log,
      });
    } catch (error) {
      const known = error instanceof AppError ? error : undefined;
      if (res.headersSent) {
        // As Express does once a response has begun: the error is logged, the connection cut.
        errorResponse(error, known, log);
        res.destroy();
        return;
      }
      const { status, body } = errorResponse(error, known, log);
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    }
  });
}
