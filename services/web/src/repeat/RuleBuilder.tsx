import { useId, type ReactNode } from 'react';
import { Field } from '../ui/Field';
import {
  MONTH_DAYS,
  ORDINALS,
  WEEKDAYS,
  type DayPattern,
  type RuleBuilderState,
} from './rule-builder';
import { MONTH_NAMES, monthDayName, ORDINAL_NAMES, unitOf, WEEKDAY_NAMES } from './rule-labels';

interface RuleBuilderProps {
  state: RuleBuilderState;
  /** From completion, a rule cannot pin days: only the interval and the end are asked. */
  anchor: 'due' | 'completion';
  /** The builder's own message for an unfinished input (`ruleOf`). */
  problem: { field: string; message: string } | undefined;
  onChange: (state: RuleBuilderState) => void;
}

/** The rule's inputs: every N units, on which days, until when. */
export function RuleBuilder({ state, anchor, problem, onChange }: RuleBuilderProps) {
  const set = <K extends keyof RuleBuilderState>(key: K, value: RuleBuilderState[K]) =>
    onChange({ ...state, [key]: value });
  const errorOf = (field: string) => (problem?.field === field ? problem.message : undefined);
  const pattern =
    state.freq === 'MONTHLY' ? 'monthly' : state.freq === 'YEARLY' ? 'yearly' : undefined;
  const usesDay = pattern !== undefined && state[pattern] !== 'weekday';

  return (
    <div className="rule-builder">
      <Field
        label="Every"
        hint={
          unitOf(state.freq, state.interval) +
          (anchor === 'completion' ? ' after each completion' : '')
        }
        error={errorOf('interval')}
      >
        <input
          className="interval"
          inputMode="numeric"
          value={state.interval}
          onChange={(e) => set('interval', e.target.value)}
        />
      </Field>

      {anchor === 'due' && state.freq === 'WEEKLY' && <WeekdayChoice state={state} set={set} />}
      {anchor === 'due' && pattern && (
        <DayChoice state={state} which={pattern} onChange={onChange} />
      )}
      {anchor === 'due' && usesDay && (
        <label className="check">
          <input
            type="checkbox"
            checked={state.keepMonthEnd}
            onChange={(e) => set('keepMonthEnd', e.target.checked)}
          />
          In a month without that day, use its last day (otherwise that month is skipped)
        </label>
      )}

      <EndChoice state={state} set={set} errorOf={errorOf} />
    </div>
  );
}

type Setter = <K extends keyof RuleBuilderState>(key: K, value: RuleBuilderState[K]) => void;

function WeekdayChoice({ state, set }: { state: RuleBuilderState; set: Setter }) {
  const hintId = useId();
  return (
    <fieldset className="choice weekdays" aria-describedby={hintId}>
      <legend>On</legend>
      <div className="chips">
        {WEEKDAYS.map((day) => (
          <label key={day} className="chip">
            <input
              type="checkbox"
              checked={state.weekdays.includes(day)}
              onChange={(e) =>
                set(
                  'weekdays',
                  e.target.checked
                    ? [...state.weekdays, day]
                    : state.weekdays.filter((d) => d !== day),
                )
              }
            />
            <span aria-hidden="true">{WEEKDAY_NAMES[day].slice(0, 3)}</span>
            <span className="visually-hidden">{WEEKDAY_NAMES[day]}</span>
          </label>
        ))}
      </div>
      <p id={hintId} className="hint">
        None chosen: the due date’s weekday.
      </p>
    </fieldset>
  );
}

/** Monthly or yearly: which day. Choosing in a pattern's menus also picks that pattern. */
function DayChoice({
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
    </fieldset>
  );
}

function EndChoice({
  state,
  set,
  errorOf,
}: {
  state: RuleBuilderState;
  set: Setter;
  errorOf: (field: string) => string | undefined;
}) {
  const name = useId();
  const radio = (value: RuleBuilderState['end'], label: string) => (
    <label>
      <input
        type="radio"
        name={name}
        checked={state.end === value}
        onChange={() => set('end', value)}
      />
      {label}
    </label>
  );
  return (
    <fieldset className="choice">
      <legend>Ends</legend>
      <div className="option">{radio('never', 'Never')}</div>
      <div className="option">
        {radio('until', 'On a day')}
        {state.end === 'until' && (
          <Field label="Last day" error={errorOf('until')}>
            <input type="date" value={state.until} onChange={(e) => set('until', e.target.value)} />
          </Field>
        )}
      </div>
      <div className="option">
        {radio('count', 'After a number of times')}
        {state.end === 'count' && (
          <Field label="Times, this one included" error={errorOf('count')}>
            <input
              inputMode="numeric"
              className="interval"
              value={state.count}
              onChange={(e) => set('count', e.target.value)}
            />
          </Field>
        )}
      </div>
    </fieldset>
  );
}
