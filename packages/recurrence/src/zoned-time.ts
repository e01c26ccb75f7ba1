import { DateTime, IANAZone } from 'luxon';
import { RuleError } from './rule-error.js';

/**
 * Rule expansion works on "floating" wall-clock times: luxon DateTimes in UTC whose fields are
 * the local date and time in the series' zone. UTC has no DST, so calendar maths on them is exact;
 * `placeInZone` then turns each into a real instant once, with one documented policy.
 */
export type Floating = DateTime;

export function assertTimeZone(zone: string): void {
  if (!IANAZone.isValidZone(zone)) {
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

const sameWallClock = (a: DateTime, b: Floating) =>
  a.year === b.year &&
  a.month === b.month &&
  a.day === b.day &&
  a.hour === b.hour &&
  a.minute === b.minute &&
  a.second === b.second;

/**
 * The instant at which the zone's clocks show `local`.
 * - A time that does not exist (skipped by a DST change) moves forward by the length of the gap:
 *   02:30 on a spring-forward night becomes 03:30.
 * - A time that exists twice (repeated by a DST change) takes its first instance, the one before
 *   the clocks go back. luxon alone picks the second, hence this function.
 */
export function placeInZone(local: Floating, zone: string): DateTime {
  const wallAsUtcMs = local.toMillis();
  const naive = DateTime.fromObject(local.toObject(), { zone });
  const offsets = new Set([
    naive.offset,
    naive.minus({ days: 1 }).offset,
    naive.plus({ days: 1 }).offset,
  ]);
  let earliest: DateTime | undefined;
  for (const offsetMinutes of offsets) {
    const candidate = DateTime.fromMillis(wallAsUtcMs - offsetMinutes * 60_000, { zone });
    if (sameWallClock(candidate, local) && (!earliest || candidate < earliest))
      earliest = candidate;
  }
  // No offset shows this wall-clock time: it is in a gap, and luxon has already moved it forward.
  return earliest ?? naive;
}

/** Parses an ISO 8601 instant (offset or Z required) into the given zone. */
export function parseInstant(iso: string, zone: string, part: string): DateTime {
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(iso))
    throw new RuleError(part, `'${iso}' needs a UTC offset or Z`);
  const parsed = DateTime.fromISO(iso, { setZone: true });
  if (!parsed.isValid) throw new RuleError(part, `'${iso}' is not an ISO 8601 date-time`);
  return parsed.setZone(zone);
}
