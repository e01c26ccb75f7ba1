import { SignedOutError } from '@todo/api-client';
import { describe, expect, it } from 'vitest';
import {
  ApiRequestError,
  dataOf,
  describeError,
  fieldMessage,
  otherFieldMessages,
} from '../src/api/api-error';

const refused = (details: { field: string; message: string }[]) =>
  new ApiRequestError(400, {
    error: { code: 'validation_failed', message: 'invalid request', details },
  });

describe('dataOf', () => {
  it('returns the data of a 2xx answer', () => {
    expect(dataOf({ data: { ok: 1 }, response: new Response(null, { status: 200 }) })).toEqual({
      ok: 1,
    });
  });

  it('throws the status, the error body and Retry-After of any other answer', () => {
    const body = { error: { code: 'rate_limited', message: 'too many requests' } };
    const response = new Response(null, { status: 429, headers: { 'retry-after': '12' } });
    let thrown: unknown;
    try {
      dataOf({ error: body, response });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiRequestError);
    expect(thrown).toMatchObject({ status: 429, body, retryAfterSeconds: 12 });
  });
});

describe('describeError', () => {
  it('maps each field the API names to its message', () => {
    const view = describeError(
      refused([
        { field: 'title', message: 'too small: expected at least 1 character' },
        { field: 'tags.2', message: 'too long' },
        { field: 'recurrence.rrule', message: 'this rule never occurs' },
      ]),
    );
    expect(view.kind).toBe('invalid');
    expect(view.message).toBe('Invalid request');
    expect(fieldMessage(view, 'title')).toBe('Too small: expected at least 1 character');
    expect(fieldMessage(view, 'tags')).toBe('Too long');
    expect(fieldMessage(view, 'recurrence', 'rrule')).toBe('This rule never occurs');
    expect(fieldMessage(view, 'description')).toBeUndefined();
  });

  it('finds a preview’s query parameter by its name', () => {
    const view = describeError(refused([{ field: 'query.rrule', message: 'unknown part FOO' }]));
    expect(fieldMessage(view, 'recurrence', 'query.rrule')).toBe('Unknown part FOO');
  });

  it('keeps the messages of fields no input shows', () => {
    const view = describeError(
      refused([
        { field: 'title', message: 'required' },
        { field: 'status', message: 'invalid option' },
      ]),
    );
    expect(otherFieldMessages(view, ['title'])).toEqual(['status: Invalid option']);
  });

  it('says how long to wait on a 429', () => {
    const view = describeError(new ApiRequestError(429, undefined, 30));
    expect(view).toMatchObject({ kind: 'rate-limited', fields: {} });
    expect(view.message).toContain('30 seconds');
  });

  it('tells a network failure apart from an answer', () => {
    expect(describeError(new TypeError('Failed to fetch')).kind).toBe('offline');
  });

  it('quotes the error id of a 5xx', () => {
    const error = new ApiRequestError(500, {
      error: { code: 'internal_error', message: 'internal error', error_id: 'e-42' },
    });
    expect(describeError(error)).toMatchObject({ kind: 'server' });
    expect(describeError(error).message).toContain('e-42');
  });

  it('asks to sign in again when the session ended', () => {
    expect(describeError(new SignedOutError(401)).kind).toBe('signed-out');
  });
});
