import { tasks } from '@todo/db';
import type { TestDatabase } from '@todo/db/testing';
import { inArray } from 'drizzle-orm';

/**
 * A Jepsen-style reconciliation of one burst of completions: what the API acknowledged, what the
 * system must therefore contain, and what it actually contains.
 */
export interface Reconciliation {
  scenario: string;
  /** Completions the API answered 200 to. */
  acknowledged: number;
  /** Completions that failed or whose outcome is unknown (5xx, connection refused). */
  indeterminate: number;
  /** One child per acknowledged completion of a recurring task. */
  expected: number;
  /** Acknowledged completions with no child. */
  lost: number;
  /** Completions with more than one child. */
  duplicated: number;
  /** Children of tasks that nobody completed in this burst. */
  unexpected: number;
}

export async function reconcile(
  scenario: string,
  database: TestDatabase,
  attempts: Array<{ taskId: string; acknowledged: boolean }>,
  /** Every task created for the scenario (to spot children of tasks never completed). */
  allTaskIds: string[],
): Promise<Reconciliation> {
  const children = await database.db
    .select({ parent: tasks.parentTaskId })
    .from(tasks)
    .where(inArray(tasks.parentTaskId, allTaskIds));
  const perParent = new Map<string, number>();
  for (const child of children)
    perParent.set(child.parent!, (perParent.get(child.parent!) ?? 0) + 1);
  const attempted = new Set(attempts.map((a) => a.taskId));
  const acknowledged = attempts.filter((a) => a.acknowledged);
  return {
    scenario,
    acknowledged: acknowledged.length,
    indeterminate: attempts.length - acknowledged.length,
    expected: acknowledged.length,
    lost: acknowledged.filter((a) => !perParent.get(a.taskId)).length,
    duplicated: [...perParent.values()].filter((n) => n > 1).length,
    unexpected: [...perParent.keys()].filter((parent) => !attempted.has(parent)).length,
  };
}

export function formatTable(rows: Reconciliation[]): string {
  const columns: Array<keyof Reconciliation> = [
    'scenario',
    'acknowledged',
    'indeterminate',
    'expected',
    'lost',
    'duplicated',
    'unexpected',
  ];
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (values: string[]) =>
    `| ${values.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    line(columns),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(columns.map((c) => String(r[c])))),
  ].join('\n');
}
