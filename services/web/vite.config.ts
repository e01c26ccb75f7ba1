import react from '@vitejs/plugin-react';
import { defaultClientConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/** Where the dev server forwards API requests; `pnpm dev` sets it to the task-api it starts. */
const apiTarget = process.env.TASK_API_URL ?? 'http://127.0.0.1:8080';
const port = Number(process.env.WEB_PORT ?? 5173);

// Same origin as the page: no CORS, and the refresh cookie (Path=/api/auth) is the page's own.
// The Host header is kept (no changeOrigin), so task-api sees the page's origin as its own when it
// checks a cookie-authenticated request's Origin.
const toApi = { target: apiTarget, changeOrigin: false } as const;

export default defineConfig({
  plugins: [react()],
  resolve: {
    // Workspace packages (@todo/api-client) export their TypeScript under `source`: no build
    // of theirs is needed for dev, test or this app's own bundle.
    conditions: ['source', ...defaultClientConditions],
  },
  server: {
    host: '127.0.0.1',
    port,
    strictPort: true,
    // The dev server neither buffers nor compresses what it proxies, so the live stream
    // (text/event-stream) reaches the page event by event.
    proxy: { '/api': toApi, '/openapi.json': toApi, '/docs': toApi, '/livez': toApi },
  },
  preview: { host: '127.0.0.1', port, strictPort: true, proxy: { '/api': toApi } },
  build: { outDir: 'dist', sourcemap: true },
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // Component tests choose jsdom in their first line; the pure modules run in plain Node.
    environment: 'node',
  },
});
