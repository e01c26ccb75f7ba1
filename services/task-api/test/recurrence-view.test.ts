import { describe, expect, it } from '@jest/globals';
import { describeRule, parseRrule, shorthandOf } from '@todo/recurrence';
import { DateTime } from 'luxon';
import { RECURRENCE_VIEW_CACHE_SIZE, recurrenceViewOf } from '../src/tasks/recurrence-view.js';

const fresh = (rrule: string, timezone: string, start: Date) => ({
  shorthand: shorthandOf(parseRrule(rrule)),
  description: describeRule(parseRrule(rrule), DateTime.fromJSDate(start, { zone: timezone })),
});

describe('recurrenceViewOf', () => {
  const start = new Date('2026-03-02T08:30:00Z');

  it.each([
    'FREQ=DAILY',
    'FREQ=WEEKLY;BYDAY=MO,WE,FR',
    'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
    'FREQ=MONTHLY;UNTIL=20270101T000000Z',
    'FREQ=DAILY;BYHOUR=8,20;BYMINUTE=0',
  ])('gives what parsing and describing %s gives, first and cached', (rrule) => {
    const expected = fresh(rrule, 'Europe/Paris', start);
    expect(recurrenceViewOf(rrule, 'Europe/Paris', start)).toEqual(expected);
    expect(recurrenceViewOf(rrule, 'Europe/Paris', start)).toEqual(expected);
  });

  it('keys the view by zone and start, which the description depends on', () => {
    const rrule = 'FREQ=WEEKLY';
    // Monday 21:00 in Paris is Tuesday 05:00 in Tokyo.
    const evening = new Date('2026-03-02T20:00:00Z');
    const paris = recurrenceViewOf(rrule, 'Europe/Paris', evening);
    const tokyo = recurrenceViewOf(rrule, 'Asia/Tokyo', evening);
    const later = recurrenceViewOf(rrule, 'Europe/Paris', new Date('2026-03-05T17:00:00Z'));
    expect(paris).toEqual(fresh(rrule, 'Europe/Paris', evening));
    expect(tokyo).toEqual(fresh(rrule, 'Asia/Tokyo', evening));
    expect(later.description).toEqual(
      fresh(rrule, 'Europe/Paris', new Date('2026-03-05T17:00:00Z')).description,
    );
    expect(new Set([paris.description, tokyo.description, later.description]).size).toBe(3);
  });

  it('keeps a bounded number of views: the oldest is computed again', () => {
    const first = recurrenceViewOf('FREQ=DAILY;INTERVAL=2', 'UTC', start);
    expect(recurrenceViewOf('FREQ=DAILY;INTERVAL=2', 'UTC', start)).toBe(first);
    for (let i = 0; i < RECURRENCE_VIEW_CACHE_SIZE; i += 1) {
      recurrenceViewOf(
        'FREQ=DAILY;INTERVAL=2',
        'UTC',
        new Date(start.getTime() + (i + 1) * 60_000),
      );
    }
    const again = recurrenceViewOf('FREQ=DAILY;INTERVAL=2', 'UTC', start);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
});
