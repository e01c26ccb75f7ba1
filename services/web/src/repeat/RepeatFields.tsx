import { useId, useState } from 'react';
import { describeError, fieldMessage, type ErrorView } from '../api/api-error';
import { formatFull } from '../time/zoned-time';
import { Field } from '../ui/Field';
import {
  defaultBuilderState,
  FREQUENCIES,
  readRule,
  ruleOf,
  type RuleBuilderState,
} from './rule-builder';
import { FREQUENCY_NAMES } from './rule-labels';
import { RuleBuilder } from './RuleBuilder';
import { useRulePreview } from './use-rule-preview';

export type Anchor = 'due' | 'completion';
export type OverduePolicy = 'skip' | 'strict';

/** What the repeat fields change in the form. `incomplete`: the builder's rule is not finished. */
export interface RepeatChange {
  rrule?: string;
  anchor?: Anchor;
  overdue?: OverduePolicy;
  incomplete?: string | undefined;
}

interface RepeatFieldsProps {
  rrule: string;
  anchor: Anchor;
  overdue: OverduePolicy;
  /** The series' first occurrence for the preview: the due date, or now. */
  start: string;
  /** The series' zone: the task's own for a saved series, else the profile's. */
  zone: string;
  /** The save's error, for the recurrence fields it names. */
  saveError: ErrorView | undefined;
  onChange: (change: RepeatChange) => void;
}

type Mode = 'none' | 'builder' | 'text';

/** How the fields open: the builder when it can show the rule, else the text with the reason. */
function initialEditor(rrule: string, start: string, zone: string) {
  const defaults = defaultBuilderState(start, zone);
  if (!rrule.trim()) return { mode: 'none' as Mode, builder: defaults, notice: undefined };
  const read = readRule(rrule, defaults, zone);
  return read.kind === 'builder'
    ? { mode: 'builder' as Mode, builder: read.state, notice: undefined }
    : { mode: 'text' as Mode, builder: defaults, notice: customNotice(read) };
}

const customNotice = (read: Exclude<ReturnType<typeof readRule>, { kind: 'builder' }>) =>
  read.kind === 'custom'
    ? `This is a custom rule the builder cannot show (${read.reason}); edit it as text.`
    : `The builder needs a valid rule first: ${read.message}.`;

/**
 * The Repeat fieldset: does the task repeat, the rule (builder or RRULE text), from the due date
 * or from completion, what a late completion does, and the API's own reading of the rule.
 */
export function RepeatFields(props: RepeatFieldsProps) {
  const { rrule, anchor, overdue, start, zone, saveError, onChange } = props;
  const [initial] = useState(() => initialEditor(rrule, start, zone));
  const [mode, setMode] = useState<Mode>(initial.mode);
  const [builder, setBuilder] = useState<RuleBuilderState>(initial.builder);
  const [notice, setNotice] = useState<string | undefined>(initial.notice);
  const anchorName = useId();
  const overdueName = useId();

  const built = ruleOf(builder, anchor);
  const problem = mode === 'builder' && 'field' in built ? built : undefined;

  /** The builder changed: its rule replaces the form's, once it is finished. */
  const build = (next: RuleBuilderState, nextAnchor: Anchor = anchor) => {
    setBuilder(next);
    const result = ruleOf(next, nextAnchor);
    onChange(
      'rrule' in result
        ? { rrule: result.rrule, incomplete: undefined }
        : { incomplete: result.message },
    );
  };

  const chooseKind = (value: string) => {
    setNotice(undefined);
    if (value === '') {
      setMode('none');
      onChange({ rrule: '', incomplete: undefined });
    } else if (value === 'TEXT') {
      setMode('text');
      onChange({ incomplete: undefined });
    } else {
      const freq = value as RuleBuilderState['freq'];
      // From "does not repeat", the days come from the due date as it is now.
      const base = mode === 'none' ? defaultBuilderState(start, zone) : builder;
      setMode('builder');
      build({ ...base, freq });
    }
  };

  const useBuilder = () => {
    const read = readRule(rrule, defaultBuilderState(start, zone), zone);
    if (read.kind === 'builder') {
      setNotice(undefined);
      setMode('builder');
      setBuilder(read.state);
    } else {
      setNotice(customNotice(read));
    }
  };

  const chooseAnchor = (next: Anchor) => {
    onChange({ anchor: next });
    if (mode === 'builder') build(builder, next);
  };

  const preview = useRulePreview(mode === 'none' || problem ? '' : rrule, start, zone);
  const previewError = preview.error ? describeError(preview.error) : undefined;
  const ruleError =
    fieldMessage(saveError, 'recurrence.rrule', 'rrule') ??
    fieldMessage(previewError, 'query.rrule');
  // What no input here shows: the zone, the policy, or the recurrence object as a whole.
  const otherError =
    fieldMessage(saveError, 'recurrence.timezone', 'recurrence.overdue') ??
    saveError?.fields['recurrence'];
  const startError = fieldMessage(previewError, 'query.start');

  return (
    <fieldset className="repeat">
      <legend>Repeat</legend>
      <Field label="Repeats">
        <select
          value={mode === 'none' ? '' : mode === 'text' ? 'TEXT' : builder.freq}
          onChange={(e) => chooseKind(e.target.value)}
        >
          <option value="">Does not repeat</option>
          {FREQUENCIES.map((freq) => (
            <option key={freq} value={freq}>
              {FREQUENCY_NAMES[freq]}
            </option>
          ))}
          <option value="TEXT">Custom rule (RRULE)</option>
        </select>
      </Field>

      {mode !== 'none' && (
        <>
          <fieldset className="choice">
            <legend>Next one counts from</legend>
            <div className="option">
              <label>
                <input
                  type="radio"
                  name={anchorName}
                  checked={anchor === 'due'}
                  onChange={() => chooseAnchor('due')}
                />
                The due date (keeps to the schedule)
              </label>
            </div>
            <div className="option">
              <label>
                <input
                  type="radio"
                  name={anchorName}
                  checked={anchor === 'completion'}
                  onChange={() => chooseAnchor('completion')}
                />
                When it is done (“every 2 weeks after I do it”)
              </label>
            </div>
            {fieldMessage(saveError, 'recurrence.anchor') && (
              <p className="field-error">{fieldMessage(saveError, 'recurrence.anchor')}</p>
            )}
          </fieldset>

          {mode === 'builder' && (
            <RuleBuilder state={builder} anchor={anchor} problem={problem} onChange={build} />
          )}

          {mode === 'text' && (
            <Field
              label="Rule (RRULE)"
              hint="For example FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE"
              error={ruleError}
            >
              <input
                value={rrule}
                spellCheck={false}
                autoCapitalize="characters"
                onChange={(e) => onChange({ rrule: e.target.value })}
              />
            </Field>
          )}
          <div className="rule-text">
            {mode === 'builder' && (
              <p className="hint">
                As RRULE: <code>{rrule || '…'}</code>
              </p>
            )}
            {mode === 'builder' ? (
              <button
                type="button"
                onClick={() => {
                  setMode('text');
                  onChange({ incomplete: undefined });
                }}
              >
                Edit as RRULE text
              </button>
            ) : (
              <button type="button" onClick={useBuilder}>
                Edit with the builder
              </button>
            )}
            {notice && (
              <p className="notice" role="status">
                {notice}
              </p>
            )}
          </div>
          {mode === 'builder' && ruleError && <p className="field-error">{ruleError}</p>}

          {anchor === 'due' && (
            <fieldset className="choice">
              <legend>When it is done late</legend>
              <div className="option">
                <label>
                  <input
                    type="radio"
                    name={overdueName}
                    checked={overdue === 'skip'}
                    onChange={() => onChange({ overdue: 'skip' })}
                  />
                  Skip the missed dates: the next one is the first still ahead
                </label>
              </div>
              <div className="option">
                <label>
                  <input
                    type="radio"
                    name={overdueName}
                    checked={overdue === 'strict'}
                    onChange={() => onChange({ overdue: 'strict' })}
                  />
                  Keep every date: the next one may already be due
                </label>
              </div>
            </fieldset>
          )}
          {otherError && <p className="field-error">{otherError}</p>}

          <div aria-live="polite" className="rule-preview">
            {preview.data && rrule.trim() && !problem && (
              <>
                <p>
                  Repeats <strong>{preview.data.description}</strong>
                  {anchor === 'completion' && ', counted from each completion'}
                </p>
                {anchor === 'due' && preview.data.occurrences.length > 0 && (
                  <>
                    <p id={`${anchorName}-next`}>Next dates ({zone}):</p>
                    <ol aria-labelledby={`${anchorName}-next`} className="occurrences">
                      {preview.data.occurrences.map((at) => (
                        <li key={at}>
                          <time dateTime={at}>
                            {formatFull(at, zone).replace(` (${zone})`, '')}
                          </time>
                        </li>
                      ))}
                    </ol>
                  </>
                )}
                {anchor === 'due' && preview.data.occurrences.length === 0 && (
                  <p>It has no dates from the due date on.</p>
                )}
              </>
            )}
            {startError && <p className="field-error">Due: {startError}</p>}
            {previewError && !ruleError && !startError && <p>{previewError.message}</p>}
          </div>
        </>
      )}
    </fieldset>
  );
}
