/** Writes src/generated/task-api.ts from task-api's current OpenAPI document. */
import { writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { GENERATED_TYPES_FILE, readTaskApiDocument, renderTaskApiTypes } from './task-api-types.js';

await writeFile(GENERATED_TYPES_FILE, await renderTaskApiTypes(await readTaskApiDocument()));
console.log(`wrote ${relative(process.cwd(), GENERATED_TYPES_FILE)}`);
