import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';

/**
 * Not a test suite: takes the root README's Observability screenshots from the tools that
 * `pnpm dev:dapr` runs beside the stack (observability-screenshots.shots.ts says how). The browser
 * suite's config matches `*.spec.ts` only, so it never runs this.
 */
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
// Chromium's sandbox refuses to run as root.
const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];

export default defineConfig({
  testDir: '.',
  testMatch: 'observability-screenshots.shots.ts',
  workers: 1,
  retries: 0,
  // Six completions through Kafka, then waiting for Prometheus and Jaeger to have them.
  timeout: 180_000,
  expect: { timeout: 60_000 },
  reporter: [['list']],
  // Playwright's own output, outside the repository; the screenshots go to docs/screenshots.
  outputDir: join(tmpdir(), 'todo-observability-screenshots'),
  use: {
    ...devices['Desktop Chrome'],
    viewport: { width: 1440, height: 900 },
    launchOptions: { executablePath, args },
    timezoneId: 'UTC',
    locale: 'en-GB',
  },
});
