/**
 * Regression tests for rules and dates that once stalled the engine or gave wrong answers
 * (issue 10): far-apart series starts, sparse rules, the ends of the accepted range, and the
 * stored rule read back by an independent RFC 5545 implementation.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';
import {
  nextOccurrence,
  occurrences,
  parseRrule,
  parseSeriesRule,
  previewRule,
  RuleError,
  WEEKDAYS,
} from '../src/index.js';
import { completed } from './support.js';

describe('a series that started long ago', () => {
  it('completing a daily task due in 1900 late in 2026 gives the next day after the completion', () => {
    expect(
      nextOccurrence(
        completed({
          dtstart: '1900-01-01T09:00:00Z',
          dueAt: '1900-01-01T09:00:00Z',
          completedAt: '2026-11-29T10:00:00Z',
        }),
      ),
    ).toEqual({
      kind: 'next',
      dueAt: '2026-11-30T09:00:00.000Z',
      occurrenceIndex: 1,
      dtstart: '1900-01-01T09:00:00.000Z',
    });
  });

  it('keeps the interval aligned to the series start across the jump', () => {
    // Every 3 days from 1900-01-01: day numbers since then that are multiples of 3.
    const result = nextOccurrence(
      completed({
        rrule: 'FREQ=DAILY;INTERVAL=3',
        dtstart: '1900-01-01T09:00:00Z',
        dueAt: '1900-01-01T09:00:00Z',
        completedAt: '2026-11-29T10:00:00Z',
      }),
    );
    expect(result.kind).toBe('next');
    const due = DateTime.fromISO(result.kind === 'next' ? result.dueAt : '', { zone: 'utc' });
    const days = due.diff(DateTime.utc(1900, 1, 1, 9), 'days').days;
    expect(days % 3).toBe(0);
    expect(due > DateTime.utc(2026, 11, 29, 10)).toBe(true);
    expect(due.minus({ days: 3 }) <= DateTime.utc(2026, 11, 29, 10)).toBe(true);
  });

  it('refuses instants before 1900 or after 9999 as a RuleError naming the field', () => {
    for (const [field, value] of [
      ['dtstart', '0100-01-01T09:00:00Z'],
      ['due_at', '0000-01-01T00:00:00Z'],
      ['due_at', '9999-12-31T23:59:59-12:00'],
    ] as const) {
      const input =
        field === 'dtstart'
          ? { dtstart: value, dueAt: '2026-01-01T09:00:00Z' }
          : { dueAt: value, dtstart: null };
      expect(() => nextOccurrence(completed(input))).toThrow(RuleError);
      try {
        nextOccurrence(completed(input));
      } catch (error) {
        expect((error as RuleError).part).toBe(field);
      }
    }
  });

  it('accepts a rule that recurs but runs out of calendar at the end of the range', () => {
    const weekly = parseSeriesRule({
      rrule: 'FREQ=WEEKLY',
      timezone: 'UTC',
      dtstart: '9999-12-31T09:00:00Z',
    });
    expect(weekly.rrule).toBe('FREQ=WEEKLY');
    expect(() =>
      parseSeriesRule({
        rrule: 'FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30',
        timezone: 'UTC',
        dtstart: '9999-12-31T09:00:00Z',
      }),
    ).toThrow(RuleError);
  });

  it('ends a series whose next occurrence would fall after 9999-12-31', () => {
    expect(
      nextOccurrence(
        completed({
          dtstart: '9999-12-31T09:00:00Z',
          dueAt: '9999-12-31T09:00:00Z',
          completedAt: '9999-12-31T09:00:00Z',
        }),
      ),
    ).toEqual({ kind: 'ended', reason: 'no_more_occurrences' });
    expect(
      nextOccurrence(
        completed({
          rrule: 'FREQ=YEARLY',
          anchor: 'completion',
          completedAt: '9999-06-01T09:00:00Z',
        }),
      ),
    ).toEqual({ kind: 'ended', reason: 'no_more_occurrences' });
  });
});

describe('instants written exactly', () => {
  it('writes an instant whose local offset has seconds in UTC, so it reads back as the same instant', () => {
    // Paris kept local mean time (+00:09:21) until 1911; Monrovia used -00:44:30 until 1972.
    for (const [zone, start] of [
      ['Europe/Paris', '1905-06-01T08:00:00Z'],
      ['Africa/Monrovia', '1965-06-01T08:00:00Z'],
    ] as const) {
      const { occurrences: list } = previewRule({
        rrule: 'FREQ=DAILY',
        start,
        timezone: zone,
        count: 3,
      });
      expect(list.map((o) => new Date(o).toISOString())).toEqual([
        new Date(start).toISOString(),
        new Date(Date.parse(start) + 86_400_000).toISOString(),
        new Date(Date.parse(start) + 2 * 86_400_000).toISOString(),
      ]);
      const next = nextOccurrence(
        completed({ timezone: zone, dtstart: start, dueAt: start, completedAt: start }),
      );
      expect(next.kind === 'next' && new Date(next.dueAt).toISOString()).toBe(
        new Date(Date.parse(start) + 86_400_000).toISOString(),
      );
    }
  });

  it('writes a start that is year 10000 east of UTC in UTC (found by fuzzing)', () => {
    const preview = previewRule({
      rrule: 'FREQ=WEEKLY;INTERVAL=1000;BYDAY=MO',
      start: '9999-12-31T23:59:59Z',
      timezone: 'Australia/Lord_Howe',
      count: 1,
    });
    expect(preview.occurrences).toEqual(['9999-12-31T23:59:59.000Z']);
  });
});

describe('sparse rules', () => {
  it('finds 29 February on a Monday, 28 years apart', () => {
    const rrule = 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO';
    const result = nextOccurrence(
      completed({
        rrule,
        dtstart: '2016-02-29T09:00:00Z',
        dueAt: '2016-02-29T09:00:00Z',
        completedAt: '2016-02-29T10:00:00Z',
      }),
    );
    expect(result).toMatchObject({ kind: 'next', dueAt: '2044-02-29T09:00:00.000Z' });
    expect(
      previewRule({ rrule, start: '2016-02-29T09:00:00Z', timezone: 'UTC', count: 3 }).occurrences,
    ).toEqual(['2016-02-29T09:00:00.000Z', '2044-02-29T09:00:00.000Z', '2072-02-29T09:00:00.000Z']);
  });

  it('previews 100 occurrences of 29 February', () => {
    const list = previewRule({
      rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29',
      start: '2026-01-01T09:00:00Z',
      timezone: 'UTC',
      count: 100,
    }).occurrences;
    expect(list).toHaveLength(100);
    for (const value of list.slice(1)) expect(value).toMatch(/^\d{4}-02-29T09:00:00/);
    // 2100, 2200 and 2300 are not leap years.
    expect(list.some((value) => value.startsWith('2100-'))).toBe(false);
  });

  it('accepts a rule whose only other occurrences are centuries away, and refuses one with none', () => {
    // 29 February on a Monday, every 1000 days from 2016-02-29: the days must also be a multiple
    // of 1000 apart, which happens, if at all, only far in the future.
    const rare = 'FREQ=DAILY;INTERVAL=1000;BYMONTH=2;BYMONTHDAY=29';
    let outcome: 'occurs' | 'never';
    try {
      previewRule({ rrule: rare, start: '2016-02-29T09:00:00Z', timezone: 'UTC', count: 2 });
      outcome = 'occurs';
    } catch (error) {
      expect((error as RuleError).part).toBe('RRULE');
      outcome = 'never';
    }
    // Independent check by brute force over the whole range: days since the start that are
    // multiples of 1000 and fall on 29 February.
    let day = DateTime.utc(2016, 2, 29).plus({ days: 1000 });
    let found = false;
    while (day.year <= 9999) {
      if (day.month === 2 && day.day === 29) {
        found = true;
        break;
      }
      day = day.plus({ days: 1000 });
    }
    expect(outcome).toBe(found ? 'occurs' : 'never');
  });
});

describe('jumping to the anchor gives what walking from the series start gives', () => {
  const weekday = fc.constantFrom(...WEEKDAYS);
  const ruleArb = fc.oneof(
    fc
      .record({
        interval: fc.integer({ min: 1, max: 40 }),
        days: fc.option(fc.uniqueArray(weekday, { minLength: 1, maxLength: 3 }), {
          nil: undefined,
        }),
        months: fc.option(
          fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 3 }),
          { nil: undefined },
        ),
      })
      .map(
        ({ interval, days, months }) =>
          `FREQ=DAILY;INTERVAL=${interval}${days ? `;BYDAY=${days.join(',')}` : ''}${months ? `;BYMONTH=${months.join(',')}` : ''}`,
      ),
    fc
      .record({
        interval: fc.integer({ min: 1, max: 10 }),
        days: fc.uniqueArray(weekday, { minLength: 1, maxLength: 3 }),
      })
      .map(({ interval, days }) => `FREQ=WEEKLY;INTERVAL=${interval};BYDAY=${days.join(',')}`),
    fc
      .record({
        interval: fc.integer({ min: 1, max: 14 }),
        day: fc.integer({ min: 1, max: 31 }),
        skip: fc.constantFrom('OMIT', 'BACKWARD', 'FORWARD'),
      })
      .map(
        ({ interval, day, skip }) =>
          `FREQ=MONTHLY;INTERVAL=${interval};BYMONTHDAY=${day};RSCALE=GREGORIAN;SKIP=${skip}`,
      ),
    fc
      .record({ interval: fc.integer({ min: 1, max: 5 }), ordinal: fc.constantFrom(1, -1, 5) })
      .map(({ interval, ordinal }) => `FREQ=YEARLY;INTERVAL=${interval};BYDAY=${ordinal}FR`),
  );

  it('for random rules, zones and anchors up to 30 years after the start', () => {
    fc.assert(
      fc.property(
        ruleArb,
        fc.integer({ min: 0, max: 365 * 30 }),
        fc.integer({ min: 0, max: 24 * 60 - 1 }),
        fc.constantFrom('UTC', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'),
        (rrule, afterDays, minuteOfDay, zone) => {
          const rule = parseRrule(rrule);
          const dtstart = DateTime.fromObject({ year: 2010, month: 3, day: 7, hour: 8 }, { zone });
          const after = dtstart.plus({ days: afterDays, minutes: minuteOfDay });
          const jumped = occurrences(rule, { dtstart, timezone: zone, after, applyLimits: false })
            .next()
            .value?.toMillis();
          let walked: number | undefined;
          for (const o of occurrences(rule, { dtstart, timezone: zone, applyLimits: false })) {
            if (o > after) {
              walked = o.toMillis();
              break;
            }
          }
          expect(jumped).toBe(walked);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('the stored rule is valid RFC 5545 for its zoned start', () => {
  it('turns a date-only UNTIL into a UTC date-time, and an independent reader keeps the last day', () => {
    const series = parseSeriesRule({
      rrule: 'FREQ=DAILY;UNTIL=20260103',
      timezone: 'Europe/Paris',
      dtstart: '2026-01-01T23:00:00+01:00',
    });
    expect(series.rrule).toBe('FREQ=DAILY;UNTIL=20260103T225959Z');
    const oracle = new RRuleTemporal({
      rruleString: `DTSTART;TZID=Europe/Paris:20260101T230000\nRRULE:${series.rrule}`,
      strict: true,
    })
      .all()
      .map((z) => z.toInstant().toString());
    const ours = [
      ...occurrences(series.rule, {
        dtstart: DateTime.fromISO('2026-01-01T23:00:00+01:00'),
        timezone: 'Europe/Paris',
      }),
    ].map((o) => o.toUTC().toISO({ suppressMilliseconds: true }));
    expect(ours).toEqual(['2026-01-01T22:00:00Z', '2026-01-02T22:00:00Z', '2026-01-03T22:00:00Z']);
    expect(oracle).toEqual(ours);
  });

  it('keeps an UNTIL on the last accepted day writable west of UTC', () => {
    expect(
      parseSeriesRule({ rrule: 'FREQ=DAILY;UNTIL=99991231', timezone: 'Pacific/Pago_Pago' }).rrule,
    ).toBe('FREQ=DAILY;UNTIL=99991231T235959Z');
  });

  it.each([
    ['FREQ=MONTHLY', '20260131T090000'],
    ['FREQ=YEARLY', '20240229T090000'],
    ['FREQ=MONTHLY;BYMONTHDAY=30,31', '20260130T090000'],
    ['FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29', '20160229T090000'],
  ])('%s from %s in New York reads the same in rrule-temporal', (rrule, start) => {
    const zone = 'America/New_York';
    const series = parseSeriesRule({ rrule, timezone: zone });
    const oracle = new RRuleTemporal({
      rruleString: `DTSTART;TZID=${zone}:${start}\nRRULE:${series.rrule}`,
      strict: true,
    })
      .all((_, i) => i < 4)
      .map((z) => z.epochMilliseconds);
    const dtstart = Temporal.PlainDateTime.from(start).toZonedDateTime(zone);
    const mine: number[] = [];
    for (const o of occurrences(series.rule, {
      dtstart: DateTime.fromMillis(dtstart.epochMilliseconds, { zone }),
      timezone: zone,
    })) {
      mine.push(o.toMillis());
      if (mine.length >= 4) break;
    }
    expect(mine).toEqual(oracle);
  });
});
