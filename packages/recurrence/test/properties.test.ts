import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';
import {
  formatRrule,
  nextOccurrence,
  occurrences,
  placeInZone,
  parseRrule,
  WEEKDAYS,
  type Rule,
} from '../src/index.js';

const ZONES = [
  'UTC',
  'America/New_York',
  'Europe/Paris',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'America/Santiago',
];

const weekday = fc.constantFrom(...WEEKDAYS);
const weekdaySet = fc.uniqueArray(weekday, { minLength: 1, maxLength: 4 });
const dtstartArb = fc
  .record({
    year: fc.integer({ min: 2020, max: 2030 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.constantFrom(0, 15, 30, 45),
  })
  .map((f) => DateTime.utc(f.year, f.month, f.day, f.hour, f.minute));

/**
 * Rules in the part of the space where RFC 5545 semantics and ours agree (no invalid month days,
 * so SKIP never matters), which is where rrule-temporal serves as an independent oracle.
 */
const rfcRuleArb: fc.Arbitrary<string> = fc.oneof(
  fc
    .record({
      interval: fc.integer({ min: 1, max: 5 }),
      days: fc.option(weekdaySet, { nil: undefined }),
    })
    .map(
      ({ interval, days }) =>
        `FREQ=DAILY;INTERVAL=${interval}${days ? `;BYDAY=${days.join(',')}` : ''}`,
    ),
  fc
    .record({
      interval: fc.integer({ min: 1, max: 4 }),
      days: fc.option(weekdaySet, { nil: undefined }),
    })
    .map(
      ({ interval, days }) =>
        `FREQ=WEEKLY;INTERVAL=${interval}${days ? `;BYDAY=${days.join(',')}` : ''}`,
    ),
  fc
    .record({
      interval: fc.integer({ min: 1, max: 3 }),
      monthDays: fc.uniqueArray(
        fc.oneof(fc.integer({ min: 1, max: 28 }), fc.integer({ min: -28, max: -1 })),
        { minLength: 1, maxLength: 3 },
      ),
    })
    .map(
      ({ interval, monthDays }) =>
        `FREQ=MONTHLY;INTERVAL=${interval};BYMONTHDAY=${monthDays.join(',')}`,
    ),
  fc
    .record({
      interval: fc.integer({ min: 1, max: 3 }),
      ordinal: fc.constantFrom(1, 2, 3, 4, -1, -2),
      day: weekday,
    })
    .map(
      ({ interval, ordinal, day }) => `FREQ=MONTHLY;INTERVAL=${interval};BYDAY=${ordinal}${day}`,
    ),
  fc
    .record({
      months: fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 3 }),
      ordinal: fc.constantFrom(1, 2, -1),
      day: weekday,
    })
    .map(
      ({ months, ordinal, day }) =>
        `FREQ=YEARLY;BYMONTH=${months.join(',')};BYDAY=${ordinal}${day}`,
    ),
);

function ours(rrule: string, dtstart: DateTime, zone: string, n: number): DateTime[] {
  const out: DateTime[] = [];
  for (const o of occurrences(parseRrule(rrule), { dtstart, timezone: zone })) {
    out.push(o);
    if (out.length >= n) break;
  }
  return out;
}

describe('expansion agrees with rrule-temporal where RFC 5545 and our policy coincide', () => {
  it('gives the same occurrences in UTC', () => {
    fc.assert(
      fc.property(rfcRuleArb, dtstartArb, (rrule, start) => {
        const dtstart = Temporal.ZonedDateTime.from(
          `${start.toISO({ includeOffset: false, suppressMilliseconds: true })}[UTC]`,
        );
        const oracle = new RRuleTemporal({ rruleString: rrule, dtstart, includeDtstart: true })
          .all((_, i) => i < 15)
          .map((z) => z.epochMilliseconds);
        const mine = ours(rrule, start, 'UTC', 15).map((d) => d.toMillis());
        expect(mine).toEqual(oracle);
      }),
      { numRuns: 300 },
    );
  });
});

describe('expansion properties in any zone', () => {
  it('is strictly increasing, keeps the wall-clock time unless it does not exist, and obeys the rule', () => {
    fc.assert(
      fc.property(rfcRuleArb, dtstartArb, fc.constantFrom(...ZONES), (rrule, start, zone) => {
        const dtstart = DateTime.fromObject(start.toObject(), { zone });
        const rule = parseRrule(rrule);
        const list = ours(rrule, dtstart, zone, 20);
        for (let i = 1; i < list.length; i += 1) {
          const o = list[i]!;
          expect(o > list[i - 1]!).toBe(true);
          const intended = DateTime.fromObject(
            {
              year: o.year,
              month: o.month,
              day: o.day,
              hour: dtstart.hour,
              minute: dtstart.minute,
            },
            { zone },
          );
          const timeExists = intended.hour === dtstart.hour && intended.minute === dtstart.minute;
          if (timeExists) expect([o.hour, o.minute]).toEqual([dtstart.hour, dtstart.minute]);
          else
            expect(o > intended.minus({ hours: 3 }) && o.toMillis() === intended.toMillis()).toBe(
              true,
            );
          if (rule.byMonth.length) expect(rule.byMonth).toContain(o.month);
          if (rule.byDay.length && rule.freq !== 'MONTHLY' && rule.freq !== 'YEARLY') {
            expect(rule.byDay.map((d) => WEEKDAYS.indexOf(d.weekday) + 1)).toContain(o.weekday);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('monthly on day d with SKIP=BACKWARD lands every month on min(d, days in month), never skipping or drifting', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2020, max: 2030 }),
        fc.constantFrom(...ZONES),
        (day, interval, year, zone) => {
          const rrule = `FREQ=MONTHLY;INTERVAL=${interval};BYMONTHDAY=${day};RSCALE=GREGORIAN;SKIP=BACKWARD`;
          const dtstart = DateTime.fromObject(
            { year, month: 1, day: Math.min(day, 31), hour: 10 },
            { zone },
          );
          ours(rrule, dtstart, zone, 30).forEach((o, i) => {
            const month = DateTime.fromObject({ year, month: 1 }, { zone }).plus({
              months: i * interval,
            });
            expect([o.year, o.month, o.day]).toEqual([
              month.year,
              month.month,
              Math.min(day, month.daysInMonth!),
            ]);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('parses back what it formats', () => {
    fc.assert(
      fc.property(
        rfcRuleArb,
        fc.constantFrom('OMIT', 'BACKWARD', 'FORWARD'),
        fc.option(fc.integer({ min: 1, max: 99 }), { nil: undefined }),
        (rrule, skip, count) => {
          const rule: Rule = {
            ...parseRrule(rrule),
            skip: skip as Rule['skip'],
            ...(count ? { count } : {}),
          };
          const text = formatRrule(rule);
          expect(formatRrule(parseRrule(text))).toBe(text);
        },
      ),
    );
  });
});

describe('nextOccurrence properties', () => {
  const completedArb = fc.record({
    rrule: rfcRuleArb,
    start: dtstartArb,
    zone: fc.constantFrom(...ZONES),
    k: fc.integer({ min: 0, max: 12 }),
    lateMinutes: fc.integer({ min: -3 * 24 * 60, max: 90 * 24 * 60 }),
  });

  it('with the strict policy, follows occurrence k with occurrence k+1 of the expansion', () => {
    fc.assert(
      fc.property(completedArb, ({ rrule, start, zone, k, lateMinutes }) => {
        const dtstart = DateTime.fromObject(start.toObject(), { zone });
        const list = ours(rrule, dtstart, zone, k + 2);
        fc.pre(list.length === k + 2);
        const result = nextOccurrence({
          rrule,
          timezone: zone,
          anchor: 'due',
          overdue: 'strict',
          dtstart: dtstart.toISO()!,
          occurrenceIndex: k,
          dueAt: list[k]!.toISO()!,
          completedAt: list[k]!.plus({ minutes: lateMinutes }).toISO()!,
        });
        expect(result).toMatchObject({ kind: 'next', occurrenceIndex: k + 1 });
        expect(result.kind === 'next' && DateTime.fromISO(result.dueAt).toMillis()).toBe(
          list[k + 1]!.toMillis(),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('with the skip policy, gives the first occurrence after both the due date and the completion', () => {
    fc.assert(
      fc.property(completedArb, ({ rrule, start, zone, k, lateMinutes }) => {
        const dtstart = DateTime.fromObject(start.toObject(), { zone });
        const list = ours(rrule, dtstart, zone, 200);
        fc.pre(list.length > k + 1);
        const dueAt = list[k]!;
        const completedAt = dueAt.plus({ minutes: lateMinutes });
        const result = nextOccurrence({
          rrule,
          timezone: zone,
          anchor: 'due',
          overdue: 'skip',
          dtstart: dtstart.toISO()!,
          occurrenceIndex: k,
          dueAt: dueAt.toISO()!,
          completedAt: completedAt.toISO()!,
        });
        const reference = completedAt > dueAt ? completedAt : dueAt;
        const expected = list.find((o) => o > reference);
        fc.pre(expected !== undefined);
        expect(result.kind === 'next' && DateTime.fromISO(result.dueAt).toMillis()).toBe(
          expected!.toMillis(),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('from the completion time, adds exactly INTERVAL calendar units in the series zone', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'),
        fc.integer({ min: 1, max: 6 }),
        dtstartArb,
        fc.constantFrom(...ZONES),
        (freq, interval, completed, zone) => {
          const completedAt = DateTime.fromObject(completed.toObject(), { zone });
          const result = nextOccurrence({
            rrule: `FREQ=${freq};INTERVAL=${interval}`,
            timezone: zone,
            anchor: 'completion',
            overdue: 'skip',
            dtstart: null,
            occurrenceIndex: 3,
            dueAt: null,
            completedAt: completedAt.toISO()!,
          });
          const unit = { DAILY: 'days', WEEKLY: 'weeks', MONTHLY: 'months', YEARLY: 'years' }[
            freq
          ]!;
          expect(result).toMatchObject({ kind: 'next', occurrenceIndex: 4 });
          expect(result.kind === 'next' && DateTime.fromISO(result.dueAt).toMillis()).toBe(
            completedAt.plus({ [unit]: interval }).toMillis(),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('placeInZone', () => {
  /** The slow reference: every offset luxon sees a day either side, checked by luxon itself. */
  function reference(local: DateTime, zone: string): DateTime {
    const naive = DateTime.fromObject(local.toObject(), { zone });
    let earliest: DateTime | undefined;
    for (const offset of new Set([
      naive.offset,
      naive.minus({ days: 1 }).offset,
      naive.plus({ days: 1 }).offset,
    ])) {
      const candidate = DateTime.fromMillis(local.toMillis() - offset * 60_000, { zone });
      const same =
        candidate.year === local.year &&
        candidate.month === local.month &&
        candidate.day === local.day &&
        candidate.hour === local.hour &&
        candidate.minute === local.minute;
      if (same && (!earliest || candidate < earliest)) earliest = candidate;
    }
    return earliest ?? naive;
  }

  it('agrees with a luxon-only reference around DST changes and in ordinary times', () => {
    const transitions = [
      DateTime.utc(2026, 3, 8, 2, 0), // US spring forward
      DateTime.utc(2026, 11, 1, 1, 0), // US fall back
      DateTime.utc(2026, 3, 29, 2, 0), // EU spring forward
      DateTime.utc(2026, 10, 25, 2, 0), // EU fall back
      DateTime.utc(2026, 4, 5, 1, 30), // Lord Howe (half-hour change)
      DateTime.utc(2026, 10, 4, 2, 0),
      DateTime.utc(1950, 6, 1, 12, 0),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...transitions),
        fc.integer({ min: -26 * 60, max: 26 * 60 }),
        fc.constantFrom(...ZONES),
        (around, minutes, zone) => {
          const local = around.plus({ minutes });
          expect(placeInZone(local, zone).toMillis()).toBe(reference(local, zone).toMillis());
        },
      ),
      { numRuns: 1000 },
    );
  });
});
