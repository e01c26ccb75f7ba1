import { z } from 'zod';
import { PUBSUB_NAME, TASK_EVENTS_TOPIC } from './names.js';

/**
 * The CloudEvents 1.0 envelope Dapr delivers to subscribers. Dapr adds its own attributes
 * (topic, pubsubname, traceparent, ...), so unknown envelope attributes are allowed. The `type`
 * and `data` inside are left to the subscriber, which checks strictly only the events it handles
 * (the engine: completions) against their schema in task-events.ts.
 */
export const cloudEventEnvelopeSchema = z.looseObject({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  source: z.string().min(1),
  type: z.string().min(1),
  data: z.unknown(),
});

export interface CloudEventInput {
  id: string;
  source: string;
  type: string;
  data: unknown;
  /** When the event happened (ISO 8601). */
  time: string;
  traceparent?: string | null | undefined;
}

/**
 * The structured CloudEvent a subscriber receives for a task event, with the attributes Dapr adds
 * on delivery (topic, pubsubname). Used by the direct transport that stands in for Dapr when no
 * sidecar runs, and by tests that deliver events the way Dapr does.
 */
export function toDeliveredCloudEvent(input: CloudEventInput): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: input.id,
    source: input.source,
    type: input.type,
    datacontenttype: 'application/json',
    time: input.time,
    topic: TASK_EVENTS_TOPIC,
    pubsubname: PUBSUB_NAME,
    ...(input.traceparent ? { traceparent: input.traceparent } : {}),
    data: input.data,
  };
}
