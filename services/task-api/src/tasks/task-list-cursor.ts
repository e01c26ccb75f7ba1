import { TASK_PRIORITIES, TITLE_MAX_LENGTH, textSchema } from '@todo/contracts';
import { z } from 'zod';
import {
  SORT_ORDERS,
  TASK_SORT_FIELDS,
  type SortOrder,
  type TaskSortField,
} from './task-list-sort.js';

/**
 * A position in one sort of the list: the sort key of the last task a page returned and its id
 * (the tie-break), so the next page starts right after it whatever was inserted or deleted since.
 *
 * On the wire it is opaque: base64url of a JSON tuple `[version, sort, order, key, id]`. It is not
 * signed, because it grants nothing: the list is always the caller's own tasks, so a made-up
 * position only starts a page elsewhere. It is validated strictly instead, so that a garbled or
 * edited cursor is a 400 naming `query.cursor`, never a database error.
 */
export interface ListCursor {
  sort: TaskSortField;
  order: SortOrder;
  /**
   * The sort key as text: timestamps with all six fractional digits (PostgreSQL keeps
   * microseconds, a JavaScript Date only milliseconds, and a key rounded to milliseconds would
   * skip or repeat tasks created within the same millisecond); null for a task without due date.
   */
  key: string | null;
  id: string;
}

const CURSOR_VERSION = 1;
/**
 * Above the longest real cursor: a 200-character title of control characters, which JSON writes
 * as `\u0001` each, is about 1,700 characters encoded.
 */
export const CURSOR_MAX_LENGTH = 2048;
/** base64url without padding, as {@link encodeListCursor} writes it. */
export const CURSOR_TEXT = /^[A-Za-z0-9_-]+$/;

/** The text form the list selects timestamps in (see task-list-queries.ts `sortKeyText`). */
const MICROSECOND_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A real calendar instant (no 31 February): the millisecond part must read back unchanged. */
function isMicrosecondInstant(key: string): boolean {
  if (!MICROSECOND_INSTANT.test(key)) return false;
  const millis = new Date(`${key.slice(0, 23)}Z`);
  return !Number.isNaN(millis.getTime()) && millis.toISOString().slice(0, 23) === key.slice(0, 23);
}

const KEY_CHECKS: Record<TaskSortField, (key: string | null) => boolean> = {
  created_at: (key) => key !== null && isMicrosecondInstant(key),
  updated_at: (key) => key !== null && isMicrosecondInstant(key),
  due_date: (key) => key === null || isMicrosecondInstant(key),
  priority: (key) => key !== null && (TASK_PRIORITIES as readonly string[]).includes(key),
  title: (key) => key !== null && textSchema().min(1).max(TITLE_MAX_LENGTH).safeParse(key).success,
};

const cursorTuple = z.tuple([
  z.literal(CURSOR_VERSION),
  z.enum(TASK_SORT_FIELDS),
  z.enum(SORT_ORDERS),
  z.string().nullable(),
  // Any uuid PostgreSQL stores, not only RFC 9562 versions.
  z.guid(),
]);

export function encodeListCursor(cursor: ListCursor): string {
  const tuple = [CURSOR_VERSION, cursor.sort, cursor.order, cursor.key, cursor.id];
  return Buffer.from(JSON.stringify(tuple), 'utf8').toString('base64url');
}

/** The cursor a text names, or undefined when it is not one this API issued. */
export function decodeListCursor(text: string): ListCursor | undefined {
  if (!CURSOR_TEXT.test(text) || text.length > CURSOR_MAX_LENGTH) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = cursorTuple.safeParse(json);
  if (!parsed.success) return undefined;
  const [, sort, order, key, id] = parsed.data;
  if (!KEY_CHECKS[sort](key)) return undefined;
  return { sort, order, key, id };
}
