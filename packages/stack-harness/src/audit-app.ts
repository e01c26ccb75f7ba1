import type { Server } from 'node:http';
import express from 'express';
import { PUBSUB_NAME, TASK_EVENTS_DEAD_LETTER_TOPIC, TASK_EVENTS_TOPIC } from '@todo/contracts';

/** A second subscriber app (its own Dapr app id) that records what it receives. */
export const AUDIT_APP_ID = 'e2e-audit';

export interface AuditApp {
  port: number;
  events: Array<Record<string, unknown>>;
  deadLetters: Array<Record<string, unknown>>;
  /** Dapr Subscription resources for this app: every task event, and the dead-letter topic. */
  subscriptions: Record<string, string>;
  close(): Promise<void>;
}

export async function startAuditApp(): Promise<AuditApp> {
  const events: Array<Record<string, unknown>> = [];
  const deadLetters: Array<Record<string, unknown>> = [];
  const app = express();
  app.use(express.json({ type: ['application/json', 'application/cloudevents+json'] }));
  app.get('/livez', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.post('/events', (req, res) => {
    events.push(req.body as Record<string, unknown>);
    res.json({ status: 'SUCCESS' });
  });
  app.post('/dead-letters', (req, res) => {
    deadLetters.push(req.body as Record<string, unknown>);
    res.json({ status: 'SUCCESS' });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const subscription = (name: string, topic: string, route: string) =>
    [
      'apiVersion: dapr.io/v2alpha1',
      'kind: Subscription',
      `metadata:\n  name: ${name}`,
      `spec:\n  pubsubname: ${PUBSUB_NAME}\n  topic: ${topic}\n  routes:\n    default: ${route}`,
      `scopes:\n  - ${AUDIT_APP_ID}`,
      '',
    ].join('\n');
  return {
    port,
    events,
    deadLetters,
    subscriptions: {
      'e2e-audit-events.yaml': subscription('e2e-audit-events', TASK_EVENTS_TOPIC, '/events'),
      'e2e-audit-dead-letters.yaml': subscription(
        'e2e-audit-dead-letters',
        TASK_EVENTS_DEAD_LETTER_TOPIC,
        '/dead-letters',
      ),
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
