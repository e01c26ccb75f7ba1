import { useId } from 'react';
import type { ConflictRow } from './task-conflict';

interface ConflictPanelProps {
  rows: ConflictRow[];
  busy: boolean;
  /** Save this person's change over the task as it is now. */
  onKeepMine: () => void;
  /** Drop this person's change and show the task as it is now. */
  onTakeTheirs: () => void;
}

/** A change refused because the task changed elsewhere: what differs, and the two ways out. */
export function ConflictPanel({ rows, busy, onKeepMine, onTakeTheirs }: ConflictPanelProps) {
  const heading = useId();
  return (
    <section role="alert" aria-labelledby={heading} className="alert conflict">
      <h2 id={heading}>This task was changed elsewhere</h2>
      <p>
        Someone (another tab, another device, or the app itself) saved a change after you opened it.
        Nothing of yours is saved yet.
      </p>
      {rows.length > 0 && (
        <table>
          <caption className="visually-hidden">Theirs and yours, field by field</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Theirs (saved now)</th>
              <th scope="col">Yours</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.field}>
                <th scope="row">{row.label}</th>
                <td>{row.theirs}</td>
                <td>
                  {row.yours}
                  {!row.changedByYou && <span className="hint"> (you did not change it)</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="actions">
        <button type="button" className="primary" disabled={busy} onClick={onKeepMine}>
          Keep mine
        </button>
        <button type="button" disabled={busy} onClick={onTakeTheirs}>
          Take theirs
        </button>
      </div>
    </section>
  );
}
