import type { ErrorView } from '../api/api-error';

/** The form's or page's error, announced as it appears. */
export function ErrorMessage({
  view,
  extra = [],
}: {
  view: ErrorView | undefined;
  extra?: string[];
}) {
  if (!view) return null;
  return (
    <div role="alert" className={`alert alert-${view.kind}`}>
      <p>{view.message}</p>
      {extra.length > 0 && (
        <ul>
          {extra.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
