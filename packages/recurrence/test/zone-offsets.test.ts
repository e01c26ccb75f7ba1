import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { IANAZone } from 'luxon';
import { zoneNamed } from '../src/zone-offsets.js';

/** Every zone the runtime knows, and a few spellings luxon reads as something else. */
const ZONES = Intl.supportedValuesOf('timeZone');
const MIN_MS = Date.UTC(-1000, 0, 1);
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

describe('zone offsets read from formatted text', () => {
  it('equal luxon’s own for every zone, at instants from 1000 BC to 9999, DST changes and local mean time included', () => {
    const instants = [
      // Each zone's 2026 DST changes (if any) lie within these, minute by minute near 01:00-03:00.
      ...Array.from({ length: 366 }, (_, day) => Date.UTC(2026, 0, 1 + day, 1, 30)),
      ...Array.from({ length: 240 }, (_, minute) => Date.UTC(2026, 2, 29, 0, minute)),
      ...Array.from({ length: 240 }, (_, minute) => Date.UTC(2026, 9, 25, 0, minute)),
      Date.UTC(1850, 5, 1), // local mean time, offsets with seconds
      Date.UTC(1911, 2, 11, 0, 1), // Paris leaves local mean time
      Date.UTC(50, 0, 1), // years below 100
      Date.UTC(0, 0, 1) - 1, // 1 BC
      MIN_MS,
      MAX_MS,
      -1,
      1.5,
    ];
    for (const name of ZONES) {
      const ours = zoneNamed(name);
      const luxons = IANAZone.create(name);
      const differing = instants.filter((ts) => ours.offset(ts) !== luxons.offset(ts));
      expect({ name, differing }).toEqual({ name, differing: [] });
    }
  });

  it('equal luxon’s own at random instants, asked in any order (the last answer is remembered)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.array(fc.integer({ min: MIN_MS, max: MAX_MS }), { minLength: 1, maxLength: 8 }),
        (name, instants) => {
          const ours = zoneNamed(name);
          for (const ts of [...instants, ...instants.reverse()])
            expect(ours.offset(ts)).toBe(IANAZone.create(name).offset(ts));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('leaves to luxon the names it reads as fixed zones or refuses', () => {
    expect(zoneNamed('UTC').type).toBe('fixed');
    expect(zoneNamed('utc').isUniversal).toBe(true);
    expect(zoneNamed('Not/AZone').isValid).toBe(false);
    expect(zoneNamed('Europe/Paris').name).toBe('Europe/Paris');
  });
});
