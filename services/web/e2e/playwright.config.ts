import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';

/**
 * Playwright cannot download its own browsers on these machines: Debian's chromium (installed by
 * .ci/run) or, where CHROMIUM names one, another Chromium-based browser (GitHub's runners have
 * Google Chrome).
 */
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
// Chromium's sandbox refuses to run as root (CI here runs as root).
const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  // One stack (PostgreSQL, task-api, recurrence engine, the web app) for the whole run.
  globalSetup: './support/global-setup.ts',
  // Each test signs up users of its own, so tests share nothing but the stack; two workers keep
  // the run short on a two-core machine without starving the services.
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  // Traces and failure screenshots, outside the repository; the README's screenshots are written
  // by the tests themselves (support/screenshots.ts).
  outputDir: join(tmpdir(), 'todo-web-browser-suite'),
  use: {
    ...devices['Desktop Chrome'],
    launchOptions: { executablePath, args },
    // A fixed zone and locale: due dates in the profile's zone (the browser's at sign-up) and the
    // screenshots read the same on every machine.
    timezoneId: 'Europe/Berlin',
    locale: 'en-GB',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
