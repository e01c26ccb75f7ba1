import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { canonicalInstantMs } from '../src/iso-instant.js';
import { EARLIEST_INSTANT_MS, LATEST_INSTANT_MS } from '../src/instant-range.js';

/** What parseInstant read before the fast path: luxon's instant, or undefined when it refuses. */
const luxonMs = (iso: string) => {
  const parsed = DateTime.fromISO(iso, { setZone: true });
  return parsed.isValid ? parsed.toMillis() : undefined;
};
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

describe('canonicalInstantMs', () => {
  it('gives luxon’s instant for every string it reads, fields out of range and odd forms included', () => {
    const field = (max: number) => fc.integer({ min: 0, max });
    fc.assert(
      fc.property(
        fc.record({
          year: field(9999),
          month: field(13),
          day: field(32),
          hour: field(25),
          minute: field(61),
          second: field(61),
          fraction: fc.constantFrom('', '.5', '.123', '.999', '.1234', ',123'),
          offset: fc.oneof(
            fc.constantFrom('Z', 'z', '+00:00', '-00:00', '+0530', ''),
            fc
              .tuple(fc.constantFrom('+', '-'), field(25), field(61))
              .map(([sign, h, m]) => `${sign}${pad(h)}:${pad(m)}`),
          ),
          separator: fc.constantFrom('T', 'T', 'T', ' ', 't'),
        }),
        (f) => {
          const iso = `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}${f.separator}${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}${f.fraction}${f.offset}`;
          const ours = canonicalInstantMs(iso);
          if (ours !== undefined) expect({ iso, ms: ours }).toEqual({ iso, ms: luxonMs(iso) });
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('reads what the system writes: toISOString, and luxon’s toISO in any zone', () => {
    const zones = Intl.supportedValuesOf('timeZone');
    fc.assert(
      fc.property(
        fc.integer({ min: EARLIEST_INSTANT_MS, max: LATEST_INSTANT_MS }),
        fc.constantFrom(...zones),
        (ms, zone) => {
          expect(canonicalInstantMs(new Date(ms).toISOString())).toBe(ms);
          const written = DateTime.fromMillis(ms, { zone }).toISO()!;
          // Offsets with seconds (local mean time) and years past 9999 are not this form.
          if (
            /^\d{4}-.*[+-]\d{2}:\d{2}$/.test(written) &&
            Number.isInteger(DateTime.fromMillis(ms, { zone }).offset)
          )
            expect(canonicalInstantMs(written)).toBe(ms);
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('leaves to luxon what it does not read: other forms and impossible dates', () => {
    for (const iso of [
      '2026-02-29T09:00:00Z',
      '2026-04-31T09:00:00Z',
      '2026-03-02T24:00:00Z',
      '2026-03-02T09:00:60Z',
      '2026-03-02T09:00:00.1234Z',
      '2026-03-02T09:00:00+0100',
      '2026-W10-1T09:00:00Z',
      '0099-03-02T09:00:00Z',
    ])
      expect({ iso, ms: canonicalInstantMs(iso) }).toEqual({ iso, ms: undefined });
    expect(canonicalInstantMs('2024-02-29T09:00:00.250-03:30')).toBe(
      Date.UTC(2024, 1, 29, 12, 30, 0, 250),
    );
  });
});
