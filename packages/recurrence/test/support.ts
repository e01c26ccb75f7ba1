import { DateTime } from 'luxon';
import { occurrences, parseRrule, type CompletedOccurrence } from '../src/index.js';

/** The first `n` occurrences, as ISO strings with offsets. */
export function firstN(rrule: string, start: string, timezone: string, n: number): string[] {
  const dtstart = DateTime.fromISO(start, { setZone: true });
  const out: string[] = [];
  for (const o of occurrences(parseRrule(rrule), { dtstart, timezone })) {
    out.push(o.toISO({ suppressMilliseconds: true })!);
    if (out.length >= n) break;
  }
  return out;
}

/** A completed occurrence of a daily UTC series with no due date; override what a case needs. */
export const completed = (overrides: Partial<CompletedOccurrence>): CompletedOccurrence => ({
  rrule: 'FREQ=DAILY',
  timezone: 'UTC',
  anchor: 'due',
  overdue: 'skip',
  dtstart: null,
  occurrenceIndex: 0,
  dueAt: null,
  completedAt: '2026-01-01T00:00:00Z',
  ...overrides,
});
