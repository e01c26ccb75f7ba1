/**
 * The instant of an ISO 8601 date-time in the one form the system writes (`toISOString`, and
 * luxon's `toISO` with an offset): `YYYY-MM-DDTHH:MM:SS[.mmm](Z|±HH:MM)`, every field in its
 * range, a year from 1000. Anything else is `undefined`, left to luxon's `fromISO` (which reads
 * far more forms, each through a chain of regular expressions and a DateTime built in a fixed
 * zone: the costliest part of reading a completion's three instants). For the strings it accepts
 * it gives what `fromISO` gives: the wall-clock fields less the offset.
 */
export function canonicalInstantMs(iso: string): number | undefined {
  const m = CANONICAL.exec(iso);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms, zulu, sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1000 || month < 1 || month > 12 || day < 1) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  if (!zulu && (Number(oh) > 23 || Number(om) > 59)) return undefined;
  const wall = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(s), Number(ms ?? 0));
  // Date.UTC rolls 31 April over to 1 May; fromISO refuses it.
  if (new Date(wall).getUTCDate() !== day) return undefined;
  const offsetMinutes = zulu ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  return wall - offsetMinutes * 60_000;
}

const CANONICAL =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;
