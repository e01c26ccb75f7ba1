import { customType } from 'drizzle-orm/pg-core';
import { isoString } from './iso-string.js';

/**
 * PostgreSQL's text form of a timestamptz under DateStyle ISO (`0001-01-01 00:00:00+00`,
 * `1900-01-01 00:09:21+00:09:21`, `2026-03-02 10:00:00.123456+01`, `0001-12-31 00:00:00+00 BC`),
 * or as `to_json` writes it (`0001-01-01T00:00:00+00:00`), which relational queries return.
 */
const TIMESTAMPTZ_TEXT =
  /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?|Z)( BC)?$/;

/**
 * Parses a timestamptz exactly, whatever its year and the session's time zone.
 *
 * Why not `new Date(text)`, as drizzle does: the text is not ISO 8601, so V8 falls back to its
 * legacy parser, which reads years below 100 as 19xx/20xx (`0001-01-01 00:00:00+00` became 2001)
 * and rejects offsets with seconds (PostgreSQL prints local mean time offsets such as `+00:09:21`
 * for old dates in a session zone like Europe/Paris). The fields are read here and the instant is
 * built with `setUTCFullYear`, which takes years as given.
 *
 * `infinity`, `-infinity` and instants outside JavaScript's range (PostgreSQL goes to 294276 AD)
 * have no Date: they read as an invalid Date, as `new Date` would give. Fractions beyond
 * milliseconds are truncated, as Date keeps milliseconds.
 */
export function parseTimestamptz(text: string): Date {
  const utc = readUtcText(text);
  if (utc !== undefined) return utc;
  if (text === 'infinity' || text === '-infinity') return new Date(Number.NaN);
  const m = TIMESTAMPTZ_TEXT.exec(text);
  if (!m) {
    // Another DateStyle (createDatabase pins ISO) or a value that is not a timestamptz: failing
    // loudly beats reading a wrong date.
    throw new Error(`not a PostgreSQL ISO timestamptz: ${JSON.stringify(text.slice(0, 64))}`);
  }
  const [, y, mo, d, h, mi, s, fraction, sign, oh, om, os, bc] = m;
  const year = bc ? 1 - Number(y) : Number(y);
  const date = new Date(0);
  date.setUTCFullYear(year, Number(mo) - 1, Number(d));
  date.setUTCHours(
    Number(h),
    Number(mi),
    Number(s),
    fraction ? Number(fraction.padEnd(3, '0').slice(0, 3)) : 0,
  );
  const offsetSeconds = sign
    ? (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om ?? 0) * 60 + Number(os ?? 0))
    : 0;
  return new Date(date.getTime() - offsetSeconds * 1000);
}

const ZERO = 48;
const NOT_A_DIGIT = -1;

/** The number written by text[start, end) in decimal digits, or NOT_A_DIGIT. */
function digits(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i += 1) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return NOT_A_DIGIT;
    n = n * 10 + d;
  }
  return n;
}

/**
 * The form nearly every value takes in a session whose time zone is UTC, read by position:
 * `yyyy-mm-dd hh:mi:ss[.f…]+00` with a year from 1000 (`Date.UTC` reads 0-99 as 19xx; earlier
 * and BC years, other offsets and any other shape go to the general reader). A task list reads
 * five per row, and this is several times cheaper than the regular expression.
 */
function readUtcText(text: string): Date | undefined {
  const n = text.length;
  if (n < 22 || n > 29 || text.charCodeAt(n - 3) !== 43 /* + */) return undefined;
  if (text.charCodeAt(n - 2) !== ZERO || text.charCodeAt(n - 1) !== ZERO) return undefined;
  if (text.charCodeAt(4) !== 45 /* - */ || text.charCodeAt(7) !== 45) return undefined;
  if (text.charCodeAt(10) !== 32 /* space */) return undefined;
  if (text.charCodeAt(13) !== 58 /* : */ || text.charCodeAt(16) !== 58) return undefined;
  let ms = 0;
  if (n > 22) {
    // `.` then 1-6 digits; milliseconds are the first three, padded, as the general reader's.
    const places = n - 23;
    if (places === 0 || text.charCodeAt(19) !== 46 /* . */) return undefined;
    if (digits(text, 20, n - 3) === NOT_A_DIGIT) return undefined;
    ms = places >= 3 ? digits(text, 20, 23) : digits(text, 20, 20 + places) * 10 ** (3 - places);
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  const hours = digits(text, 11, 13);
  const minutes = digits(text, 14, 16);
  const seconds = digits(text, 17, 19);
  if (year < 1000 || Math.min(month, day, hours, minutes, seconds) === NOT_A_DIGIT)
    return undefined;
  return new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds, ms));
}

/**
 * A `timestamp with time zone` column read with {@link parseTimestamptz}. Every timestamptz
 * column of the schema uses it (test/timestamptz.test.ts checks that none is left on drizzle's
 * own `timestamp`, whose `new Date(text)` misreads early years). Writes are ISO 8601, which
 * PostgreSQL reads exactly.
 */
export const timestamptz = customType<{ data: Date; driverData: string }>({
  dataType: () => 'timestamp with time zone',
  toDriver: (value) => isoString(value),
  fromDriver: (value) => (typeof value === 'string' ? parseTimestamptz(value) : value),
});
