import type { Server } from 'node:http';
import { DAPR_STATUS, type DaprStatus } from '@todo/contracts';
import express from 'express';

/**
 * A stand-in subscriber on a real HTTP port (named a fake: the real engine is tested elsewhere).
 * It records every CloudEvent delivered to it and answers with the status the test chooses.
 */
export async function startSubscriberFake() {
  const received: Array<{ headers: Record<string, unknown>; body: Record<string, unknown> }> = [];
  let answer: DaprStatus | 500 = DAPR_STATUS.success;
  const app = express();
  app.use(express.json({ type: ['application/json', 'application/cloudevents+json'] }));
  app.post('/dapr/task-events', (req, res) => {
    received.push({ headers: req.headers, body: req.body as Record<string, unknown> });
    if (answer === 500) res.status(500).end();
    else res.json({ status: answer });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answerWith(status: typeof answer) {
      answer = status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
