import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { freeLoopbackPort, spawnService, waitFor } from '@todo/service-runtime/testing';

/** The real entry point as a process: configuration check, serving, and graceful shutdown. */
describe('recurrence-engine process', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('serves, then drains and exits 0 on SIGTERM', async () => {
    const port = await freeLoopbackPort();
    const service = spawnService(process.cwd(), 'src/main.ts', {
      DATABASE_URL: database.url,
      APP_API_TOKEN: 'process-test-app-token-0123456789',
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
    });
    await waitFor(
      () => service.output().includes('recurrence-engine listening'),
      20_000,
      'the engine to listen',
    );
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(service.output()).toContain('shutdown complete');
    // Production logs are JSON lines.
    const firstLine = service
      .output()
      .split('\n')
      .find((line) => line.includes('listening'))!;
    expect(JSON.parse(firstLine)).toMatchObject({ level: 'info', service: 'recurrence-engine' });
  }, 30_000);

  it('refuses to start with bad configuration, naming each variable', async () => {
    const service = spawnService(process.cwd(), 'src/main.ts', {
      DATABASE_URL: 'nope',
      NODE_ENV: 'production',
    });
    expect(await service.exited).toBe(2);
    expect(service.output()).toContain('DATABASE_URL');
    expect(service.output()).toContain('APP_API_TOKEN');
  }, 30_000);
});
