import { isIanaTimeZone, OVERDUE_POLICIES, RECURRENCE_ANCHORS } from '@todo/recurrence';
import { z } from 'zod';

/**
 * Field vocabularies shared by the API, the database and the events. What a recurrence anchor, an
 * overdue policy and a time zone are is defined by @todo/recurrence; these are their wire schemas.
 */

// Re-exported for the database enums and the API's response schemas, which read them from here.
export { OVERDUE_POLICIES, RECURRENCE_ANCHORS };

export const TASK_PRIORITIES = ['low', 'medium', 'high'] as const;
export const taskPrioritySchema = z.enum(TASK_PRIORITIES);
export type TaskPriority = z.infer<typeof taskPrioritySchema>;

export const TASK_STATUSES = ['pending', 'in_progress', 'done'] as const;
export const taskStatusSchema = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof taskStatusSchema>;

export const recurrenceAnchorSchema = z.enum(RECURRENCE_ANCHORS);

/**
 * Text that PostgreSQL can store: its text type refuses NUL characters, so they are rejected at
 * the edge (as a 400 naming the field) rather than failing the write.
 */
export const textSchema = () =>
  // eslint-disable-next-line no-control-regex -- matching NUL is the point
  z.string().regex(/^[^\u0000]*$/, { message: 'must not contain NUL (\\u0000) characters' });

export const TAG_MAX_LENGTH = 50;
export const TAGS_MAX_COUNT = 20;
export const TITLE_MAX_LENGTH = 200;
export const DESCRIPTION_MAX_LENGTH = 5000;
export const RRULE_MAX_LENGTH = 500;

export const isoDateTimeSchema = z.iso.datetime({ offset: true });

export const overduePolicySchema = z.enum(OVERDUE_POLICIES);

/** An IANA time zone name such as `Europe/Paris` (or `UTC`). */
export const timezoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(isIanaTimeZone, { message: 'must be an IANA time zone such as Europe/Paris' });

/**
 * A series' repeat rule as the engine needs it: an RFC 5545 RRULE value (canonical, without the
 * `RRULE:` prefix), the IANA zone whose wall clock it follows, the anchor mode, the overdue
 * policy, and the series start (DTSTART) that occurrences align to, null until the series has a
 * due date.
 */
export const recurrenceSchema = z.strictObject({
  rrule: textSchema().min(1).max(RRULE_MAX_LENGTH),
  timezone: timezoneSchema,
  anchor: recurrenceAnchorSchema,
  overdue: overduePolicySchema,
  dtstart: isoDateTimeSchema.nullable(),
});
export type Recurrence = z.infer<typeof recurrenceSchema>;

export const tagSchema = textSchema().trim().min(1).max(TAG_MAX_LENGTH);
export const tagsSchema = z.array(tagSchema).max(TAGS_MAX_COUNT);
