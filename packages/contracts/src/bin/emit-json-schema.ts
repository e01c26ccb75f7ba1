/**
 * Writes one JSON Schema (draft 2020-12) per task event, plus the union, into dist/json-schema/
 * so consumers that are not TypeScript validate against the same definition.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  taskCompletedEventSchema,
  taskCreatedEventSchema,
  taskDeletedEventSchema,
  taskEventSchema,
  taskReopenedEventSchema,
  taskSeriesEndedEventSchema,
  taskUpdatedEventSchema,
  TASK_EVENT_TYPES,
} from '../task-events.js';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'json-schema');
mkdirSync(outDir, { recursive: true });

const schemas: Record<string, z.ZodType> = {
  [TASK_EVENT_TYPES.created]: taskCreatedEventSchema,
  [TASK_EVENT_TYPES.updated]: taskUpdatedEventSchema,
  [TASK_EVENT_TYPES.completed]: taskCompletedEventSchema,
  [TASK_EVENT_TYPES.reopened]: taskReopenedEventSchema,
  [TASK_EVENT_TYPES.deleted]: taskDeletedEventSchema,
  [TASK_EVENT_TYPES.seriesEnded]: taskSeriesEndedEventSchema,
  'task-event': taskEventSchema,
};

for (const [name, schema] of Object.entries(schemas)) {
  const jsonSchema = { $id: `urn:todo:schema:${name}`, ...z.toJSONSchema(schema) };
  writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(jsonSchema, null, 2)}\n`);
}
console.log(`wrote ${Object.keys(schemas).length} JSON Schemas to ${outDir}`);
