import {
  DESCRIPTION_MAX_LENGTH,
  overduePolicySchema,
  recurrenceAnchorSchema,
  RRULE_MAX_LENGTH,
  tagSchema,
  TAGS_MAX_COUNT,
  taskPrioritySchema,
  taskStatusSchema,
  TASK_PRIORITIES,
  TASK_STATUSES,
  TITLE_MAX_LENGTH,
  textSchema,
  timezoneSchema,
} from '@todo/contracts';
import { INSTANT_RANGE_TEXT, RECURRING_TYPES } from '@todo/recurrence';
import { z } from 'zod';
import { queryInteger } from '../query-integer.js';
import { DATE_TIME_TEXT, instantSchema } from '../instant-schemas.js';
import { CURSOR_MAX_LENGTH, CURSOR_TEXT, decodeListCursor } from './task-list-cursor.js';
import { TOTAL_COUNT_CAP } from './task-list-queries.js';
import { effectiveOrder, SORT_ORDERS, TASK_SORT_FIELDS } from './task-list-sort.js';

export { TASK_SORT_FIELDS } from './task-list-sort.js';

/** Request and response shapes of the task routes; also the source of the OpenAPI document. */

const title = textSchema()
  .trim()
  .min(1)
  .max(TITLE_MAX_LENGTH)
  .meta({ example: 'Water the plants' });
const description = textSchema().max(DESCRIPTION_MAX_LENGTH).nullable();
const tags = z
  .array(tagSchema)
  .max(TAGS_MAX_COUNT)
  .transform((list) => [...new Set(list)])
  .meta({ example: ['home', 'garden'] });
const dateTime = instantSchema;
const dueDate = dateTime
  .nullable()
  .meta({ description: DATE_TIME_TEXT, example: '2026-03-02T09:00:00+01:00' });
const recurringType = z
  .enum(RECURRING_TYPES)
  .meta({ description: 'Repeat shorthand of the original API' });
const recurringEndDate = dateTime
  .nullable()
  .meta({ description: `Last moment an occurrence may fall on (inclusive); ${DATE_TIME_TEXT}` });

const recurrenceInput = z
  .strictObject({
    rrule: textSchema()
      .min(1)
      .max(RRULE_MAX_LENGTH)
      .meta({
        description: `RFC 5545 RRULE value (FREQ, INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, COUNT, UNTIL, WKST, RSCALE/SKIP); UNTIL must be ${INSTANT_RANGE_TEXT}`,
        example: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE',
      }),
    timezone: timezoneSchema.optional().meta({ description: 'Defaults to the user’s zone' }),
    anchor: recurrenceAnchorSchema.optional().meta({
      description: '`due` (default): from the due date; `completion`: from when it was done',
    }),
    overdue: overduePolicySchema.optional().meta({
      description:
        '`skip` (default): a late completion skips missed occurrences; `strict`: the very next one',
    }),
  })
  .nullable()
  .meta({
    id: 'RecurrenceInput',
    description: 'Full repeat rule; null stops repeating. Use instead of recurring_type.',
  });

const writableFields = {
  title,
  description: description.optional(),
  priority: taskPrioritySchema.optional(),
  status: taskStatusSchema.optional(),
  tags: tags.optional(),
  due_date: dueDate.optional(),
  recurring_type: recurringType.optional(),
  recurring_end_date: recurringEndDate.optional(),
  recurrence: recurrenceInput.optional(),
};

export const createTaskBodySchema = z
  .strictObject(writableFields)
  .meta({ id: 'CreateTaskRequest' });

/** PUT replaces the task: fields left out return to their defaults. */
export const replaceTaskBodySchema = z
  .strictObject(writableFields)
  .meta({ id: 'ReplaceTaskRequest' });

export const patchTaskBodySchema = z
  .strictObject({ ...writableFields, title: title.optional() })
  .refine((body) => Object.keys(body).length > 0, { message: 'at least one field is required' })
  .meta({ id: 'PatchTaskRequest' });

export type CreateTaskBody = z.output<typeof createTaskBodySchema>;
export type PatchTaskBody = z.output<typeof patchTaskBodySchema>;

export const taskIdParamsSchema = z.strictObject({
  id: z.uuid().meta({ description: 'Task id' }),
});

const csvOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    // Repeats are dropped: `status=done,done,…` means `status=done`, and every list renders one
    // of a few SQL texts (each is a prepared statement per connection).
    .transform((value) => [...new Set(value.split(',').map((item) => item.trim()))])
    .pipe(z.array(z.enum(values)).min(1))
    .meta({ description: `Comma-separated: ${values.join(', ')}` });

export const MAX_PAGE_SIZE = 100;

export const listTasksQuerySchema = z
  .strictObject({
    status: csvOf(TASK_STATUSES).optional(),
    priority: csvOf(TASK_PRIORITIES).optional(),
    tag: z
      .union([tagSchema, z.array(tagSchema).max(TAGS_MAX_COUNT)])
      // A tag named twice is one condition: `tag=a&tag=a` is the one-tag list, counted from
      // task_tags like `tag=a` (task-list-queries.ts).
      .transform((value) => [...new Set(Array.isArray(value) ? value : [value])])
      .optional()
      .meta({ description: 'Only tasks carrying this tag (repeat for all of several)' }),
    due_before: dateTime
      .optional()
      .meta({ description: `Due strictly before this instant; ${DATE_TIME_TEXT}` }),
    due_after: dateTime
      .optional()
      .meta({ description: `Due at or after this instant; ${DATE_TIME_TEXT}` }),
    q: textSchema()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: 'Text in the title or description (case-insensitive)' }),
    series_id: z.uuid().optional().meta({
      description:
        "Only the occurrences of this recurring series: a task's series_id (a series root's own id)",
    }),
    sort: z.enum(TASK_SORT_FIELDS).default('created_at'),
    order: z
      .enum(SORT_ORDERS)
      .optional()
      .meta({ description: 'Defaults to asc for due_date and title, desc otherwise' }),
    limit: queryInteger(1, MAX_PAGE_SIZE, 50),
    offset: queryInteger(0, 1_000_000, 0).meta({
      description:
        'Tasks to skip. Each page by offset reads every task before it: page deep lists with cursor',
    }),
    cursor: z
      .string()
      .max(CURSOR_MAX_LENGTH)
      .regex(CURSOR_TEXT, {
        message: 'is not a cursor this API issued: pass a next_cursor unchanged',
      })
      .transform((text, ctx) => {
        const cursor = decodeListCursor(text);
        if (cursor) return cursor;
        ctx.addIssue({
          code: 'custom',
          message: 'is not a cursor this API issued: pass a next_cursor unchanged',
        });
        return z.NEVER;
      })
      .optional()
      .meta({
        description:
          'Continue after the page that returned this next_cursor, with the same sort and order. ' +
          'Tasks created or deleted meanwhile neither shift nor repeat the pages. Not with offset',
      }),
    include_total: z
      .enum(['true', 'false'])
      .transform((value) => value === 'true')
      .optional()
      .meta({
        description: `true: count every matching task for total (a full count, costly for large lists); otherwise counting stops after ${TOTAL_COUNT_CAP}`,
      }),
  })
  .superRefine((query, ctx) => {
    const { cursor } = query;
    if (!cursor) return;
    const order = effectiveOrder(query.sort, query.order);
    if (cursor.sort !== query.sort || cursor.order !== order) {
      ctx.addIssue({
        code: 'custom',
        path: ['cursor'],
        message: `was issued for sort=${cursor.sort}&order=${cursor.order}: repeat the query that returned it`,
      });
    }
    if (query.offset !== 0) {
      ctx.addIssue({ code: 'custom', path: ['offset'], message: 'cannot be combined with cursor' });
    }
  });
export type ListTasksQuery = z.output<typeof listTasksQuerySchema>;

const isoOut = z.iso.datetime({ offset: true });

export const recurrenceResponseSchema = z
  .object({
    rrule: z.string().meta({ example: 'FREQ=WEEKLY' }),
    timezone: z.string().meta({ example: 'Europe/Paris' }),
    anchor: recurrenceAnchorSchema,
    overdue: overduePolicySchema,
    dtstart: isoOut.nullable().meta({ description: 'Series start the occurrences align to' }),
    description: z.string().meta({ example: 'every week on Monday' }),
  })
  .meta({ id: 'Recurrence' });

export const taskResponseSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    description: z.string().nullable(),
    priority: taskPrioritySchema,
    status: taskStatusSchema,
    tags: z.array(z.string()),
    due_date: isoOut.nullable(),
    completed_at: isoOut.nullable(),
    recurring_type: z.enum([...RECURRING_TYPES, 'custom']),
    recurring_end_date: isoOut.nullable(),
    recurrence: recurrenceResponseSchema.nullable(),
    parent_task_id: z
      .uuid()
      .nullable()
      .meta({ description: 'The occurrence this one follows (set by the recurrence engine)' }),
    series_id: z.uuid().meta({ description: 'Id of the first task of the series' }),
    occurrence_index: z.number().int().meta({ description: '0-based position in the series' }),
    created_at: isoOut,
    updated_at: isoOut,
    version: z.number().int().min(1).meta({
      description:
        'Goes up by one on every change of the task, whoever makes it; the task\'s `ETag` is `"v<version>"`, which `If-Match` compares (see Conditional writes)',
    }),
  })
  .meta({ id: 'Task' });
export type TaskResponse = z.output<typeof taskResponseSchema>;

/** 412: the task is no longer in the state the caller's `If-Match` named. */
export const preconditionFailedBodySchema = z
  .object({
    error: z.object({
      code: z.literal('precondition_failed'),
      message: z.string(),
    }),
    current: taskResponseSchema.meta({
      description: 'The task as it is now; its `version` is the validator to retry with',
    }),
  })
  .meta({ id: 'PreconditionFailed' });
export type PreconditionFailedBody = z.output<typeof preconditionFailedBodySchema>;

/** The validators a write or a read may be made conditional on (RFC 9110 §13.1). */
export const ifMatchHeadersSchema = z.object({
  'If-Match': z.string().optional().meta({
    description:
      'Change the task only if it is still in this state: its `ETag` (`"v<version>"`), a list of them, or `*` (any existing task). Otherwise 412 with the current task, and nothing changes. A value that is not a list of entity tags matches nothing (412). Without it the write is unconditional',
    example: '"v3"',
  }),
});
export const ifNoneMatchHeadersSchema = z.object({
  'If-None-Match': z.string().optional().meta({
    description:
      'The `ETag`s the caller holds (weak comparison, or `*`): 304 with no body when the task is still in one of those states',
    example: '"v3"',
  }),
});

export const taskListResponseSchema = z
  .object({
    items: z.array(taskResponseSchema),
    total: z
      .number()
      .int()
      .meta({
        description: `Tasks matching the filters; when more than ${TOTAL_COUNT_CAP} match and include_total is not true, ${TOTAL_COUNT_CAP} with total_capped true`,
      }),
    total_capped: z.boolean().meta({
      description: `true when more tasks match than total says (counting stopped after ${TOTAL_COUNT_CAP})`,
    }),
    limit: z.number().int(),
    offset: z.number().int(),
    next_cursor: z.string().nullable().meta({
      description: 'Pass as cursor, with the same query, for the next page; null on the last page',
    }),
  })
  .meta({ id: 'TaskList' });
export type TaskListResponse = z.output<typeof taskListResponseSchema>;
