import type { Server } from 'node:http';
import express from 'express';

type Answer =
  | { kind: 'accept' }
  | { kind: 'fail-entries'; entries: Array<{ entryId: string; error: string }> }
  | { kind: 'reject'; status: number; body: unknown }
  | { kind: 'hang' };

/**
 * A stand-in for a daprd sidecar's HTTP API on a real port (named a fake: the real daprd runs in
 * the e2e suite): the metadata endpoint the SDK probes before its first call, and the bulk publish
 * endpoint, which records each request and answers as the test chooses, in daprd's own format.
 */
export async function startDaprdFake() {
  const requests: Array<{
    path: string;
    headers: Record<string, unknown>;
    body: Array<Record<string, unknown>>;
  }> = [];
  let answer: Answer = { kind: 'accept' };
  const app = express();
  app.use(express.json());
  app.get('/v1.0/metadata', (_req, res) => {
    res.json({ id: 'daprd-fake' });
  });
  app.post('/v1.0-alpha1/publish/bulk/:pubsub/:topic', (req, res) => {
    requests.push({
      path: req.path,
      headers: req.headers,
      body: req.body as Array<Record<string, unknown>>,
    });
    switch (answer.kind) {
      case 'accept':
        res.status(204).end();
        return;
      case 'fail-entries':
        // What daprd 1.x answers when some or all entries could not be published (Kafka down).
        res.status(500).json({
          failedEntries: answer.entries,
          errorCode: 'ERR_PUBSUB_PUBLISH_MESSAGE',
        });
        return;
      case 'reject':
        res.status(answer.status).json(answer.body);
        return;
      case 'hang':
        return;
    }
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    requests,
    answerWith(next: Answer) {
      answer = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
