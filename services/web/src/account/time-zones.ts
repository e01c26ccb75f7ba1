/**
 * The zones the profile offers: the browser's IANA list, with the profile's current zone and UTC
 * added when the browser leaves them out (some list only canonical names, some omit UTC).
 */
export function timeZoneChoices(current: string, supported: readonly string[]): string[] {
  return [...new Set([...supported, current, 'UTC'])].sort((a, b) => a.localeCompare(b));
}

/** The browser's own list; empty where `Intl.supportedValuesOf` is missing. */
export const browserTimeZones = (): readonly string[] =>
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
