import { describe, expect, it } from '@jest/globals';
import { pause, reconnectDelay } from '../src/reconnect-delay.js';

describe('reconnectDelay', () => {
  it('is the retry hint after a clean end, doubled per failure, capped at 30 s, jittered down to half', () => {
    expect(reconnectDelay(2000, 0, () => 1)).toBe(2000);
    expect(reconnectDelay(2000, 0, () => 0)).toBe(1000);
    expect(reconnectDelay(2000, 3, () => 1)).toBe(16_000);
    expect(reconnectDelay(2000, 20, () => 1)).toBe(30_000);
  });
});

describe('pause', () => {
  it('ends at once when its signal aborts', async () => {
    const controller = new AbortController();
    const waiting = pause(3_600_000, controller.signal);
    controller.abort();
    await expect(waiting).resolves.toBeUndefined();
  });
});
