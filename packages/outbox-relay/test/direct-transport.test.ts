import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { APP_IDS, EVENT_SOURCES, TASK_EVENT_TYPES } from '@todo/contracts';
import { createDirectTransport, type OutboxMessage } from '../src/index.js';

const message = (eventId: string): OutboxMessage => ({
  eventId,
  producer: APP_IDS.taskApi,
  aggregateId: 'one-series',
  type: TASK_EVENT_TYPES.deleted,
  payload: { task_id: eventId },
  traceparent: null,
  createdAt: new Date('2026-11-30T12:00:00.000Z'),
});

/** An engine stand-in (a fake) answering every delivery with `answer`. */
async function engineAnswering(answer: RequestListener) {
  const server: Server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
const servers: Server[] = [];

afterEach(async () => {
  jest.restoreAllMocks();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('the direct transport', () => {
  it('posts with node:http, never the global fetch (its WebAssembly parser tiers up with a 30 MiB compilation)', async () => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch');
    const bodies: string[] = [];
    const url = await engineAnswering((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        bodies.push(body);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ status: 'SUCCESS' }));
      });
    });
    const transport = createDirectTransport({ engineUrl: url, source: EVENT_SOURCES.taskApi });
    const results = await transport.publish([message('a'), message('b')]);
    expect(results).toEqual([
      { eventId: 'a', ok: true },
      { eventId: 'b', ok: true },
    ]);
    expect(bodies.map((body) => (JSON.parse(body) as { id: string }).id)).toEqual(['a', 'b']);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('counts an answer that is not JSON, or not 2xx, as not delivered, naming the status', async () => {
    let next: [number, string] = [200, 'not json'];
    const url = await engineAnswering((_req, res) => {
      res.statusCode = next[0];
      res.end(next[1]);
    });
    const transport = createDirectTransport({ engineUrl: url, source: EVENT_SOURCES.taskApi });
    expect(await transport.publish([message('a')])).toEqual([
      { eventId: 'a', ok: false, error: 'engine answered 200' },
    ]);
    next = [503, JSON.stringify({ status: 'SUCCESS' })];
    expect(await transport.publish([message('b')])).toEqual([
      { eventId: 'b', ok: false, error: 'engine answered 503 SUCCESS' },
    ]);
    next = [200, JSON.stringify({ status: 'RETRY' })];
    expect(await transport.publish([message('c')])).toEqual([
      { eventId: 'c', ok: false, error: 'engine answered 200 RETRY' },
    ]);
  });

  it('stops reading an answer longer than any the engine gives, and counts it as not delivered', async () => {
    let written = 0;
    const url = await engineAnswering((_req, res) => {
      res.setHeader('content-type', 'application/json');
      // Endless: only the transport's bound ends it.
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) written += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    });
    const transport = createDirectTransport({
      engineUrl: url,
      source: EVENT_SOURCES.taskApi,
      timeoutMs: 5_000,
    });
    const [result] = await transport.publish([message('a')]);
    expect(result).toEqual({ eventId: 'a', ok: false, error: expect.stringMatching(/too long/) });
    // Reading stopped: what the engine got written is bounded by the sockets' buffers.
    expect(written).toBeLessThan(8 * 1024 * 1024);
  });

  it('gives up on an engine that does not answer within the timeout', async () => {
    const url = await engineAnswering(() => undefined);
    const transport = createDirectTransport({
      engineUrl: url,
      source: EVENT_SOURCES.taskApi,
      timeoutMs: 200,
    });
    const [result] = await transport.publish([message('a')]);
    expect(result).toEqual({
      eventId: 'a',
      ok: false,
      error: 'engine did not answer within 200 ms',
    });
  });
});
