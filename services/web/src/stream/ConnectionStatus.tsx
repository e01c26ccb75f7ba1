import type { StreamStatus } from './use-task-stream';

/** Whether changes arrive live, announced politely when that changes. */
export function ConnectionStatus({ status, online }: { status: StreamStatus; online: boolean }) {
  const [kind, text] = !online
    ? ['offline', 'Offline: changes will appear when the connection is back.']
    : status.state === 'live'
      ? ['live', 'Live']
      : status.state === 'connecting'
        ? ['pending', 'Connecting…']
        : status.state === 'reconnecting'
          ? ['offline', 'Connection lost: reconnecting…']
          : ['offline', `Live updates stopped: ${status.message}`];
  return (
    <p role="status" className={`connection connection-${kind}`}>
      <span className="dot" aria-hidden="true" />
      {text}
    </p>
  );
}
