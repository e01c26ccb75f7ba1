import { decodeJwt } from 'jose';
import { z } from 'zod';
import { AppError, errorBodySchema, eventStreamResponse } from '@todo/service-runtime';
import { route } from '../api-route.js';
import { taskStreamEventSchema } from './stream-events.js';

/** The access token's expiry (epoch ms); the token has been verified before this runs. */
export function tokenExpiryMs(authorization: string | undefined): number {
  const { exp } = decodeJwt(authorization?.replace(/^Bearer /, '') ?? '');
  return (exp ?? 0) * 1000;
}

export const STREAM_ROUTES = [
  route({
    method: 'get',
    path: '/api/tasks/stream',
    operationId: 'streamTaskChanges',
    summary: 'Live stream of the caller’s task changes (Server-Sent Events)',
    tags: ['tasks'],
    security: 'bearer',
    responses: {
      200: eventStreamResponse(
        taskStreamEventSchema,
        'Every change to the caller’s tasks, whoever made it, in commit order. Send ' +
          '`Last-Event-ID` (the `id` of the last event received) to resume: the changes after it ' +
          'follow (kept `STREAM_RETENTION_SECONDS`, 24 h by default), or a `reset` event when ' +
          'they cannot be replayed. A comment line comes every 15 s. The stream ends with a ' +
          '`retry:` hint when the access token expires or the server shuts down: reconnect with ' +
          'a fresh token and `Last-Event-ID`. When the session ends (logout, password change, ' +
          'refresh-token reuse), the stream ends by the next heartbeat with a last ' +
          '`signed_out` event and no `retry:`. Browsers read it with `fetch` (the bearer header), ' +
          'not `EventSource`.',
      ),
      429: {
        description: 'The caller already has the maximum number of open streams on this server',
        content: { 'application/json': { schema: errorBodySchema } },
        headers: z.object({
          'Retry-After': z.string().meta({ description: 'Seconds to wait before trying again' }),
        }),
      },
    },
    errors: {
      503:
        'The server is shutting down, cannot listen for changes, or holds its maximum of open ' +
        'streams (then with `Retry-After`); retry shortly. Also the answer to a stream request ' +
        'pipelined behind an unfinished response on its connection: open streams on a ' +
        'connection of their own',
    },
    handler: async (_input, { deps, req, res }) => {
      if (!deps.streams) throw new AppError('service_unavailable', 'the live stream is off');
      await deps.streams.open(res, {
        userId: res.locals.userId,
        sessionId: res.locals.sessionId,
        lastEventId: req.get('last-event-id'),
        expiresAtMs: tokenExpiryMs(req.get('authorization')),
        log: res.locals.ctx.log,
      });
    },
  }),
];
