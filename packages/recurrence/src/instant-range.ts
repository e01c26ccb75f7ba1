/**
 * The instants the system schedules in: from 1900-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z.
 *
 * Why these bounds: RFC 5545 date-times (and so every RRULE UNTIL) have four-digit years; before
 * 1900 time zones had local mean time offsets with seconds that no calendar client reproduces; and
 * a bounded range bounds the work of every rule (next-occurrence.ts). The range is on the instant,
 * so a date-time is accepted or refused the same way whatever offset it is written in
 * (`9999-12-31T23:59:59-12:00` is 10000-01-01 in UTC, and refused).
 */
export const EARLIEST_INSTANT_MS = Date.UTC(1900, 0, 1);
export const LATEST_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
export const INSTANT_RANGE_TEXT = 'between 1900-01-01T00:00:00Z and 9999-12-31T23:59:59Z';

export const isInstantInRange = (epochMs: number): boolean =>
  Number.isFinite(epochMs) && epochMs >= EARLIEST_INSTANT_MS && epochMs <= LATEST_INSTANT_MS;
