import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '@todo/embedded-postgres';
import { createMigratedDatabase } from '../create-database.js';
import { ADMIN_URL_ENV, TEMPLATE_ENV } from './test-database.js';

declare global {
  var __todoTestPostgres:
    | {
        server: RunningPostgres | undefined;
        /** The mkdtemp directory the embedded server's data (and password file) live in. */
        tempDir: string | undefined;
        adminUrl: string;
        template: string;
      }
    | undefined;
}

/**
 * Jest global setup: one PostgreSQL server per jest run (embedded unless DATABASE_URL names a
 * server to use), with a migrated template database that each test file clones.
 */
export default async function globalSetup(): Promise<void> {
  let server: RunningPostgres | undefined;
  let tempDir: string | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    tempDir = await mkdtemp(join(tmpdir(), 'todo-test-pg-'));
    server = await startEmbeddedPostgres({
      dataDir: join(tempDir, 'data'),
      persistent: false,
      fast: true,
    });
    adminUrl = server.url;
  }
  const template = `todo_test_template_${process.pid}`;
  await createMigratedDatabase(adminUrl, template, { ifExists: 'replace' });
  process.env[ADMIN_URL_ENV] = adminUrl;
  process.env[TEMPLATE_ENV] = template;
  globalThis.__todoTestPostgres = { server, tempDir, adminUrl, template };
}
