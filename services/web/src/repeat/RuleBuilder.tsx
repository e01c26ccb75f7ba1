import { useId } from 'react';
import { Field } from '../ui/Field';
import { DayChoice } from './DayChoice';
import { usesMonthDay } from './day-patterns';
import { DAY_FREQUENCIES, WEEKDAYS, type RuleBuilderState } from './rule-builder';
import { unitOf, WEEKDAY_NAMES } from './rule-labels';

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
  const usesDay = pattern !== undefined && usesMonthDay(state[pattern]);
  const takesTimes = anchor === 'due' && DAY_FREQUENCIES.includes(state.freq);

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

      {takesTimes && (
        <Field
          label="At"
          hint="Times of day, such as 8:00, 20:00 (empty: the due date’s time)"
          error={errorOf('times')}
        >
          <input
            className="times"
            value={state.times}
            placeholder="8:00, 20:00"
            onChange={(e) => set('times', e.target.value)}
          />
        </Field>
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
