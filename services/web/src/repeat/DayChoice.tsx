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
      <Menu
        label={label}
        value={state.month}
        values={MONTHS}
        nameOf={(m) => MONTH_NAMES[m - 1]!}
        onPick={(m) => choose(pattern, { month: m })}
      />
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
          <Menu
            label="Day of the month"
            value={state.monthDay}
            values={MONTH_DAYS}
            nameOf={monthDayName}
            onPick={(monthDay) => choose('day', { monthDay })}
          />
        </>,
      )}
      {option(
        'weekday',
        'The',
        <>
          <Menu
            label="Which one"
            value={state.ordinal}
            values={ORDINALS}
            nameOf={(ordinal) => ORDINAL_NAMES[ordinal] ?? String(ordinal)}
            onPick={(ordinal) => choose('weekday', { ordinal })}
          />
          <Menu
            label="Weekday"
            value={state.weekday}
            values={WEEKDAYS}
            nameOf={(day) => WEEKDAY_NAMES[day]}
            onPick={(weekday) => choose('weekday', { weekday })}
          />
          {yearly ? <> of {month('weekday', 'Month of the weekday')}</> : ' of the month'}
        </>,
      )}
      {option(
        'setpos',
        'By position: the',
        <>
          <Menu
            label="Which one of them"
            value={state.ordinal}
            values={ORDINALS}
            nameOf={(ordinal) => ORDINAL_NAMES[ordinal] ?? String(ordinal)}
            onPick={(ordinal) => choose('setpos', { ordinal })}
          />
          <Menu
            label="Kind of day"
            value={state.setPosDays}
            values={Object.keys(SET_POS_DAYS) as SetPosDays[]}
            nameOf={(kind) => SET_POS_DAY_NAMES[kind]}
            onPick={(setPosDays) => choose('setpos', { setPosDays })}
          />
          {yearly ? <> of {month('setpos', 'Month of the day')}</> : ' of the month'}
        </>,
      )}
      {yearly &&
        option(
          'week-number',
          'In week',
          <>
            <Menu
              label="Week number"
              value={state.weekNo}
              values={WEEK_NUMBERS}
              nameOf={weekNumberName}
              onPick={(weekNo) => choose('week-number', { weekNo })}
            />
            {' on '}
            <Menu
              label="Weekday of the week"
              value={state.weekday}
              values={WEEKDAYS}
              nameOf={(day) => WEEKDAY_NAMES[day]}
              onPick={(weekday) => choose('week-number', { weekday })}
            />
          </>,
        )}
      {yearly &&
        option(
          'year-day',
          'Day of the year:',
          <Menu
            label="Day of the year"
            value={state.yearDay}
            values={YEAR_DAYS}
            nameOf={yearDayName}
            onPick={(yearDay) => choose('year-day', { yearDay })}
          />,
        )}
    </fieldset>
  );
}

const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);

/** A labelled menu of values, each shown by its name; picks the value itself, not its text. */
function Menu<T extends string | number>({
  label,
  value,
  values,
  nameOf,
  onPick,
}: {
  label: string;
  value: T;
  values: readonly T[];
  nameOf: (value: T) => string;
  onPick: (value: T) => void;
}) {
  return (
    <select
      aria-label={label}
      value={value}
      onChange={(e) => {
        const picked = values.find((one) => String(one) === e.target.value);
        if (picked !== undefined) onPick(picked);
      }}
    >
      {values.map((one) => (
        <option key={one} value={one}>
          {nameOf(one)}
        </option>
      ))}
    </select>
  );
}
