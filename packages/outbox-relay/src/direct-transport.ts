import http from 'node:http';
import https from 'node:https';
import {
  DAPR_STATUS,
  RECURRENCE_ENGINE_EVENTS_ROUTE,
  toDeliveredCloudEvent,
} from '@todo/contracts';
import { context, ROOT_CONTEXT } from '@todo/telemetry';
import {
  errorText,
  type EventTransport,
  type OutboxMessage,
  type PublishResult,
} from './outbox-message.js';

/** More than any answer of the engine's subscription route; a longer body is cut off, not read. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * One POST with `node:http`, not the global `fetch`: fetch's HTTP parser (undici's llhttp) is
 * WebAssembly, and V8 recompiles it optimized after a few hundred requests, with a compilation
 * zone of about 30 MiB (`v8.getHeapStatistics().peak_malloced_memory`) that both services' peak
 * RSS carried under `bench:stream` (packages/bench README). `node:http` parses natively, as the
 * Dapr SDK's node-fetch does in production.
 */
function postJson(
  url: URL,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<{ status: number; answer: unknown }> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        signal,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) response.destroy(new Error('answer too long'));
          else chunks.push(chunk);
        });
        response.on('error', reject);
        response.on('end', () => {
          let answer: unknown;
          try {
            answer = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            answer = {};
          }
          resolve({ status: response.statusCode ?? 0, answer });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

export interface DirectTransportOptions {
  /** Base URL of the recurrence engine, e.g. http://127.0.0.1:8081. */
  engineUrl: string;
  source: string;
  /** The engine's APP_API_TOKEN, sent as Dapr would send it. */
  appToken?: string | undefined;
  timeoutMs?: number;
}

/**
 * Stands in for Dapr and Kafka when no sidecar runs (`pnpm dev`): delivers each event to the
 * engine's subscription route exactly as a sidecar would, CloudEvent envelope and app token
 * included, so recurrence works with no setup. Only a SUCCESS or DROP answer counts as delivered,
 * as with Dapr.
 */
export function createDirectTransport(options: DirectTransportOptions): EventTransport {
  const target = new URL(RECURRENCE_ENGINE_EVENTS_ROUTE, options.engineUrl);
  const url = target.toString();
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    description: `direct (no sidecar: HTTP to ${url})`,
    async publish(messages: OutboxMessage[]): Promise<PublishResult[]> {
      const results: PublishResult[] = [];
      for (const message of messages) {
        const deadline = AbortSignal.timeout(timeoutMs);
        try {
          const headers = {
            'content-type': 'application/cloudevents+json',
            ...(options.appToken ? { 'dapr-api-token': options.appToken } : {}),
            ...(message.traceparent ? { traceparent: message.traceparent } : {}),
          };
          const event = JSON.stringify(
            toDeliveredCloudEvent({
              id: message.eventId,
              source: options.source,
              type: message.type,
              data: message.payload,
              time: message.createdAt.toISOString(),
              traceparent: message.traceparent,
            }),
          );
          // Outside the publish span: the event's traceparent is the hop a broker would carry, so
          // the HTTP client instrumentation (@todo/telemetry) adds no span of its own and does not
          // replace the header.
          const response = await context.with(ROOT_CONTEXT, () =>
            postJson(target, headers, event, deadline),
          );
          const body = (
            typeof response.answer === 'object' && response.answer !== null ? response.answer : {}
          ) as { status?: string };
          const ok = response.status >= 200 && response.status < 300;
          const delivered =
            ok && (body.status === DAPR_STATUS.success || body.status === DAPR_STATUS.drop);
          results.push(
            delivered
              ? { eventId: message.eventId, ok: true }
              : {
                  eventId: message.eventId,
                  ok: false,
                  error: `engine answered ${response.status} ${body.status ?? ''}`.trim(),
                },
          );
        } catch (error) {
          // node:http's abort names no timeout (fetch's did): the row's last_error should.
          results.push({
            eventId: message.eventId,
            ok: false,
            error: deadline.aborted
              ? `engine did not answer within ${timeoutMs} ms`
              : errorText(error),
          });
        }
      }
      return results;
    },
  };
}
