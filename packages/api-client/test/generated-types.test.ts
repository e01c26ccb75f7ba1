import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import type { PathItemObject } from 'openapi-typescript';
import {
  GENERATED_TYPES_FILE,
  REGENERATE_COMMAND,
  readTaskApiDocument,
  renderTaskApiTypes,
} from '../scripts/task-api-types.js';

describe('the committed task-api types', () => {
  it('match what the current OpenAPI document generates', async () => {
    const committed = await readFile(GENERATED_TYPES_FILE, 'utf8');
    const current = await renderTaskApiTypes(await readTaskApiDocument());
    if (committed !== current) {
      throw new Error(
        `src/generated/task-api.ts is stale against task-api's OpenAPI document: run \`${REGENERATE_COMMAND}\` and commit the result`,
      );
    }
    expect(current).toContain('createTask: {');
  }, 60_000);

  it('change with the document, so a stale file cannot compare equal', async () => {
    const document = await readTaskApiDocument();
    const before = await renderTaskApiTypes(document);
    (document.paths!['/api/tasks'] as PathItemObject).post!.summary = 'A summary no route has';
    expect(await renderTaskApiTypes(document)).not.toBe(before);
  }, 60_000);
});
