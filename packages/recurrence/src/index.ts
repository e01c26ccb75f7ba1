export * from './rule.js';
export { RuleError } from './rule-error.js';
export { parseRrule, MAX_COUNT, MAX_INTERVAL } from './parse-rrule.js';
export { formatRrule } from './format-rrule.js';
export { describeRule } from './describe-rule.js';
export {
  occurrences,
  secondOccurrence,
  untilInstant,
  withInstantUntil,
  type ExpandOptions,
} from './expand.js';
export { placeInZone, isIanaTimeZone, assertTimeZone, formatInstant } from './zoned-time.js';
export {
  assertRuleCanRecur,
  parseSeriesRule,
  RECURRENCE_ANCHORS,
  OVERDUE_POLICIES,
  type RecurrenceAnchor,
  type OverduePolicy,
  type SeriesRule,
} from './series.js';
export {
  nextOccurrence,
  type CompletedOccurrence,
  type NextOccurrence,
} from './next-occurrence.js';
export {
  ruleFromShorthand,
  shorthandOf,
  RECURRING_TYPES,
  type RecurringType,
} from './shorthand.js';
export { previewRule, MAX_PREVIEW, type Preview } from './preview.js';
export {
  EARLIEST_INSTANT_MS,
  LATEST_INSTANT_MS,
  INSTANT_RANGE_TEXT,
  isInstantInRange,
} from './instant-range.js';
