import { describe, expect, it } from '@jest/globals';
import { sameTurnReads } from '../src/stream/same-turn-reads.js';

/** A read that counts how often it runs, like a drizzle query: a thenable run per `then`. */
function countingRead() {
  const runs: string[] = [];
  const read = (key: string): PromiseLike<string[]> => ({
    then(onFulfilled, onRejected) {
      runs.push(key);
      return Promise.resolve([`rows after ${key}`]).then(onFulfilled, onRejected);
    },
  });
  return { runs, read };
}

describe('sameTurnReads', () => {
  it('answers the callers of one turn with one read, and runs it once', async () => {
    const { runs, read } = countingRead();
    const shared = sameTurnReads(read, (key: string) => key);
    const answers = await Promise.all([shared('a'), shared('a'), shared('a')]);
    expect(answers).toEqual([['rows after a'], ['rows after a'], ['rows after a']]);
    expect(answers[0]).toBe(answers[2]);
    expect(runs).toEqual(['a']);
  });

  it('reads apart for other keys, and again for a caller in a later turn', async () => {
    const { runs, read } = countingRead();
    const shared = sameTurnReads(read, (key: string) => key);
    const first = shared('a');
    await Promise.all([shared('b'), first]);
    // A caller after that turn may have been woken by a change the first read cannot see.
    await new Promise((resolve) => setImmediate(resolve));
    await shared('a');
    expect(runs).toEqual(['a', 'b', 'a']);
  });

  it('fails every caller of a failed read, and reads afresh after it', async () => {
    let calls = 0;
    const shared = sameTurnReads(
      () => {
        calls += 1;
        return calls === 1 ? Promise.reject(new Error('connection lost')) : Promise.resolve(calls);
      },
      () => 'key',
    );
    const failed = [shared(), shared()];
    for (const read of failed) await expect(read).rejects.toThrow('connection lost');
    await new Promise((resolve) => setImmediate(resolve));
    await expect(shared()).resolves.toBe(2);
  });
});
