const DAY_MS = 86_400_000;
/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the years toISOString writes in four digits. */
const FIRST_MS = -62_167_219_200_000;
const LAST_MS = 253_402_300_799_999;
const ZERO = 48;

/**
 * `date.toISOString()`, the same text, several times faster: every instant of a task response,
 * change-log snapshot and write parameter goes through it. V8's builtin took about 450 ns a call
 * on this machine, about 0.1 ms of task-api's 1.1 ms of CPU for a page of 50 tasks; this takes
 * about 90 ns and returns a flat string, which JSON.stringify copies without flattening a rope
 * (packages/bench README, "What the peaks are made of", and its levers table).
 *
 * Years 0-9999 are formatted here (days to a civil date by Howard Hinnant's algorithm); the
 * expanded years outside them (`+010000-…`, `-000001-…`) and an invalid Date (RangeError) are left
 * to the builtin.
 */
export function isoString(date: Date): string {
  const ms = date.getTime();
  if (!(ms >= FIRST_MS && ms <= LAST_MS)) return date.toISOString();
  const days = Math.floor(ms / DAY_MS);
  const time = ms - days * DAY_MS;
  // Days since 0000-03-01, in 400-year eras that start in March so leap days fall at the end.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.trunc(
    (dayOfEra -
      Math.trunc(dayOfEra / 1460) +
      Math.trunc(dayOfEra / 36_524) -
      Math.trunc(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.trunc(yearOfEra / 4) - Math.trunc(yearOfEra / 100));
  const monthFromMarch = Math.trunc((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.trunc((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.trunc(time / 3_600_000);
  const minutes = Math.trunc(time / 60_000) % 60;
  const seconds = Math.trunc(time / 1000) % 60;
  const millis = time % 1000;
  // One flat string from its character codes: concatenating the parts would build a rope.
  return String.fromCharCode(
    ZERO + Math.trunc(year / 1000),
    ZERO + (Math.trunc(year / 100) % 10),
    ZERO + (Math.trunc(year / 10) % 10),
    ZERO + (year % 10),
    45, // -
    ZERO + Math.trunc(month / 10),
    ZERO + (month % 10),
    45, // -
    ZERO + Math.trunc(day / 10),
    ZERO + (day % 10),
    84, // T
    ZERO + Math.trunc(hours / 10),
    ZERO + (hours % 10),
    58, // :
    ZERO + Math.trunc(minutes / 10),
    ZERO + (minutes % 10),
    58, // :
    ZERO + Math.trunc(seconds / 10),
    ZERO + (seconds % 10),
    46, // .
    ZERO + Math.trunc(millis / 100),
    ZERO + (Math.trunc(millis / 10) % 10),
    ZERO + (millis % 10),
    90, // Z
  );
}
