import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isoString } from '../src/iso-string.js';

const DAY_MS = 86_400_000;
const FIRST_MS = Date.parse('0000-01-01T00:00:00.000Z');
const LAST_MS = Date.parse('9999-12-31T23:59:59.999Z');

describe('isoString', () => {
  it('writes what toISOString writes at the edges of the calendar', () => {
    const edges = [
      '0000-01-01T00:00:00.000Z',
      '0000-02-29T23:59:59.999Z',
      '0000-03-01T00:00:00.000Z',
      '0001-01-01T00:00:00.000Z',
      '0099-12-31T23:59:59.999Z',
      '1600-02-29T12:00:00.000Z',
      '1700-02-28T23:59:59.999Z',
      '1700-03-01T00:00:00.000Z',
      '1900-02-28T00:00:00.001Z',
      '1900-03-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '1970-01-01T00:00:00.000Z',
      '2000-02-29T00:00:00.000Z',
      '2026-03-29T01:30:00.010Z',
      '2100-02-28T23:59:59.999Z',
      '2100-03-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
    ];
    for (const text of edges) expect(isoString(new Date(text))).toBe(text);
  });

  it('writes every day of a 400-year cycle, and the first and last days of the range, as toISOString does', () => {
    const ranges: Array<[number, number]> = [
      [Date.parse('1600-01-01T00:00:00Z'), Date.parse('2000-01-01T00:00:00Z')],
      [FIRST_MS, FIRST_MS + 800 * DAY_MS],
      [LAST_MS - 800 * DAY_MS, LAST_MS],
    ];
    let checked = 0;
    for (const [from, to] of ranges) {
      // A different time of day for each day, so every field moves.
      for (let ms = from, i = 0; ms <= to; ms += DAY_MS, i += 1) {
        const date = new Date(ms + ((i * 7_919_993) % DAY_MS));
        if (date.getTime() > LAST_MS) break;
        const expected = date.toISOString();
        if (isoString(date) !== expected) expect(isoString(date)).toBe(expected);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(146_000);
  });

  it('agrees with toISOString on any instant, inside the four-digit years or beyond them', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: FIRST_MS - 400 * DAY_MS, max: LAST_MS + 400 * DAY_MS }),
        (ms) => {
          const date = new Date(ms);
          expect(isoString(date)).toBe(date.toISOString());
        },
      ),
      { numRuns: 20_000, seed: 20261130 },
    );
    expect(isoString(new Date(LAST_MS + 1))).toBe('+010000-01-01T00:00:00.000Z');
    expect(isoString(new Date(FIRST_MS - 1))).toBe('-000001-12-31T23:59:59.999Z');
  });

  it('writes 24 characters, and throws for an invalid Date as toISOString does', () => {
    expect(isoString(new Date(Date.UTC(2026, 10, 30, 14, 5, 6, 7)))).toHaveLength(24);
    expect(() => isoString(new Date(Number.NaN))).toThrow(RangeError);
  });
});
