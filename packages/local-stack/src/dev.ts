/**
 * `pnpm dev`: the zero-setup local system. Starts PostgreSQL (embedded unless DATABASE_URL is
 * set), applies migrations, then runs each service in watch mode, and the web app's dev server in
 * front of task-api, until Ctrl-C.
 */
import { assertPortsFree, waitUntilReady } from './child-process.js';
import { startDevDatabase } from './database.js';
import { devSecret } from './dev-secrets.js';
import { REPO_ROOT } from './paths.js';
import { startService, superviseUntilStopped } from './processes.js';

const log = (line: string) => process.stdout.write(`[dev] ${line}\n`);

const TASK_API_PORT = process.env.TASK_API_PORT ?? '8080';
const ENGINE_PORT = process.env.RECURRENCE_ENGINE_PORT ?? '8081';
const WEB_PORT = process.env.WEB_PORT ?? '5173';
// localhost, not 127.0.0.1: browsers keep task-api's Secure refresh cookie on http://localhost.
const WEB_URL = `http://localhost:${WEB_PORT}`;

async function main() {
  // Fixed ports: one held by an earlier run would answer for the services started now.
  await assertPortsFree({
    'task-api': Number(TASK_API_PORT),
    'recurrence-engine': Number(ENGINE_PORT),
    web: Number(WEB_PORT),
  });
  const database = await startDevDatabase(log);
  const appToken = process.env.APP_API_TOKEN ?? devSecret('app-api-token');
  // Without sidecars, each service's outbox relay delivers straight to the engine's route.
  const directDelivery = {
    EVENT_TRANSPORT: 'direct',
    DIRECT_ENGINE_URL: `http://127.0.0.1:${ENGINE_PORT}`,
    DIRECT_ENGINE_TOKEN: appToken,
  };
  const services = [
    startService(
      {
        name: 'task-api',
        filter: '@todo/task-api',
        env: {
          NODE_ENV: 'development',
          LOG_LEVEL: process.env.LOG_LEVEL ?? 'http',
          PORT: TASK_API_PORT,
          HOST: '127.0.0.1',
          DATABASE_URL: database.url,
          JWT_SECRET: process.env.JWT_SECRET ?? devSecret('jwt'),
          ...directDelivery,
          CORS_ORIGINS: process.env.CORS_ORIGINS ?? 'http://localhost:3000,http://localhost:5173',
        },
      },
      REPO_ROOT,
    ),
    startService(
      {
        name: 'recurrence-engine',
        filter: '@todo/recurrence-engine',
        env: {
          NODE_ENV: 'development',
          LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
          PORT: ENGINE_PORT,
          HOST: '127.0.0.1',
          DATABASE_URL: database.url,
          APP_API_TOKEN: appToken,
          ...directDelivery,
        },
      },
      REPO_ROOT,
    ),
    // Vite's dev server: the app, with /api proxied to task-api (one origin: no CORS, and the
    // refresh cookie is the page's own).
    startService(
      {
        name: 'web',
        filter: '@todo/web',
        env: { WEB_PORT, TASK_API_URL: `http://127.0.0.1:${TASK_API_PORT}` },
      },
      REPO_ROOT,
    ),
  ];
  const web = services[2]!;
  log(`task-api:  http://127.0.0.1:${TASK_API_PORT}  (docs at /docs, OpenAPI at /openapi.json)`);
  log(`recurrence-engine: http://127.0.0.1:${ENGINE_PORT}`);

  superviseUntilStopped(services, log, () => database.stop());

  // Printed once the page is served, so the URL works when it appears.
  await waitUntilReady('web', web, () => answers(`http://127.0.0.1:${WEB_PORT}/`), 60_000, {
    port: Number(WEB_PORT),
  }).then(
    () => log(`open ${WEB_URL} (press Ctrl-C to stop)`),
    (error: unknown) => log(`web did not start: ${error instanceof Error ? error.message : error}`),
  );
}

const answers = (url: string) =>
  fetch(url).then(
    (response) => response.ok,
    () => false,
  );

main().catch((error: unknown) => {
  log(`failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
