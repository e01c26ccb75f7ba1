import { describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import {
  assertTimeZone,
  describeRule,
  isIanaTimeZone,
  nextOccurrence,
  parseRrule,
  previewRule,
  type CompletedOccurrence,
} from '../src/index.js';
import { completed, firstN } from './support.js';

/** Follows a series by completing each occurrence exactly when it is due. */
function chain(
  base: Omit<CompletedOccurrence, 'occurrenceIndex' | 'dueAt' | 'completedAt'> & { dueAt: string },
  steps: number,
) {
  const dues = [base.dueAt];
  let current: CompletedOccurrence = { ...base, occurrenceIndex: 0, completedAt: base.dueAt };
  for (let i = 0; i < steps; i += 1) {
    const next = nextOccurrence(current);
    if (next.kind === 'ended') break;
    dues.push(next.dueAt);
    current = {
      ...current,
      dtstart: next.dtstart,
      occurrenceIndex: next.occurrenceIndex,
      dueAt: next.dueAt,
      completedAt: next.dueAt,
    };
  }
  return dues.map((d) => DateTime.fromISO(d, { setZone: true }));
}

describe('weekly with several weekdays', () => {
  it('every 2 weeks on Monday and Wednesday from Monday 2026-01-05 gives Jan 7, then Jan 19', () => {
    expect(firstN('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE', '2026-01-05T09:00:00Z', 'UTC', 5)).toEqual([
      '2026-01-05T09:00:00Z',
      '2026-01-07T09:00:00Z',
      '2026-01-19T09:00:00Z',
      '2026-01-21T09:00:00Z',
      '2026-02-02T09:00:00Z',
    ]);
    const base = {
      rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE',
      timezone: 'UTC',
      anchor: 'due' as const,
      overdue: 'skip' as const,
      dtstart: '2026-01-05T09:00:00Z',
    };
    const first = nextOccurrence({
      ...base,
      occurrenceIndex: 0,
      dueAt: '2026-01-05T09:00:00Z',
      completedAt: '2026-01-05T10:00:00Z',
    });
    expect(first).toMatchObject({
      kind: 'next',
      dueAt: '2026-01-07T09:00:00.000Z',
      occurrenceIndex: 1,
    });
    const second = nextOccurrence({
      ...base,
      occurrenceIndex: 1,
      dueAt: '2026-01-07T09:00:00Z',
      completedAt: '2026-01-07T08:00:00Z',
    });
    expect(second).toMatchObject({
      kind: 'next',
      dueAt: '2026-01-19T09:00:00.000Z',
      occurrenceIndex: 2,
    });
  });
});

describe('month ends', () => {
  it('monthly on the 31st with SKIP=BACKWARD keeps the 31st for years, landing on the last day of shorter months', () => {
    const dues = chain(
      {
        rrule: 'FREQ=MONTHLY;RSCALE=GREGORIAN;SKIP=BACKWARD',
        timezone: 'America/Chicago',
        anchor: 'due',
        overdue: 'skip',
        dtstart: '2026-01-31T09:00:00-06:00',
        dueAt: '2026-01-31T09:00:00-06:00',
      },
      47,
    );
    expect(dues).toHaveLength(48);
    dues.forEach((d, i) => {
      const month = DateTime.fromObject({ year: 2026, month: 1 }, { zone: 'America/Chicago' }).plus(
        { months: i },
      );
      expect([d.year, d.month]).toEqual([month.year, month.month]);
      expect(d.day).toBe(Math.min(31, month.daysInMonth!));
      expect([d.hour, d.minute]).toEqual([9, 0]);
    });
    expect(dues.slice(0, 3).map((d) => d.toISODate())).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
    ]);
    expect(dues.find((d) => d.year === 2028 && d.month === 2)!.day).toBe(29);
  });

  it('BYMONTHDAY=31 with SKIP=BACKWARD behaves the same, and -1 means the last day', () => {
    expect(
      firstN(
        'FREQ=MONTHLY;BYMONTHDAY=31;RSCALE=GREGORIAN;SKIP=BACKWARD',
        '2026-01-31T09:00:00Z',
        'UTC',
        4,
      ),
    ).toEqual([
      '2026-01-31T09:00:00Z',
      '2026-02-28T09:00:00Z',
      '2026-03-31T09:00:00Z',
      '2026-04-30T09:00:00Z',
    ]);
    expect(firstN('FREQ=MONTHLY;BYMONTHDAY=-1', '2028-01-31T09:00:00Z', 'UTC', 3)).toEqual([
      '2028-01-31T09:00:00Z',
      '2028-02-29T09:00:00Z',
      '2028-03-31T09:00:00Z',
    ]);
  });

  it('a plain RRULE means what RFC 5545 says: monthly from January 31 skips months without a 31st', () => {
    expect(firstN('FREQ=MONTHLY', '2026-01-31T09:00:00Z', 'UTC', 3)).toEqual([
      '2026-01-31T09:00:00Z',
      '2026-03-31T09:00:00Z',
      '2026-05-31T09:00:00Z',
    ]);
    expect(firstN('FREQ=MONTHLY;BYMONTHDAY=31', '2026-01-31T09:00:00Z', 'UTC', 3)).toEqual([
      '2026-01-31T09:00:00Z',
      '2026-03-31T09:00:00Z',
      '2026-05-31T09:00:00Z',
    ]);
  });

  it('a plain yearly rule from February 29 occurs only in leap years', () => {
    expect(firstN('FREQ=YEARLY', '2024-02-29T08:00:00Z', 'UTC', 3)).toEqual([
      '2024-02-29T08:00:00Z',
      '2028-02-29T08:00:00Z',
      '2032-02-29T08:00:00Z',
    ]);
    // Across a century that is not a leap year: 2096, then 2104.
    expect(firstN('FREQ=YEARLY', '2096-02-29T08:00:00Z', 'UTC', 2)).toEqual([
      '2096-02-29T08:00:00Z',
      '2104-02-29T08:00:00Z',
    ]);
  });

  it('SKIP=OMIT follows RFC 5545 (months without the day are skipped); SKIP=FORWARD uses the 1st', () => {
    expect(
      firstN('FREQ=MONTHLY;RSCALE=GREGORIAN;SKIP=OMIT', '2026-01-31T09:00:00Z', 'UTC', 3),
    ).toEqual(['2026-01-31T09:00:00Z', '2026-03-31T09:00:00Z', '2026-05-31T09:00:00Z']);
    expect(
      firstN(
        'FREQ=MONTHLY;BYMONTHDAY=30;RSCALE=GREGORIAN;SKIP=FORWARD',
        '2026-01-30T09:00:00Z',
        'UTC',
        3,
      ),
    ).toEqual(['2026-01-30T09:00:00Z', '2026-03-01T09:00:00Z', '2026-03-30T09:00:00Z']);
  });

  it('yearly on February 29 with SKIP=BACKWARD falls on February 28 in common years', () => {
    expect(
      firstN('FREQ=YEARLY;RSCALE=GREGORIAN;SKIP=BACKWARD', '2024-02-29T08:00:00Z', 'UTC', 5),
    ).toEqual([
      '2024-02-29T08:00:00Z',
      '2025-02-28T08:00:00Z',
      '2026-02-28T08:00:00Z',
      '2027-02-28T08:00:00Z',
      '2028-02-29T08:00:00Z',
    ]);
  });
});

describe('ordinal weekdays', () => {
  it('handles the 2nd Tuesday, the last Friday and the last Sunday of March', () => {
    expect(firstN('FREQ=MONTHLY;BYDAY=2TU', '2026-01-13T09:00:00Z', 'UTC', 3)).toEqual([
      '2026-01-13T09:00:00Z',
      '2026-02-10T09:00:00Z',
      '2026-03-10T09:00:00Z',
    ]);
    expect(firstN('FREQ=MONTHLY;BYDAY=-1FR', '2026-01-30T18:00:00Z', 'UTC', 3)).toEqual([
      '2026-01-30T18:00:00Z',
      '2026-02-27T18:00:00Z',
      '2026-03-27T18:00:00Z',
    ]);
    expect(
      firstN('FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', '2026-03-29T10:00:00+01:00', 'Europe/London', 3),
    ).toEqual([
      '2026-03-29T10:00:00+01:00',
      '2027-03-28T10:00:00+01:00',
      '2028-03-26T10:00:00+01:00',
    ]);
  });
});

describe('time zones and DST', () => {
  it('knows IANA zone names in any letter case, and nothing else', () => {
    for (const zone of ['Europe/Paris', 'UTC', 'America/Argentina/Buenos_Aires', 'eUrOpE/pArIs'])
      expect(isIanaTimeZone(zone)).toBe(true);
    // Asked twice: a remembered zone must not make its neighbours valid.
    for (const zone of ['Moon/Base', 'Europe/Pari', '', 'Europe/Paris ', 'Moon/Base'])
      expect(isIanaTimeZone(zone)).toBe(false);
    expect(() => assertTimeZone('Moon/Base')).toThrow(
      expect.objectContaining({ part: 'timezone' }),
    );
  });

  it('keeps 09:00 in New York across both US transitions', () => {
    expect(firstN('FREQ=DAILY', '2026-03-07T09:00:00-05:00', 'America/New_York', 3)).toEqual([
      '2026-03-07T09:00:00-05:00',
      '2026-03-08T09:00:00-04:00',
      '2026-03-09T09:00:00-04:00',
    ]);
    expect(firstN('FREQ=DAILY', '2026-10-31T09:00:00-04:00', 'America/New_York', 3)).toEqual([
      '2026-10-31T09:00:00-04:00',
      '2026-11-01T09:00:00-05:00',
      '2026-11-02T09:00:00-05:00',
    ]);
  });

  it('keeps 09:00 in Paris across both EU transitions, weekly', () => {
    expect(firstN('FREQ=WEEKLY', '2026-03-22T09:00:00+01:00', 'Europe/Paris', 2)).toEqual([
      '2026-03-22T09:00:00+01:00',
      '2026-03-29T09:00:00+02:00',
    ]);
    expect(firstN('FREQ=WEEKLY', '2026-10-18T09:00:00+02:00', 'Europe/Paris', 2)).toEqual([
      '2026-10-18T09:00:00+02:00',
      '2026-10-25T09:00:00+01:00',
    ]);
  });

  it('moves a time inside the spring-forward gap forward, and keeps the wall clock after it', () => {
    expect(firstN('FREQ=DAILY', '2026-03-07T02:30:00-05:00', 'America/New_York', 3)).toEqual([
      '2026-03-07T02:30:00-05:00',
      '2026-03-08T03:30:00-04:00',
      '2026-03-09T02:30:00-04:00',
    ]);
    expect(firstN('FREQ=DAILY', '2026-03-28T02:30:00+01:00', 'Europe/Berlin', 2)[1]).toBe(
      '2026-03-29T03:30:00+02:00',
    );
  });

  it('takes the first instance of a time the fall-back repeats', () => {
    expect(firstN('FREQ=DAILY', '2026-10-31T01:30:00-04:00', 'America/New_York', 3)).toEqual([
      '2026-10-31T01:30:00-04:00',
      '2026-11-01T01:30:00-04:00',
      '2026-11-02T01:30:00-05:00',
    ]);
    expect(firstN('FREQ=DAILY', '2026-10-24T02:30:00+02:00', 'Europe/Berlin', 2)[1]).toBe(
      '2026-10-25T02:30:00+02:00',
    );
  });

  it('computes the next occurrence in the series zone, not in UTC', () => {
    // 23:30 in Los Angeles is the next day in UTC; weekly on Friday must stay a Friday locally.
    const next = nextOccurrence(
      completed({
        rrule: 'FREQ=WEEKLY;BYDAY=FR',
        timezone: 'America/Los_Angeles',
        dueAt: '2026-01-09T23:30:00-08:00',
        completedAt: '2026-01-09T23:00:00-08:00',
      }),
    );
    expect(next).toMatchObject({ kind: 'next', dueAt: '2026-01-16T23:30:00.000-08:00' });
  });
});

describe('end conditions', () => {
  it('COUNT counts the occurrences the series creates, the first one included', () => {
    const dues = chain(
      {
        rrule: 'FREQ=DAILY;COUNT=3',
        timezone: 'UTC',
        anchor: 'due',
        overdue: 'skip',
        dtstart: '2026-01-01T09:00:00Z',
        dueAt: '2026-01-01T09:00:00Z',
      },
      10,
    );
    expect(dues.map((d) => d.toISODate())).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
    expect(
      nextOccurrence(
        completed({
          rrule: 'FREQ=DAILY;COUNT=3',
          occurrenceIndex: 2,
          dueAt: '2026-01-03T09:00:00Z',
        }),
      ),
    ).toEqual({ kind: 'ended', reason: 'count' });
    expect(nextOccurrence(completed({ rrule: 'FREQ=DAILY;COUNT=1', occurrenceIndex: 0 }))).toEqual({
      kind: 'ended',
      reason: 'count',
    });
  });

  it('UNTIL is inclusive', () => {
    const rrule = 'FREQ=DAILY;UNTIL=20260103T090000Z';
    const dues = chain(
      {
        rrule,
        timezone: 'UTC',
        anchor: 'due',
        overdue: 'skip',
        dtstart: '2026-01-01T09:00:00Z',
        dueAt: '2026-01-01T09:00:00Z',
      },
      10,
    );
    expect(dues.map((d) => d.toISO())).toEqual([
      '2026-01-01T09:00:00.000Z',
      '2026-01-02T09:00:00.000Z',
      '2026-01-03T09:00:00.000Z',
    ]);
    expect(
      nextOccurrence(
        completed({
          rrule,
          occurrenceIndex: 2,
          dueAt: '2026-01-03T09:00:00Z',
          completedAt: '2026-01-03T09:00:00Z',
        }),
      ),
    ).toEqual({ kind: 'ended', reason: 'until' });
  });

  it('a date-only UNTIL includes that whole day in the series zone', () => {
    expect(
      firstN('FREQ=DAILY;UNTIL=20260102', '2026-01-01T23:00:00+01:00', 'Europe/Paris', 5),
    ).toEqual(['2026-01-01T23:00:00+01:00', '2026-01-02T23:00:00+01:00']);
  });
});

describe('anchors and overdue completion', () => {
  it('from the completion time: INTERVAL units after completing, month ends clamped', () => {
    expect(
      nextOccurrence(
        completed({
          rrule: 'FREQ=DAILY;INTERVAL=3',
          timezone: 'Europe/Paris',
          anchor: 'completion',
          dueAt: '2026-03-01T09:00:00+01:00',
          completedAt: '2026-03-10T17:45:00+01:00',
        }),
      ),
    ).toMatchObject({ kind: 'next', dueAt: '2026-03-13T17:45:00.000+01:00', occurrenceIndex: 1 });
    expect(
      nextOccurrence(
        completed({
          rrule: 'FREQ=MONTHLY',
          anchor: 'completion',
          completedAt: '2026-01-31T12:00:00Z',
        }),
      ),
    ).toMatchObject({ dueAt: '2026-02-28T12:00:00.000Z' });
    // Across the spring-forward night the wall-clock time is kept.
    expect(
      nextOccurrence(
        completed({
          rrule: 'FREQ=WEEKLY',
          timezone: 'Europe/Paris',
          anchor: 'completion',
          completedAt: '2026-03-25T18:00:00+01:00',
        }),
      ),
    ).toMatchObject({ dueAt: '2026-04-01T18:00:00.000+02:00' });
  });

  it('completing an overdue occurrence skips to the first one after the completion', () => {
    const base = {
      rrule: 'FREQ=DAILY',
      dtstart: '2026-01-01T09:00:00Z',
      dueAt: '2026-01-01T09:00:00Z',
      completedAt: '2026-01-05T12:00:00Z',
    };
    expect(nextOccurrence(completed(base))).toMatchObject({
      dueAt: '2026-01-06T09:00:00.000Z',
      occurrenceIndex: 1,
    });
    expect(nextOccurrence(completed({ ...base, overdue: 'strict' }))).toMatchObject({
      dueAt: '2026-01-02T09:00:00.000Z',
    });
    expect(
      nextOccurrence(
        completed({
          rrule: 'FREQ=WEEKLY;BYDAY=MO',
          dtstart: '2026-01-05T08:00:00Z',
          dueAt: '2026-01-05T08:00:00Z',
          completedAt: '2026-01-21T10:00:00Z',
        }),
      ),
    ).toMatchObject({ dueAt: '2026-01-26T08:00:00.000Z' });
  });

  it('completing early does not skip ahead', () => {
    expect(
      nextOccurrence(
        completed({
          dtstart: '2026-01-10T09:00:00Z',
          dueAt: '2026-01-10T09:00:00Z',
          completedAt: '2026-01-03T12:00:00Z',
        }),
      ),
    ).toMatchObject({ dueAt: '2026-01-11T09:00:00.000Z' });
  });

  it('a recurring task without a due date repeats from its completion, as the original system did', () => {
    expect(
      nextOccurrence(completed({ rrule: 'FREQ=WEEKLY', completedAt: '2026-02-08T18:00:00Z' })),
    ).toMatchObject({ dueAt: '2026-02-15T18:00:00.000Z', dtstart: '2026-02-08T18:00:00.000Z' });
  });

  it('rejects calendar parts on a from-completion rule', () => {
    expect(() =>
      nextOccurrence(completed({ rrule: 'FREQ=WEEKLY;BYDAY=MO', anchor: 'completion' })),
    ).toThrow('anchor');
  });

  it('gives the same answer every time for the same input', () => {
    const input = completed({
      rrule: 'FREQ=MONTHLY;BYDAY=-1FR',
      timezone: 'Asia/Tokyo',
      dtstart: '2026-01-30T09:00:00+09:00',
      dueAt: '2026-03-27T09:00:00+09:00',
      completedAt: '2026-05-02T09:00:00+09:00',
    });
    expect(nextOccurrence(input)).toEqual(nextOccurrence(input));
    expect(nextOccurrence(input)).toMatchObject({ dueAt: '2026-05-29T09:00:00.000+09:00' });
  });
});

describe('descriptions and preview', () => {
  it.each([
    ['FREQ=DAILY', undefined, 'every day'],
    ['FREQ=DAILY;INTERVAL=3', undefined, 'every 3 days'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=WE,MO', undefined, 'every 2 weeks on Monday and Wednesday'],
    ['FREQ=WEEKLY', '2026-01-06T09:00:00Z', 'every week on Tuesday'],
    [
      'FREQ=MONTHLY;RSCALE=GREGORIAN;SKIP=BACKWARD',
      '2026-01-31T09:00:00Z',
      'every month on the 31st (the last day in shorter months)',
    ],
    [
      'FREQ=MONTHLY',
      '2026-01-31T09:00:00Z',
      'every month on the 31st (skipping months without that day)',
    ],
    ['FREQ=MONTHLY;BYMONTHDAY=-1', undefined, 'every month on the last day'],
    ['FREQ=MONTHLY;BYDAY=2TU', undefined, 'every month on the 2nd Tuesday'],
    [
      'FREQ=MONTHLY;BYDAY=-1FR;COUNT=6',
      undefined,
      'every month on the last Friday for 6 occurrences',
    ],
    ['FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', undefined, 'every year in March on the last Sunday'],
    [
      'FREQ=YEARLY;RSCALE=GREGORIAN;SKIP=BACKWARD',
      '2024-02-29T09:00:00Z',
      'every year on February 29 (the last day in shorter months)',
    ],
    [
      'FREQ=YEARLY',
      '2024-02-29T09:00:00Z',
      'every year on February 29 (skipping years without that day)',
    ],
    ['FREQ=DAILY;UNTIL=20260630', undefined, 'every day until 2026-06-30'],
  ])('%s from %s reads "%s"', (rrule, start, text) => {
    expect(
      describeRule(parseRrule(rrule), start ? DateTime.fromISO(start, { zone: 'utc' }) : undefined),
    ).toBe(text);
  });

  it('previews occurrences with offsets, the canonical rule and its description', () => {
    expect(
      previewRule({
        rrule: 'FREQ=WEEKLY;BYDAY=MO,WE;INTERVAL=2',
        start: '2026-01-05T09:00:00+01:00',
        timezone: 'Europe/Paris',
        count: 3,
      }),
    ).toEqual({
      rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE',
      description: 'every 2 weeks on Monday and Wednesday',
      occurrences: [
        '2026-01-05T09:00:00.000+01:00',
        '2026-01-07T09:00:00.000+01:00',
        '2026-01-19T09:00:00.000+01:00',
      ],
    });
  });

  it.each([
    'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30',
    'FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30',
    'FREQ=DAILY;BYMONTH=4,6,9,11;BYMONTHDAY=31',
    // Every 7 days from a Sunday is always a Sunday.
    'FREQ=DAILY;INTERVAL=7;BYDAY=MO',
    'FREQ=MONTHLY;BYMONTH=2;BYDAY=5MO;BYMONTHDAY=1,2,3',
  ])('refuses to preview %s, which never occurs after its start, naming RRULE', (rrule) => {
    expect(() =>
      previewRule({ rrule, start: '2026-01-04T00:00:00Z', timezone: 'UTC', count: 5 }),
    ).toThrow(expect.objectContaining({ part: 'RRULE' }));
  });
});
