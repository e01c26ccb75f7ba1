import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { serveThenTerminate } from '@todo/service-runtime/testing';

/** What a fetch stream has sent so far, and a promise for all of it once the server ends it. */
async function openStream(url: string, token: string, signal?: AbortSignal) {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal });
  expect(response.status).toBe(200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  const readUntil = async (done: () => boolean) => {
    while (!done()) {
      const chunk = await reader.read();
      if (chunk.done) return;
      text += chunk.value;
    }
  };
  await readUntil(() => text.includes('event: ready'));
  const rest = readUntil(() => false);
  // An aborted stream's read rejects: what it had received is all there is.
  return {
    ended: rest.then(
      () => text,
      (error: unknown) => (signal?.aborted ? text : Promise.reject(error)),
    ),
  };
}

/**
 * task-api as a real process, shut down right after clients did what browsers and undici do:
 * abort a stream and open another (undici then opens a spare connection it sends nothing on),
 * keep an idle keep-alive connection, open a connection and send nothing. None of them may hold
 * up the drain: it used to wait for the spare connection until the forced exit (exit 1, 10 s).
 */
describe('task-api shutdown with stream clients', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('drains and exits 0 after a client aborted a stream and opened another', async () => {
    const run = await serveThenTerminate({
      name: 'task-api',
      cwd: process.cwd(),
      env: {
        DATABASE_URL: database.url,
        JWT_SECRET: 'process-test-secret-that-is-long-enough-0123',
        NODE_ENV: 'production',
      },
      whileServing: async (port) => {
        const base = `http://127.0.0.1:${port}`;
        const registered = await fetch(`${base}/api/auth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'leaving@example.com', password: 'a long password 123' }),
        });
        const { access_token: token } = (await registered.json()) as { access_token: string };
        const abort = new AbortController();
        await openStream(`${base}/api/tasks/stream`, token, abort.signal);
        abort.abort();
        const second = await openStream(`${base}/api/tasks/stream`, token);
        const silent = connect(port, '127.0.0.1');
        silent.on('error', () => undefined);
        await new Promise((resolve) => silent.once('connect', resolve));
        return { second };
      },
    });
    expect(run.output).not.toContain('shutdown timed out');
    expect(run.output).toContain('shutdown complete');
    expect(run.exitCode).toBe(0);
    // The open stream was ended with a reconnect hint (one on opening, one on ending).
    const text = await run.probed!.second.ended;
    expect(text.match(/^retry: \d+$/gm)).toHaveLength(2);
  }, 30_000);
});
