/** Prints the OpenAPI document, e.g. for client generators: `pnpm --filter @todo/task-api openapi`. */
import { buildOpenApiDocument } from '../openapi/openapi-document.js';

process.stdout.write(`${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
