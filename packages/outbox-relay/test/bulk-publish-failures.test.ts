import { describe, expect, it } from '@jest/globals';
import { failedBulkEntries } from '../src/bulk-publish-failures.js';

// The error text the SDK's HTTP client throws for daprd's 500 answer to a bulk publish, as seen
// with daprd 1.18 while Kafka was down.
const daprdAnswer = (entries: Array<{ entryId: string; error: string }>) =>
  new Error(
    JSON.stringify({
      error: 'Internal Server Error',
      error_msg: JSON.stringify({
        failedEntries: entries,
        errorCode: 'ERR_PUBSUB_PUBLISH_MESSAGE',
      }),
      status: 500,
    }),
  );

describe('failedBulkEntries', () => {
  it('reads every failed entry daprd lists (entryId, as daprd spells it)', () => {
    const failed = failedBulkEntries(
      daprdAnswer([
        { entryId: 'a', error: 'kafka: client has run out of available brokers' },
        { entryId: 'b', error: 'circuit breaker is open' },
      ]),
    );
    expect(failed).toEqual(
      new Map([
        ['a', 'kafka: client has run out of available brokers'],
        ['b', 'circuit breaker is open'],
      ]),
    );
  });

  it('accepts the SDK’s spelling too', () => {
    expect(
      failedBulkEntries(
        daprdAnswer([
          { entryID: 'c', error: 'x' } as unknown as { entryId: string; error: string },
        ]),
      ),
    ).toEqual(new Map([['c', 'x']]));
  });

  it('answers undefined (the whole request failed) for anything else', () => {
    expect(
      failedBulkEntries(
        new Error('request to http://127.0.0.1:1 failed, reason: connect ECONNREFUSED'),
      ),
    ).toBeUndefined();
    expect(
      failedBulkEntries(
        new Error(JSON.stringify({ error: 'Bad Request', error_msg: 'pubsub not found' })),
      ),
    ).toBeUndefined();
    expect(failedBulkEntries('nope')).toBeUndefined();
    expect(failedBulkEntries(daprdAnswer([]))).toBeUndefined();
  });
});
