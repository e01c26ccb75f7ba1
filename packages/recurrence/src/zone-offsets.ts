import { IANAZone, Info, type Zone } from 'luxon';

/**
 * luxon's IANA zone with a cheaper way to read the same offsets. luxon asks Intl for an instant's
 * wall-clock fields with `formatToParts`, the costliest step of placing an occurrence (profiled in
 * the engine: about half of a next occurrence's time); this reads the same fields, from the same
 * formatter options, out of `format`'s text, which is 2-3 times faster, and computes the offset
 * from them exactly as luxon does (its own fallback, `hackyOffset`, parses that text the same
 * way). A text it cannot parse falls back to luxon's own computation. It also remembers the last
 * instant asked, which placing an occurrence asks twice (checking an offset, then building the
 * DateTime).
 */
class FormattedOffsetZone extends IANAZone {
  private readonly format: Intl.DateTimeFormat | undefined;
  private lastTs = Number.NaN;
  private lastOffset = Number.NaN;

  constructor(name: string) {
    super(name);
    // luxon's options for the same purpose (makeDTF), so the fields are the same. An invalid
    // name (Intl would throw) keeps luxon's behaviour: an invalid zone.
    this.format = !this.isValid
      ? undefined
      : new Intl.DateTimeFormat('en-US', {
          hour12: false,
          timeZone: name,
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
          era: 'short',
        });
  }

  override offset(ts: number): number {
    if (ts === this.lastTs) return this.lastOffset;
    const offset = this.read(ts) ?? super.offset(ts);
    this.lastTs = ts;
    this.lastOffset = offset;
    return offset;
  }

  private read(ts: number): number | undefined {
    const date = new Date(ts);
    if (!this.format || Number.isNaN(date.getTime())) return undefined;
    const m = FORMATTED.exec(this.format.format(date).replace(/\u200E/g, ''));
    if (!m) return undefined;
    const [, month, day, yearText, era, hour, minute, second] = m;
    const year = era === 'BC' ? -Math.abs(Number(yearText)) + 1 : Number(yearText);
    // luxon's objToLocalTS: Date.UTC reads years 0-99 as 19xx, so those are set again.
    let asUTC = Date.UTC(
      year,
      Number(month) - 1,
      Number(day),
      Number(hour) === 24 ? 0 : Number(hour),
      Number(minute),
      Number(second),
      0,
    );
    if (year < 100 && year >= 0) {
      const d = new Date(asUTC);
      d.setUTCFullYear(year, Number(month) - 1, Number(day));
      asUTC = d.getTime();
    }
    const over = ts % 1000;
    const asTS = ts - (over >= 0 ? over : 1000 + over);
    return (asUTC - asTS) / 60_000;
  }
}

/** `format`'s text for en-US with an era, as luxon's `hackyOffset` reads it. */
const FORMATTED = /(\d+)\/(\d+)\/(\d+) (AD|BC),? (\d+):(\d+):(\d+)/;

const zones = new Map<string, Zone>();

/**
 * The zone to give luxon for `name`: luxon's own reading of the name (`UTC` is its fixed UTC zone,
 * written `Z`), with an IANA zone read as above. Remembered per name; bounded like the zones
 * isIanaTimeZone remembers (the runtime accepts any letter case).
 */
export function zoneNamed(name: string): Zone {
  let zone = zones.get(name);
  if (!zone) {
    const luxons = Info.normalizeZone(name);
    zone = luxons.type === 'iana' && luxons.isValid ? new FormattedOffsetZone(name) : luxons;
    if (zones.size < 1200) zones.set(name, zone);
  }
  return zone;
}
