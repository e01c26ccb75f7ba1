/**
 * Which entries of a Dapr bulk publish failed, read from the error the SDK's HTTP client throws
 * for a non-2xx answer: `{"error": ..., "error_msg": "{\"failedEntries\":[{\"entryId\":...}]}"}`.
 *
 * Why not `DaprClient.pubsub.publishBulk`'s own `failedMessages`: the SDK (3.x) looks entries up by
 * `entryID` while daprd answers `entryId`, so every failed entry is silently dropped from the
 * result and a broker outage looks like success (dapr/js-sdk#703). Returns undefined when the
 * error does not list entries, meaning the whole request failed.
 */
export function failedBulkEntries(error: unknown): Map<string, string> | undefined {
  if (!(error instanceof Error)) return undefined;
  try {
    const outer = JSON.parse(error.message) as { error_msg?: unknown };
    const inner = (
      typeof outer.error_msg === 'string' ? JSON.parse(outer.error_msg) : outer.error_msg
    ) as {
      failedEntries?: Array<{ entryId?: string; entryID?: string; error?: string }>;
    };
    if (!inner || !Array.isArray(inner.failedEntries)) return undefined;
    const failed = new Map<string, string>();
    for (const entry of inner.failedEntries) {
      const id = entry.entryId ?? entry.entryID;
      if (id) failed.set(id, entry.error ?? 'publish failed');
    }
    return failed.size > 0 ? failed : undefined;
  } catch {
    return undefined;
  }
}
