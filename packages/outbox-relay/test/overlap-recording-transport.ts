import type { EventTransport, OutboxMessage, PublishResult } from '../src/index.js';

/**
 * A test transport (no broker behind it) that records every call and how many calls were in
 * flight at once. Each call waits at a gate until `holdUntilInFlight` calls are in flight (or the
 * gate is opened), so a test can prove calls overlap without timing anything; `failWhen` makes
 * it throw for the calls it matches, as a transport whose request failed as a whole.
 */
export function createOverlapRecordingTransport(
  options: {
    holdUntilInFlight?: number;
    failWhen?: (messages: OutboxMessage[]) => boolean;
  } = {},
) {
  /** The calls answered with success, in the order they were answered. */
  const calls: OutboxMessage[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let refused = 0;
  let gateOpen = (options.holdUntilInFlight ?? 1) <= 1;
  const waiting: Array<() => void> = [];
  const openGate = () => {
    gateOpen = true;
    for (const release of waiting.splice(0)) release();
  };

  const transport: EventTransport = {
    description: 'overlap-recording test transport',
    async publish(messages): Promise<PublishResult[]> {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        if (inFlight >= (options.holdUntilInFlight ?? 1)) openGate();
        if (!gateOpen) await new Promise<void>((resolve) => waiting.push(resolve));
        if (options.failWhen?.(messages)) {
          refused += 1;
          throw new Error('test transport: call refused');
        }
        calls.push(messages);
        return messages.map((m) => ({ eventId: m.eventId, ok: true }));
      } finally {
        inFlight -= 1;
      }
    },
  };
  return {
    transport,
    calls,
    openGate,
    get maxInFlight() {
      return maxInFlight;
    },
    get inFlight() {
      return inFlight;
    },
    /** Calls that `failWhen` refused (not in `calls`). */
    get refused() {
      return refused;
    },
    /** Ids of every message published, in the order the calls were answered. */
    publishedIds: () => calls.flat().map((m) => m.eventId),
  };
}
