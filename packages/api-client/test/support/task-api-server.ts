import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { createCapturingLogger } from '@todo/service-runtime/testing';
import { createAccessTokens, createApp, createPasswordHasher } from '@todo/task-api';

const ACCESS_TOKEN_TTL_SECONDS = 900;

export interface TaskApiServer {
  baseUrl: string;
  /** Moves task-api's clock past the access tokens' lifetime, within the session's; no waiting. */
  expireAccessTokens(): void;
  close(): Promise<void>;
}

/** The real task-api app over a fresh PostgreSQL database, listening on loopback. */
export async function startTaskApiServer(): Promise<TaskApiServer> {
  const database: TestDatabase = await createTestDatabase();
  let offsetMs = 0;
  const now = () => Date.now() + offsetMs;
  const app = createApp({
    db: database.db,
    logger: createCapturingLogger('task-api', 'warn').logger,
    tokens: createAccessTokens({
      secret: 'api-client-test-secret-long-enough-for-hs256-0123',
      issuer: 'todo-task-api',
      audience: 'todo-frontend',
      ttlSeconds: ACCESS_TOKEN_TTL_SECONDS,
      now,
    }),
    hasher: createPasswordHasher(),
    ready: database.ready,
    now,
    config: {
      corsOrigins: [],
      bodyLimitBytes: 100_000,
      authRateLimitPerMinute: 10_000,
      trustProxyHops: 0,
      docsEnabled: false,
    },
  });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    expireAccessTokens: () => {
      offsetMs += (ACCESS_TOKEN_TTL_SECONDS + 60) * 1000;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.drop();
    },
  };
}
