import { z } from 'zod';

/** Field vocabularies shared by the API, the database and the events. */

export const TASK_PRIORITIES = ['low', 'medium', 'high'] as const;
export const taskPrioritySchema = z.enum(TASK_PRIORITIES);
export type TaskPriority = z.infer<typeof taskPrioritySchema>;

export const TASK_STATUSES = ['pending', 'in_progress', 'done'] as const;
export const taskStatusSchema = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof taskStatusSchema>;

/** Where the next occurrence is measured from: the due date (no drift) or the completion time. */
export const RECURRENCE_ANCHORS = ['due', 'completion'] as const;
export const recurrenceAnchorSchema = z.enum(RECURRENCE_ANCHORS);
export type RecurrenceAnchor = z.infer<typeof recurrenceAnchorSchema>;

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

/** Completing an overdue occurrence: skip to the first one after the completion, or take the next. */
export const OVERDUE_POLICIES = ['skip', 'strict'] as const;
export const overduePolicySchema = z.enum(OVERDUE_POLICIES);
export type OverduePolicy = z.infer<typeof overduePolicySchema>;

/**
 * A series' repeat rule as the engine needs it: an RFC 5545 RRULE value (canonical, without the
 * `RRULE:` prefix), the IANA zone whose wall clock it follows, the anchor mode, the overdue
 * policy, and the series start (DTSTART) that occurrences align to, null until the series has a
 * due date.
 */
export const recurrenceSchema = z.strictObject({
  rrule: textSchema().min(1).max(RRULE_MAX_LENGTH),
  timezone: z
    .string()
    .min(1)
    .max(64)
    .refine(isIanaTimeZone, { message: 'must be an IANA time zone such as Europe/Paris' }),
  anchor: recurrenceAnchorSchema,
  overdue: overduePolicySchema,
  dtstart: isoDateTimeSchema.nullable(),
});
export type Recurrence = z.infer<typeof recurrenceSchema>;

export const tagSchema = textSchema().trim().min(1).max(TAG_MAX_LENGTH);
export const tagsSchema = z.array(tagSchema).max(TAGS_MAX_COUNT);

/**
 * Zones already accepted. Building an Intl.DateTimeFormat is the costly part of validating an
 * event (profiled in the engine under load). Bounded: the runtime accepts any letter case
 * (`eUrOpE/pArIs`), so the names it knows are not a small set; past the bound (about twice the
 * IANA database, names and links) zones are still checked, just not remembered.
 */
const knownTimeZones = new Set<string>();
const KNOWN_TIME_ZONES_MAX = 1200;

function isIanaTimeZone(zone: string): boolean {
  if (knownTimeZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    return false;
  }
  if (knownTimeZones.size < KNOWN_TIME_ZONES_MAX) knownTimeZones.add(zone);
  return true;
}

/** An IANA time zone name such as `Europe/Paris` (or `UTC`). */
export const timezoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(isIanaTimeZone, { message: 'must be an IANA time zone such as Europe/Paris' });
