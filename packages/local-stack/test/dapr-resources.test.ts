import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  APP_IDS,
  PUBSUB_NAME,
  RECURRENCE_ENGINE_EVENTS_ROUTE,
  RECURRENCE_ENGINE_MAX_BULK_ENTRIES,
  TASK_EVENTS_DEAD_LETTER_TOPIC,
  TASK_EVENTS_TOPIC,
} from '@todo/contracts';
import { parseAllDocuments } from 'yaml';
import { DAPR_CONFIG_FILE, DAPR_RESOURCES_DIR } from '../src/index.js';

type Resource = {
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown>;
  scopes?: string[];
};

const resources: Resource[] = readdirSync(DAPR_RESOURCES_DIR).flatMap((file) =>
  parseAllDocuments(readFileSync(join(DAPR_RESOURCES_DIR, file), 'utf8')).map(
    (doc) => doc.toJS() as Resource,
  ),
);
const byKind = (kind: string) => resources.filter((r) => r.kind === kind);

/** The local Dapr resources must say what the code says, so the two cannot drift apart. */
describe('infra/dapr resources', () => {
  it('declare the pub/sub component the code publishes to, with a group per app', () => {
    const [pubsub] = byKind('Component').filter((c) =>
      (c.spec.type as string).startsWith('pubsub.'),
    );
    expect(pubsub!.metadata.name).toBe(PUBSUB_NAME);
    const metadata = pubsub!.spec.metadata as Array<{ name: string; value?: string }>;
    expect(metadata.map((m) => m.name)).not.toContain('consumerGroup');
    expect(metadata.find((m) => m.name === 'initialOffset')?.value).toBe('oldest');
    expect(pubsub!.scopes).toEqual(
      expect.arrayContaining([APP_IDS.taskApi, APP_IDS.recurrenceEngine]),
    );
  });

  it('subscribe the engine to the topic on its route, with the dead-letter topic', () => {
    const [subscription] = byKind('Subscription');
    expect(subscription!.spec).toMatchObject({
      pubsubname: PUBSUB_NAME,
      topic: TASK_EVENTS_TOPIC,
      routes: { default: RECURRENCE_ENGINE_EVENTS_ROUTE },
      deadLetterTopic: TASK_EVENTS_DEAD_LETTER_TOPIC,
    });
    expect(subscription!.scopes).toEqual([APP_IDS.recurrenceEngine]);
    // Bulk delivery, with both limits set (Kafka's default wait is 10 s) within the engine's cap.
    const bulk = subscription!.spec.bulkSubscribe as {
      enabled: boolean;
      maxMessagesCount: number;
      maxAwaitDurationMs: number;
    };
    expect(bulk.enabled).toBe(true);
    expect(bulk.maxMessagesCount).toBeGreaterThan(1);
    expect(bulk.maxMessagesCount).toBeLessThanOrEqual(RECURRENCE_ENGINE_MAX_BULK_ENTRIES);
    expect(bulk.maxAwaitDurationMs).toBeGreaterThan(0);
    expect(bulk.maxAwaitDurationMs).toBeLessThanOrEqual(100);
  });

  it('pair the dead-letter topic with an inbound retry policy on that component', () => {
    const [resiliency] = byKind('Resiliency');
    const targets = resiliency!.spec.targets as {
      components: Record<string, { inbound?: { retry?: string } }>;
    };
    const retry = targets.components[PUBSUB_NAME]?.inbound?.retry;
    expect(retry).toBeDefined();
    expect(
      (resiliency!.spec.policies as { retries: Record<string, unknown> }).retries[retry!],
    ).toBeDefined();
  });

  it('have a sidecar configuration file', () => {
    expect(readFileSync(DAPR_CONFIG_FILE, 'utf8')).toContain('kind: Configuration');
  });
});
