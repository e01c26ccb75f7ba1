import { INSTANT_RANGE_TEXT, isInstantInRange } from './instant-range.js';
import { RuleError } from './rule-error.js';
import { assertRfcCombinations } from './rule-constraints.js';
import {
  DEFAULT_SKIP,
  FREQUENCIES,
  SKIP_MODES,
  WEEKDAYS,
  type ByDay,
  type Frequency,
  type Rule,
  type Skip,
  type Until,
  type Weekday,
} from './rule.js';

const SUPPORTED_PARTS = [
  'FREQ',
  'INTERVAL',
  'COUNT',
  'UNTIL',
  'BYSECOND',
  'BYMINUTE',
  'BYHOUR',
  'BYDAY',
  'BYMONTHDAY',
  'BYYEARDAY',
  'BYWEEKNO',
  'BYMONTH',
  'BYSETPOS',
  'WKST',
  'RSCALE',
  'SKIP',
];
export const MAX_INTERVAL = 1000;
export const MAX_COUNT = 10_000;

function integer(part: string, text: string, min: number, max: number): number {
  if (!/^[+-]?\d+$/.test(text)) throw new RuleError(part, `'${text}' is not an integer`);
  const value = Number(text);
  if (value < min || value > max) throw new RuleError(part, `${value} is outside ${min}..${max}`);
  return value;
}

function list(part: string, text: string): string[] {
  const items = text.split(',');
  if (items.some((item) => item === '')) throw new RuleError(part, 'has an empty item');
  return items;
}

/**
 * A distinct list of integers in min..max (`signed` also allows -max..-min, never 0), sorted
 * unless `keepOrder` (BYMONTHDAY keeps the order written, as stored rules always did).
 */
function integers(
  part: string,
  text: string | undefined,
  min: number,
  max: number,
  { signed = false, keepOrder = false } = {},
) {
  if (text === undefined) return [];
  const values = list(part, text).map((item) => {
    const value = integer(part, item, signed ? -max : min, max);
    if (signed && value === 0) throw new RuleError(part, 'cannot be 0');
    return value;
  });
  const distinct = [...new Set(values)];
  return keepOrder ? distinct : distinct.sort((a, b) => a - b);
}

function enumValue<T extends string>(part: string, text: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(text)) {
    throw new RuleError(part, `'${text}' is not one of ${allowed.join(', ')}`);
  }
  return text as T;
}

function parseByDay(text: string | undefined): ByDay[] {
  if (text === undefined) return [];
  const seen = new Set<string>();
  return list('BYDAY', text).map((item) => {
    const match = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(item);
    if (!match) throw new RuleError('BYDAY', `'${item}' is not a weekday such as MO or 2TU`);
    const weekday = enumValue<Weekday>('BYDAY', match[2]!, WEEKDAYS);
    if (seen.has(item)) throw new RuleError('BYDAY', `'${item}' is repeated`);
    seen.add(item);
    if (match[1] === undefined) return { weekday };
    const ordinal = integer('BYDAY', match[1], -53, 53);
    if (ordinal === 0) throw new RuleError('BYDAY', `'${item}': the ordinal cannot be 0`);
    return { weekday, ordinal };
  });
}

function parseUntil(text: string): Until {
  const instant = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (instant) {
    const [y, mo, d, h, mi, s] = instant.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    // Before Date.UTC, which reads years 0..99 as 1900..1999.
    if (y < 1900) throw new RuleError('UNTIL', `must be ${INSTANT_RANGE_TEXT}`);
    const epochMs = Date.UTC(y, mo - 1, d, h, mi, s);
    const check = new Date(epochMs);
    if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
      throw new RuleError('UNTIL', `'${text}' is not a valid date-time`);
    }
    if (!isInstantInRange(epochMs)) throw new RuleError('UNTIL', `must be ${INSTANT_RANGE_TEXT}`);
    return { kind: 'instant', epochMs };
  }
  const date = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (date) {
    const [year, month, day] = date.slice(1).map(Number) as [number, number, number];
    if (year < 1900) throw new RuleError('UNTIL', `must be ${INSTANT_RANGE_TEXT}`);
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
      throw new RuleError('UNTIL', `'${text}' is not a valid date`);
    }
    return { kind: 'date', year, month, day };
  }
  throw new RuleError('UNTIL', `'${text}' must be YYYYMMDD or YYYYMMDDTHHMMSSZ (UTC)`);
}

function splitParts(input: string): Map<string, string> {
  const text = input.trim().replace(/^RRULE:/i, '');
  if (text === '') throw new RuleError('RRULE', 'is empty');
  const parts = new Map<string, string>();
  for (const piece of text.split(';')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    if (eq <= 0) throw new RuleError('RRULE', `'${piece}' is not NAME=VALUE`);
    const name = piece.slice(0, eq).toUpperCase();
    const value = piece.slice(eq + 1).toUpperCase();
    if (!SUPPORTED_PARTS.includes(name)) {
      throw new RuleError(name, `is not an RRULE part (known: ${SUPPORTED_PARTS.join(', ')})`);
    }
    if (parts.has(name)) throw new RuleError(name, 'appears more than once');
    if (value === '') throw new RuleError(name, 'has no value');
    parts.set(name, value);
  }
  return parts;
}

/**
 * Parses an RRULE value (an optional `RRULE:` prefix is accepted) into a Rule, rejecting what
 * RFC 5545 forbids with an error naming the part.
 */
export function parseRrule(input: string): Rule {
  const parts = splitParts(input);
  const freqText = parts.get('FREQ');
  if (!freqText) throw new RuleError('FREQ', `is required (${FREQUENCIES.join(', ')})`);
  const freq = enumValue<Frequency>('FREQ', freqText, FREQUENCIES);

  const rscale = parts.get('RSCALE');
  if (rscale !== undefined && rscale !== 'GREGORIAN') {
    throw new RuleError('RSCALE', `only GREGORIAN is supported, not '${rscale}'`);
  }
  const skipText = parts.get('SKIP');
  const skipGiven =
    skipText === undefined ? undefined : enumValue<Skip>('SKIP', skipText, SKIP_MODES);
  // Only monthly and yearly rules make month days, so only they can meet an invalid one: on other
  // frequencies SKIP is normalised away, and equal rules keep equal canonical strings. (RFC 7529
  // wants RSCALE beside SKIP; a SKIP written without it is accepted and the canonical form adds it.)
  const skip: Skip =
    freq === 'MONTHLY' || freq === 'YEARLY' ? (skipGiven ?? DEFAULT_SKIP) : DEFAULT_SKIP;

  if (parts.has('COUNT') && parts.has('UNTIL')) {
    throw new RuleError('COUNT', 'cannot be combined with UNTIL (RFC 5545)');
  }
  const bySecondText = parts.get('BYSECOND');
  if (bySecondText?.split(',').includes('60')) {
    throw new RuleError(
      'BYSECOND',
      '60 (a leap second) is not supported: clocks here never show it',
    );
  }

  const rule: Rule = {
    freq,
    interval: parts.has('INTERVAL')
      ? integer('INTERVAL', parts.get('INTERVAL')!, 1, MAX_INTERVAL)
      : 1,
    bySecond: integers('BYSECOND', bySecondText, 0, 59),
    byMinute: integers('BYMINUTE', parts.get('BYMINUTE'), 0, 59),
    byHour: integers('BYHOUR', parts.get('BYHOUR'), 0, 23),
    byDay: parseByDay(parts.get('BYDAY')),
    byMonthDay: integers('BYMONTHDAY', parts.get('BYMONTHDAY'), 1, 31, {
      signed: true,
      keepOrder: true,
    }),
    byYearDay: integers('BYYEARDAY', parts.get('BYYEARDAY'), 1, 366, { signed: true }),
    byWeekNo: integers('BYWEEKNO', parts.get('BYWEEKNO'), 1, 53, { signed: true }),
    byMonth: integers('BYMONTH', parts.get('BYMONTH'), 1, 12),
    bySetPos: integers('BYSETPOS', parts.get('BYSETPOS'), 1, 366, { signed: true }),
    wkst: parts.has('WKST') ? enumValue<Weekday>('WKST', parts.get('WKST')!, WEEKDAYS) : 'MO',
    skip,
  };
  if (parts.has('COUNT')) rule.count = integer('COUNT', parts.get('COUNT')!, 1, MAX_COUNT);
  if (parts.has('UNTIL')) rule.until = parseUntil(parts.get('UNTIL')!);
  assertRfcCombinations(rule);
  return rule;
}
