import { DateTime, IANAZone } from 'luxon';
import { MS_PER_DAY } from './civil-days.js';
import { INSTANT_RANGE_TEXT, isInstantInRange } from './instant-range.js';
import { canonicalInstantMs } from './iso-instant.js';
import { RuleError } from './rule-error.js';
import { zoneNamed } from './zone-offsets.js';

/**
 * Rule expansion works on "floating" wall-clock times: luxon DateTimes in UTC whose fields are
 * the local date and time in the series' zone. UTC has no DST, so calendar maths on them is exact;
 * `placeInZone` then turns each into a real instant once, with one documented policy.
 */
export type Floating = DateTime;

/**
 * Zones already accepted. Checking a zone builds an Intl.DateTimeFormat, the costly part of
 * validating an event (profiled in the engine under load). Bounded: the runtime accepts any letter
 * case (`eUrOpE/pArIs`), so the names it knows are not a small set; past the bound (about twice the
 * IANA database, names and links) zones are still checked, just not remembered.
 */
const knownTimeZones = new Set<string>();
const KNOWN_TIME_ZONES_MAX = 1200;

/** Whether the runtime knows `zone` as an IANA time zone name such as `Europe/Paris` (or `UTC`). */
export function isIanaTimeZone(zone: string): boolean {
  if (knownTimeZones.has(zone)) return true;
  if (!IANAZone.isValidZone(zone)) return false;
  if (knownTimeZones.size < KNOWN_TIME_ZONES_MAX) knownTimeZones.add(zone);
  return true;
}

export function assertTimeZone(zone: string): void {
  if (!isIanaTimeZone(zone)) {
    throw new RuleError('timezone', `'${zone}' is not an IANA time zone such as Europe/Paris`);
  }
}

export function toFloating(instant: DateTime): Floating {
  return DateTime.fromObject(
    {
      year: instant.year,
      month: instant.month,
      day: instant.day,
      hour: instant.hour,
      minute: instant.minute,
      second: instant.second,
      millisecond: instant.millisecond,
    },
    { zone: 'utc' },
  );
}

/**
 * The instant at which the zone's clocks show `local`.
 * - A time that does not exist (skipped by a DST change) moves forward by the length of the gap:
 *   02:30 on a spring-forward night becomes 03:30.
 * - A time that exists twice (repeated by a DST change) takes its first instance, the one before
 *   the clocks go back. (luxon alone picks the second.)
 * Works from the zone's offsets a day either side (no zone changes its offset twice within two
 * days): each offset lookup formats a date with Intl, the cost of placing an occurrence, so this
 * asks for as few as it can.
 */
export function placeInZone(local: Floating, zone: string): DateTime {
  const wallMs = local.toMillis();
  const iana = zoneNamed(zone);
  const before = iana.offset(wallMs - MS_PER_DAY);
  const after = iana.offset(wallMs + MS_PER_DAY);
  let instant: number | undefined;
  for (const offsetMinutes of before === after ? [before] : [before, after]) {
    const candidate = wallMs - offsetMinutes * 60_000;
    // Valid when the zone really has this offset at that instant; the earliest valid one wins.
    if (iana.offset(candidate) === offsetMinutes && (instant === undefined || candidate < instant))
      instant = candidate;
  }
  // No offset shows this wall-clock time: it is in a gap, and the offset before the change, read
  // forward, lands as far past the gap's start as the time was.
  return DateTime.fromMillis(instant ?? wallMs - before * 60_000, { zone: iana });
}

/** Parses an ISO 8601 instant (offset or Z required) into the given zone. */
export function parseInstant(iso: string, zone: string, part: string): DateTime {
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(iso))
    throw new RuleError(part, `'${iso}' needs a UTC offset or Z`);
  const canonical = canonicalInstantMs(iso);
  if (canonical !== undefined) {
    if (!isInstantInRange(canonical))
      throw new RuleError(part, `'${iso}' must be ${INSTANT_RANGE_TEXT}`);
    return DateTime.fromMillis(canonical, { zone: zoneNamed(zone) });
  }
  const parsed = DateTime.fromISO(iso, { setZone: true });
  if (!parsed.isValid) throw new RuleError(part, `'${iso}' is not an ISO 8601 date-time`);
  if (!isInstantInRange(parsed.toMillis()))
    throw new RuleError(part, `'${iso}' must be ${INSTANT_RANGE_TEXT}`);
  return parsed.setZone(zoneNamed(zone));
}

/**
 * ISO 8601 text for an instant, with the zone's offset where that text is exact. luxon writes
 * offsets in whole minutes, so a local-mean-time offset with seconds (Paris before 1911: +00:09:21;
 * Monrovia until 1972: -00:44:30) would print a different instant; and an instant late on
 * 9999-12-31 in UTC is year 10000 east of it, which ISO 8601 cannot write in four digits. Those are
 * written in UTC instead: the same instant, exactly.
 */
export function formatInstant(instant: DateTime): string {
  const exact = Number.isInteger(instant.offset) && instant.year >= 1 && instant.year <= 9999;
  return (exact ? instant : instant.toUTC()).toISO()!;
}
