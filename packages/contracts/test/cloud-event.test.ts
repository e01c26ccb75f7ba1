import { describe, expect, it } from '@jest/globals';
import {
  cloudEventEnvelopeSchema,
  PUBSUB_NAME,
  TASK_EVENT_TYPES,
  TASK_EVENTS_TOPIC,
  taskEventSchema,
  toDeliveredCloudEvent,
} from '../src/index.js';

const taskId = '0b7f4c2e-3d9a-4f6b-9e21-5a8c7d6e4f30';
const userId = '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a09';
const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

const input = {
  id: '5d0c1e4a-7a55-4f0a-8a37-8b5e7e1d2c11',
  source: 'urn:todo:task-api',
  type: TASK_EVENT_TYPES.deleted,
  data: { task_id: taskId, user_id: userId, series_id: taskId, deleted_at: '2026-03-01T09:00:00Z' },
  time: '2026-03-01T09:00:00.000Z',
};

describe('toDeliveredCloudEvent', () => {
  it('builds the envelope Dapr delivers, with the topic and pub/sub it adds', () => {
    expect(toDeliveredCloudEvent({ ...input, traceparent })).toEqual({
      specversion: '1.0',
      id: input.id,
      source: input.source,
      type: input.type,
      datacontenttype: 'application/json',
      time: input.time,
      topic: TASK_EVENTS_TOPIC,
      pubsubname: PUBSUB_NAME,
      traceparent,
      data: input.data,
    });
  });

  it('leaves traceparent out when there is none', () => {
    expect(toDeliveredCloudEvent({ ...input, traceparent: null })).not.toHaveProperty(
      'traceparent',
    );
  });

  it('gives an envelope the subscriber schema accepts, its type and data a valid task event', () => {
    const envelope = cloudEventEnvelopeSchema.parse(toDeliveredCloudEvent(input));
    expect(envelope.pubsubname).toBe(PUBSUB_NAME);
    expect(taskEventSchema.parse({ type: envelope.type, data: envelope.data })).toEqual({
      type: input.type,
      data: input.data,
    });
  });
});

describe('cloudEventEnvelopeSchema', () => {
  const envelope = toDeliveredCloudEvent({ ...input, traceparent });

  it("keeps the attributes Dapr adds (they are not this schema's to refuse)", () => {
    const parsed = cloudEventEnvelopeSchema.parse({ ...envelope, 'dapr-extension': 'x' });
    expect(parsed.traceparent).toBe(traceparent);
    expect(parsed['dapr-extension']).toBe('x');
  });

  it.each([
    ['without an id', { ...envelope, id: undefined }, 'id'],
    ['with an empty id', { ...envelope, id: '' }, 'id'],
    ['without a source', { ...envelope, source: undefined }, 'source'],
    ['without a type', { ...envelope, type: undefined }, 'type'],
    ['of another CloudEvents version', { ...envelope, specversion: '0.3' }, 'specversion'],
  ])('rejects an envelope %s', (_name, body, path) => {
    const result = cloudEventEnvelopeSchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });

  it.each([
    ['a string', 'hello'],
    ['null', null],
    ['an array', [envelope]],
  ])('rejects %s', (_name, body) => {
    expect(cloudEventEnvelopeSchema.safeParse(body).success).toBe(false);
  });
});
