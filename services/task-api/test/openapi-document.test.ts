/**
 * The OpenAPI document is a product a frontend team consumes: it must lint clean, name every
 * operation (generated clients take their function names from operationId), and its links must
 * lead somewhere real.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { buildOpenApiDocument } from '../src/openapi/openapi-document.js';

interface Operation {
  operationId?: string;
  security?: unknown[];
  parameters?: { name: string; in: string }[];
  responses: Record<
    string,
    { links?: Record<string, { operationId: string; parameters: object }> }
  >;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const document = buildOpenApiDocument() as unknown as {
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
};
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  METHODS.flatMap((method) => (item[method] ? [{ path, method, op: item[method]! }] : [])),
);

describe('the OpenAPI document', () => {
  it('gives every operation a unique operationId', () => {
    const ids = operations.map(({ op }) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining(['createTask', 'listTasks', 'completeTask', 'previewRecurrence']),
    );
  });

  it('links every task it returns to the operations that take its id, and each link resolves', () => {
    const byId = new Map(operations.map(({ op }) => [op.operationId, op]));
    const linked = operations.flatMap(({ op }) =>
      Object.values(op.responses).flatMap((response) => Object.values(response.links ?? {})),
    );
    expect(linked.length).toBeGreaterThanOrEqual(7 * 8);
    for (const link of linked) {
      const target = byId.get(link.operationId);
      expect(target).toBeDefined();
      const pathParams = (target!.parameters ?? []).filter((p) => p.in === 'path');
      expect(Object.keys(link.parameters)).toEqual(pathParams.map((p) => p.name));
    }
    const create = byId.get('createTask')!;
    expect(Object.keys(create.responses['201']!.links!)).toEqual(
      expect.arrayContaining(['getTask', 'updateTask', 'completeTask', 'deleteTask']),
    );
  });

  it('passes `redocly lint` with the recommended rules, without errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'openapi-lint-'));
    try {
      const file = join(dir, 'openapi.json');
      await writeFile(file, JSON.stringify(document));
      const redocly = fileURLToPath(new URL('../node_modules/.bin/redocly', import.meta.url));
      const { stdout } = await promisify(execFile)(
        redocly,
        ['lint', file, '--extends', 'recommended', '--format', 'json'],
        {
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        },
      ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
      const report = JSON.parse(stdout) as {
        totals: { errors: number };
        problems: { ruleId: string; severity: string; message: string }[];
      };
      expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(report.totals.errors).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
