import { SignedOutError, type ApiError } from '@todo/api-client';

/** A non-2xx answer of task-api, with the document's error body when it sent one. */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';

  constructor(
    readonly status: number,
    readonly body: ApiError | undefined,
    /** From `Retry-After` on a 429. */
    readonly retryAfterSeconds?: number,
  ) {
    super(body?.error.message ?? `task-api answered ${status}`);
  }
}

/** What openapi-fetch resolves to: `data` on 2xx, `error` otherwise. */
interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a 2xx answer (undefined for a 204); any other answer throws ApiRequestError. */
export function dataOf<T>(result: FetchResult<T>): T {
  const { response } = result;
  if (response.ok) return result.data as T;
  const retryAfter = Number(response.headers.get('retry-after'));
  throw new ApiRequestError(
    response.status,
    isApiError(result.error) ? result.error : undefined,
    retryAfter > 0 ? retryAfter : undefined,
  );
}

const isApiError = (value: unknown): value is ApiError =>
  typeof value === 'object' &&
  value !== null &&
  'error' in value &&
  typeof (value as { error: unknown }).error === 'object';

export type ErrorKind = 'invalid' | 'rate-limited' | 'offline' | 'signed-out' | 'server' | 'other';

/** An error as a person reads it: one message, plus a message per form field when the API named them. */
export interface ErrorView {
  kind: ErrorKind;
  message: string;
  /** Keyed by the API's field path (`title`, `tags.2`, `recurrence.rrule`, `query.rrule`). */
  fields: Record<string, string>;
}

/** fetch rejects with a TypeError when the request never got an answer (offline, server down). */
export const isNetworkError = (error: unknown): boolean => error instanceof TypeError;

export function describeError(error: unknown): ErrorView {
  if (error instanceof SignedOutError) {
    return {
      kind: 'signed-out',
      message: 'Your session has ended. Please sign in again.',
      fields: {},
    };
  }
  if (isNetworkError(error)) {
    return {
      kind: 'offline',
      message:
        'Cannot reach the server. Check your connection; this page catches up once it is back.',
      fields: {},
    };
  }
  if (!(error instanceof ApiRequestError)) {
    return { kind: 'other', message: 'Something went wrong. Please try again.', fields: {} };
  }
  if (error.status === 429) {
    const wait = error.retryAfterSeconds;
    return {
      kind: 'rate-limited',
      message: `Too many requests. Please wait ${wait ? `${wait} second${wait === 1 ? '' : 's'}` : 'a moment'} and try again.`,
      fields: {},
    };
  }
  if (error.status >= 500) {
    const id = error.body?.error.error_id;
    return {
      kind: 'server',
      message: `The server failed to answer${id ? ` (error id ${id})` : ''}. Please try again.`,
      fields: {},
    };
  }
  const fields: Record<string, string> = {};
  for (const detail of error.body?.error.details ?? []) {
    // The first message for a field is the one shown beside it.
    fields[detail.field] ??= sentence(detail.message);
  }
  return {
    kind: 'invalid',
    message: sentence(error.body?.error.message ?? `The request was refused (${error.status}).`),
    fields,
  };
}

const belongsTo = (key: string, path: string) => key === path || key.startsWith(`${path}.`);

/**
 * The message for a form input, from the first API field it shows: `tags` shows `tags.2`, and an
 * RRULE input shows both `recurrence.rrule` (saving) and `query.rrule` (the preview).
 */
export function fieldMessage(view: ErrorView | undefined, ...paths: string[]): string | undefined {
  if (!view) return undefined;
  const key = Object.keys(view.fields).find((k) => paths.some((path) => belongsTo(k, path)));
  return key === undefined ? undefined : view.fields[key];
}

/** Messages for the API fields no input of the form shows, so none is lost. */
export function otherFieldMessages(
  view: ErrorView | undefined,
  shown: readonly string[],
): string[] {
  if (!view) return [];
  return Object.entries(view.fields)
    .filter(([key]) => !shown.some((path) => belongsTo(key, path)))
    .map(([key, message]) => `${key}: ${message}`);
}

const sentence = (text: string) => (text ? text[0]!.toUpperCase() + text.slice(1) : text);
