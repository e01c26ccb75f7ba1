import { RRULE_MAX_LENGTH, textSchema, timezoneSchema } from '@todo/contracts';
import { INSTANT_RANGE_TEXT, MAX_PREVIEW } from '@todo/recurrence';
import { z } from 'zod';
import { queryInteger } from '../query-integer.js';
import { DATE_TIME_TEXT, dateTimeInRangeSchema } from '../instant-schemas.js';

export const previewQuerySchema = z.strictObject({
  rrule: textSchema()
    .min(1)
    .max(RRULE_MAX_LENGTH)
    .meta({
      description: `RFC 5545 RRULE value; UNTIL must be ${INSTANT_RANGE_TEXT}`,
      example: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE',
    }),
  start: dateTimeInRangeSchema.meta({
    description: `First occurrence (DTSTART); ${DATE_TIME_TEXT}`,
    example: '2026-01-05T09:00:00+01:00',
  }),
  tz: timezoneSchema
    .optional()
    .meta({ description: 'IANA zone; defaults to the caller’s', example: 'Europe/Paris' }),
  count: queryInteger(1, MAX_PREVIEW, 10),
});
export type PreviewQuery = z.output<typeof previewQuerySchema>;

export const previewResponseSchema = z
  .object({
    rrule: z.string().meta({ description: 'The rule in canonical form' }),
    timezone: z.string(),
    description: z.string().meta({ example: 'every 2 weeks on Monday and Wednesday' }),
    occurrences: z.array(z.iso.datetime({ offset: true })),
  })
  .meta({ id: 'RecurrencePreview' });
export type PreviewResponse = z.output<typeof previewResponseSchema>;
