import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FullConfig } from '@playwright/test';
import { startWebStack } from '@todo/stack-harness';
import { WEB_URL_ENV } from './web-url';

/**
 * Starts the real stack once for the run (PostgreSQL, task-api, the recurrence engine, and the
 * web app's production build behind Vite's preview, each a process group of its own on a free
 * port) and hands the page's URL to the tests; the function returned stops all of it, checked
 * gone. The stack's log is kept beside the run's traces.
 */
export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  const stack = await startWebStack();
  process.env[WEB_URL_ENV] = stack.url;
  return async () => {
    const dir = config.projects[0]!.outputDir;
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'stack.log'), stack.logs.join('\n'));
    } finally {
      await stack.close();
    }
  };
}
