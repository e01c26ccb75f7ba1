import { describe, expect, it } from '@jest/globals';
import { eventually } from '../src/testing/index.js';

describe('eventually', () => {
  it('resolves with the first truthy value, synchronous or not', async () => {
    let calls = 0;
    await expect(
      eventually(() => (++calls >= 3 ? { calls } : false), { intervalMs: 1 }),
    ).resolves.toEqual({
      calls: 3,
    });
    let asyncCalls = 0;
    await expect(
      eventually(async () => (++asyncCalls >= 2 ? 'ready' : null), { intervalMs: 1 }),
    ).resolves.toBe('ready');
  });

  it('treats a throw as not yet, and keeps polling', async () => {
    let calls = 0;
    const value = await eventually(
      () => {
        if (++calls < 3) throw new Error('not up yet');
        return calls;
      },
      { intervalMs: 1 },
    );
    expect(value).toBe(3);
  });

  it('on timeout names what it waited for and the last error the check threw', async () => {
    let calls = 0;
    const failure = eventually(
      () => {
        calls += 1;
        throw new Error(`refused #${calls}`);
      },
      { timeoutMs: 100, intervalMs: 10, what: 'the listener' },
    );
    await expect(failure).rejects.toThrow(/waiting for the listener; .*refused #\d+/);
    const error = (await failure.catch((e: unknown) => e)) as Error;
    expect((error.cause as Error).message).toBe(`refused #${calls}`);
    expect(calls).toBeGreaterThan(1);
  });

  it('on timeout without a throw says only what it waited for', async () => {
    const started = Date.now();
    const error = (await eventually(() => false, { timeoutMs: 80, what: 'nothing' }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error.message).toBe('timed out after 80 ms waiting for nothing');
    expect(error.cause).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(80);
  });
});
