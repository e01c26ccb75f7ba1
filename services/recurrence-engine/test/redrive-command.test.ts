import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RECURRENCE_ENGINE_EVENTS_ROUTE } from '@todo/contracts';
import request from 'supertest';
import { APP_TOKEN, createEngineTestApp, type EngineTestApp } from './support/engine-app.js';
import { refuseChildrenOf } from './support/faults.js';
import {
  childrenOf,
  completedEnvelope,
  insertCompletedTask,
  insertUser,
} from './support/fixtures.js';

/** Runs `pnpm redrive -- <args>`'s entry point as its own process, from source. */
function runRedrive(
  args: string[],
  env: Record<string, string>,
): Promise<{ exitCode: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'src/bin/redrive.ts', ...args],
      {
        cwd: process.cwd(),
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (exitCode) => resolve({ exitCode, output }));
  });
}

describe('the redrive command', () => {
  let t: EngineTestApp;
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await createEngineTestApp({ maxDeliveryAttempts: 1 });
    env = { DATABASE_URL: t.database.url, LOG_LEVEL: 'error' };
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists parked events, re-drives them all once fixed, and says what it did', async () => {
    const userId = await insertUser(t.database);
    const fault = await refuseChildrenOf(t.database, 'Parked');
    const task = await insertCompletedTask(t.database, userId, { title: 'Parked' });
    const envelope = completedEnvelope(task);
    const res = await request(t.app)
      .post(RECURRENCE_ENGINE_EVENTS_ROUTE)
      .set('dapr-api-token', APP_TOKEN)
      .send(envelope)
      .expect(200);
    expect(res.body).toEqual({ status: 'SUCCESS' });

    const listed = await runRedrive(['--', '--list'], env);
    expect(listed.exitCode).toBe(0);
    expect(listed.output).toContain('1 parked event(s)');
    expect(listed.output).toContain(`${envelope.id}  attempts_exhausted  attempts=1`);

    const stillFailing = await runRedrive(['--all'], env);
    expect(stillFailing.exitCode).toBe(1);
    expect(stillFailing.output).toContain(`still parked  ${envelope.id}  ${fault.message}`);

    await fault.remove();
    const fixed = await runRedrive(['--all'], env);
    expect(fixed.output).toContain(`handled       ${envelope.id}  child_created`);
    expect(fixed.output).toContain('1 handled, 0 still parked, 0 not parked');
    expect(fixed.exitCode).toBe(0);
    expect(await childrenOf(t.database, task.id)).toHaveLength(1);

    const again = await runRedrive([envelope.id as string], env);
    expect(again.exitCode).toBe(1);
    expect(again.output).toContain(`not parked    ${envelope.id}`);
    expect(await childrenOf(t.database, task.id)).toHaveLength(1);
  }, 60_000);

  it('refuses bad usage and a missing DATABASE_URL with exit status 2', async () => {
    const usage = await runRedrive([], env);
    expect(usage.exitCode).toBe(2);
    expect(usage.output).toContain('usage: redrive');
    expect((await runRedrive(['--all', randomUUID()], env)).exitCode).toBe(2);
    const unconfigured = await runRedrive(['--all'], {});
    expect(unconfigured.exitCode).toBe(2);
    expect(unconfigured.output).toContain('DATABASE_URL');
  }, 60_000);
});
