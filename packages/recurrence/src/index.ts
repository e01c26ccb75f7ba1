export {
  WEEKDAYS,
  FREQUENCIES,
  emptyByParts,
  isSubDaily,
  type Rule,
  type ByDay,
  type Frequency,
  type Skip,
  type Until,
  type Weekday,
} from './rule.js';
export { RuleError } from './rule-error.js';
export { parseRrule } from './parse-rrule.js';
export { formatRrule } from './format-rrule.js';
export { describeRule } from './describe-rule.js';
// The words descriptions are built from, for a client that names a rule's parts the same way.
export { MONTH_NAMES, ordinalSuffix } from './describe-parts.js';
export { occurrences, type ExpandOptions } from './expand.js';
export { placeInZone, isIanaTimeZone, assertTimeZone } from './zoned-time.js';
export {
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
export { shortestGapSeconds } from './shortest-gap.js';
export { previewRule, MAX_PREVIEW, type Preview } from './preview.js';
export { INSTANT_RANGE_TEXT, isInstantInRange } from './instant-range.js';
