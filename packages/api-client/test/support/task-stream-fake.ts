import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake does with one stream request: answer it through `res`. */
export type StreamScript = (res: ServerResponse, headers: IncomingHttpHeaders) => void;

/**
 * A stand-in for task-api's `GET /api/tasks/stream` and `POST /api/auth/refresh` over real HTTP,
 * answering each stream request with the next script, so a test can play cut connections,
 * `retry:` hints, 401s and resets in the order it needs, which the real server does only on its
 * own schedule (token expiry, shutdown). It accepts the token it last issued.
 */
export async function startTaskStreamFake(scripts: StreamScript[]) {
  const streamRequests: IncomingHttpHeaders[] = [];
  let refreshes = 0;
  let refreshRefused = false;
  let validToken = 'token-0';
  const server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/api/auth/refresh') {
      refreshes += 1;
      if (refreshRefused) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'unauthenticated', message: 'session ended' } }));
        return;
      }
      validToken = `token-${refreshes}`;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          access_token: validToken,
          token_type: 'Bearer',
          expires_in: 900,
          refresh_expires_in: 86_400,
          refresh_token: `refresh-${refreshes}`,
        }),
      );
      return;
    }
    if (req.method === 'GET' && req.url === '/api/tasks/stream') {
      streamRequests.push(req.headers);
      if (req.headers.authorization !== `Bearer ${validToken}`) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'unauthenticated', message: 'expired token' } }));
        return;
      }
      const script = scripts.shift();
      if (!script) return; // no more scripts: stay open and silent until the client aborts
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      script(res, req.headers);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    streamRequests,
    refreshes: () => refreshes,
    /** From now on every access token is refused, as after expiry. */
    expireToken: () => {
      validToken = `token-${refreshes}-expired`;
    },
    refuseRefresh: () => {
      refreshRefused = true;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One SSE event as task-api writes it. */
export const sseEvent = (id: string, event: string, data: unknown) =>
  `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
