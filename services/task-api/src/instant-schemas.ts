import { isoDateTimeSchema } from '@todo/contracts';
import { INSTANT_RANGE_TEXT, isInstantInRange } from '@todo/recurrence';
import { z } from 'zod';

/**
 * Every date-time the API accepts. The range check matters beyond tidiness: a year outside
 * PostgreSQL's and RFC 5545's four digits (`0000-…`, or `9999-12-31T23:59:59-12:00`, which is
 * year 10000 in UTC) used to reach the database and fail there as a 500.
 */
export const dateTimeInRangeSchema = isoDateTimeSchema.pipe(
  // Piped, so a value that is not a date-time at all gets one issue, not a second about range.
  z.string().refine((value) => isInstantInRange(Date.parse(value)), {
    message: `must be ${INSTANT_RANGE_TEXT}`,
  }),
);

export const instantSchema = dateTimeInRangeSchema.transform((value) => new Date(value));

/** For OpenAPI descriptions: what a client may send. */
export const DATE_TIME_TEXT = `ISO 8601 date-time with offset, ${INSTANT_RANGE_TEXT}`;
