import { useId, type ReactNode } from 'react';
import {
  MONTH_DAYS,
  ORDINALS,
  SET_POS_DAYS,
  WEEK_NUMBERS,
  WEEKDAYS,
  YEAR_DAYS,
  type DayPattern,
  type RuleBuilderState,
  type SetPosDays,
} from './rule-builder';
import {
  MONTH_NAMES,
  monthDayName,
  ORDINAL_NAMES,
  SET_POS_DAY_NAMES,
  WEEKDAY_NAMES,
  weekNumberName,
  yearDayName,
} from './rule-labels';

/** Monthly or yearly: which day. Choosing in a pattern's menus also picks that pattern. */
export function DayChoice({
  state,
  which,
  onChange,
}: {
  state: RuleBuilderState;
  which: 'monthly' | 'yearly';
  onChange: (state: RuleBuilderState) => void;
}) {
  const name = useId();
  const current = state[which];
  const yearly = which === 'yearly';
  const onPattern = (pattern: DayPattern) => onChange({ ...state, [which]: pattern });
  const choose = (pattern: DayPattern, change: Partial<RuleBuilderState>) =>
    onChange({ ...state, ...change, [which]: pattern });
  const month = (pattern: DayPattern, label: string) =>
    yearly && (
      <select
        aria-label={label}
        value={state.month}
        onChange={(e) => choose(pattern, { month: Number(e.target.value) })}
      >
        {MONTH_NAMES.map((label, i) => (
          <option key={label} value={i + 1}>
            {label}
          </option>
        ))}
      </select>
    );
  const option = (value: DayPattern, label: string, extra?: ReactNode) => (
    <div className="option">
      <label>
        <input
          type="radio"
          name={name}
          checked={current === value}
          onChange={() => onPattern(value)}
        />
        {label}
      </label>
      {extra && <span className="option-inputs">{extra}</span>}
    </div>
  );

  return (
    <fieldset className="choice">
      <legend>On</legend>
      {option(
        'same-day',
        yearly ? 'The due date’s day and month' : 'The due date’s day of the month',
      )}
      {option(
        'day',
        yearly ? 'A date:' : 'Day:',
        <>
          {month('day', 'Month of the date')}
          <select
            aria-label="Day of the month"
            value={state.monthDay}
            onChange={(e) => choose('day', { monthDay: Number(e.target.value) })}
          >
            {MONTH_DAYS.map((day) => (
              <option key={day} value={day}>
                {monthDayName(day)}
              </option>
            ))}
          </select>
        </>,
      )}
      {option(
        'weekday',
        'The',
        <>
          <select
            aria-label="Which one"
            value={state.ordinal}
            onChange={(e) => choose('weekday', { ordinal: Number(e.target.value) })}
          >
            {ORDINALS.map((ordinal) => (
              <option key={ordinal} value={ordinal}>
                {ORDINAL_NAMES[ordinal]}
              </option>
            ))}
          </select>
          <select
            aria-label="Weekday"
            value={state.weekday}
            onChange={(e) =>
              choose('weekday', { weekday: e.target.value as RuleBuilderState['weekday'] })
            }
          >
            {WEEKDAYS.map((day) => (
              <option key={day} value={day}>
                {WEEKDAY_NAMES[day]}
              </option>
            ))}
          </select>
          {yearly ? <> of {month('weekday', 'Month of the weekday')}</> : ' of the month'}
        </>,
      )}
      {option(
        'setpos',
        'By position: the',
        <>
          <select
            aria-label="Which one of them"
            value={state.ordinal}
            onChange={(e) => choose('setpos', { ordinal: Number(e.target.value) })}
          >
            {ORDINALS.map((ordinal) => (
              <option key={ordinal} value={ordinal}>
                {ORDINAL_NAMES[ordinal]}
              </option>
            ))}
          </select>
          <select
            aria-label="Kind of day"
            value={state.setPosDays}
            onChange={(e) => choose('setpos', { setPosDays: e.target.value as SetPosDays })}
          >
            {(Object.keys(SET_POS_DAYS) as SetPosDays[]).map((kind) => (
              <option key={kind} value={kind}>
                {SET_POS_DAY_NAMES[kind]}
              </option>
            ))}
          </select>
          {yearly ? <> of {month('setpos', 'Month of the day')}</> : ' of the month'}
        </>,
      )}
      {yearly &&
        option(
          'week-number',
          'In week',
          <>
            <select
              aria-label="Week number"
              value={state.weekNo}
              onChange={(e) => choose('week-number', { weekNo: Number(e.target.value) })}
            >
              {WEEK_NUMBERS.map((week) => (
                <option key={week} value={week}>
                  {weekNumberName(week)}
                </option>
              ))}
            </select>
            {' on '}
            <select
              aria-label="Weekday of the week"
              value={state.weekday}
              onChange={(e) =>
                choose('week-number', { weekday: e.target.value as RuleBuilderState['weekday'] })
              }
            >
              {WEEKDAYS.map((day) => (
                <option key={day} value={day}>
                  {WEEKDAY_NAMES[day]}
                </option>
              ))}
            </select>
          </>,
        )}
      {yearly &&
        option(
          'year-day',
          'Day of the year:',
          <select
            aria-label="Day of the year"
            value={state.yearDay}
            onChange={(e) => choose('year-day', { yearDay: Number(e.target.value) })}
          >
            {YEAR_DAYS.map((day) => (
              <option key={day} value={day}>
                {yearDayName(day)}
              </option>
            ))}
          </select>,
        )}
    </fieldset>
  );
}
