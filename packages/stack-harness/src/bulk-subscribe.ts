import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface BulkSubscribeSettings {
  /** false: daprd delivers one event per request (per partition), as without bulkSubscribe. */
  enabled?: boolean;
  maxMessagesCount?: number;
  maxAwaitDurationMs?: number;
}

/**
 * Overrides the bulk settings of the rendered `subscription.yaml` (the engine's declarative
 * Subscription), for a benchmark that tunes them. The file must already declare a
 * `bulkSubscribe` block: this changes its settings (it can turn bulk delivery off), it does not
 * add one.
 */
export async function overrideBulkSubscribe(
  resourcesDir: string,
  settings: BulkSubscribeSettings,
): Promise<void> {
  const file = join(resourcesDir, 'subscription.yaml');
  let text = await readFile(file, 'utf8');
  const block = /^( *)bulkSubscribe:\n/m.exec(text);
  if (!block) throw new Error(`${file} declares no bulkSubscribe block to tune`);
  const indent = `${block[1]}  `;
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined) continue;
    const line = new RegExp(`^ *${key}: .*$`, 'm');
    text = line.test(text)
      ? text.replace(line, `${indent}${key}: ${value}`)
      : text.replace(block[0], `${block[0]}${indent}${key}: ${value}\n`);
  }
  await writeFile(file, text);
}
