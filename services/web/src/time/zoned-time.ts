import { DateTime } from 'luxon';

/**
 * Dates as the user reads and writes them: in their profile's time zone, whatever zone the
 * browser is in. The API speaks ISO 8601 instants with offsets.
 */

/** The value of an `<input type="datetime-local">` (`2026-03-02T09:00`) for an instant. */
export function toLocalInput(iso: string | null, zone: string): string {
  if (!iso) return '';
  const time = DateTime.fromISO(iso, { zone });
  return time.isValid ? time.toFormat("yyyy-MM-dd'T'HH:mm") : '';
}

/**
 * The instant a `datetime-local` value names in `zone`, with that zone's offset; null for an
 * empty input, undefined for one that is not a date. A wall time skipped by a DST change moves
 * forward by the gap, as clocks do.
 */
export function fromLocalInput(value: string, zone: string): string | null | undefined {
  if (!value.trim()) return null;
  const time = DateTime.fromISO(value, { zone });
  return time.isValid ? (time.toISO({ suppressMilliseconds: true }) ?? undefined) : undefined;
}

/** A due date in a list: "Today 09:00", "Tomorrow 09:00", "Mon 2 Mar 09:00", with the year if not this one. */
export function formatDue(iso: string, zone: string, now: Date): string {
  const time = DateTime.fromISO(iso, { zone });
  if (!time.isValid) return iso;
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const days = Math.round(time.startOf('day').diff(today, 'days').days);
  const clock = time.toFormat('HH:mm');
  if (days === 0) return `Today ${clock}`;
  if (days === 1) return `Tomorrow ${clock}`;
  if (days === -1) return `Yesterday ${clock}`;
  return time.toFormat(time.year === today.year ? 'ccc d LLL HH:mm' : 'ccc d LLL yyyy HH:mm');
}

/** The full instant, for a tooltip or a screen reader: "Monday 2 March 2026, 09:00 (Europe/Paris)". */
export function formatFull(iso: string, zone: string): string {
  const time = DateTime.fromISO(iso, { zone });
  return time.isValid ? `${time.toFormat('cccc d LLLL yyyy, HH:mm')} (${zone})` : iso;
}

/** Start of the day `days` after today in `zone`, as an ISO instant with that zone's offset. */
export function startOfDay(zone: string, now: Date, days = 0): string {
  return DateTime.fromJSDate(now, { zone })
    .startOf('day')
    .plus({ days })
    .toISO({ suppressMilliseconds: true })!;
}

/** `now` to the minute, so a query keyed by "now" stays the same query for a minute. */
export function toMinute(zone: string, now: Date): string {
  return DateTime.fromJSDate(now, { zone })
    .startOf('minute')
    .toISO({ suppressMilliseconds: true })!;
}

/** The browser's zone: the default for a new account. */
export const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;
