/**
 * A REST task answer as the live stream shows it: the stream rebuilds tasks from event snapshots,
 * which carry no `version` (the change log has it beside the snapshot; src/stream does not read it
 * yet), so the stream's task is the REST one without `version`.
 */
export function asStreamed(task: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...task };
  delete copy.version;
  return copy;
}
