import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { freePort } from '@todo/embedded-postgres';
import {
  assertPortsFree,
  listeningPids,
  runThenStop,
  spawnGroup,
  stopAll,
  stopChild,
  waitUntilReady,
} from '../src/testing/index.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A server on 127.0.0.1:`port` in this process: "something else" from a child's point of view. */
async function squat(port: number): Promise<Server> {
  const server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

const squatters: Server[] = [];
afterEach(async () => {
  await Promise.all(squatters.splice(0).map((s) => new Promise((r) => s.close(r))));
});

// A node one-liner that listens on PORT and stays up.
const LISTEN = `require('node:net').createServer().listen(Number(process.env.PORT), '127.0.0.1')`;

describe('spawnGroup and stopChild', () => {
  it('stop the child and what it started, even when the child ignores the signal', async () => {
    // The shell ignores SIGTERM and leaves a grandchild that would outlive a plain child.kill.
    const child = spawnGroup('sh', ['-c', "trap '' TERM; sleep 300 & echo $!; wait"], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const grandchild = await new Promise<number>((resolve) =>
      child.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
    );
    expect(alive(grandchild)).toBe(true);
    await stopChild(child, 'SIGTERM', 500);
    expect(alive(child.pid!)).toBe(false);
    expect(alive(grandchild)).toBe(false);
  });

  it('stop what is left of a group whose leader already exited', async () => {
    const child = spawnGroup('sh', ['-c', 'sleep 300 & echo $!'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const grandchild = await new Promise<number>((resolve) =>
      child.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
    );
    await new Promise((resolve) => child.once('exit', resolve));
    expect(alive(grandchild)).toBe(true);
    await stopChild(child);
    expect(alive(grandchild)).toBe(false);
  });
});

describe('stopAll and runThenStop', () => {
  const failing = (message: string) => async () => {
    throw new Error(message);
  };

  it('stopAll runs every stop even after one fails, then names each failure', async () => {
    const ran: string[] = [];
    const stop = (name: string) => async () => void ran.push(name);
    await expect(
      stopAll([stop('a'), failing('b is stuck'), stop('c'), failing('d is stuck')]),
    ).rejects.toThrow('stopping failed: b is stuck; d is stuck');
    expect(ran).toEqual(['a', 'c']);
  });

  it('runThenStop stops what the work started, last first, whether it succeeds or fails', async () => {
    const ran: string[] = [];
    const stops: (() => Promise<unknown>)[] = [];
    const value = await runThenStop(async () => {
      stops.push(
        async () => ran.push('first'),
        async () => ran.push('second'),
      );
      return 42;
    }, stops);
    expect({ value, ran }).toEqual({ value: 42, ran: ['second', 'first'] });

    ran.length = 0;
    await expect(
      runThenStop(failing('did not start'), [async () => ran.push('stopped')]),
    ).rejects.toThrow(/^did not start$/);
    expect(ran).toEqual(['stopped']);
  });

  it('runThenStop keeps the work’s error first and reports a failure to stop beside it', async () => {
    const error = await runThenStop(failing('did not start'), [failing('still running')]).catch(
      (e: unknown) => e as Error,
    );
    expect(error.message).toBe(
      'did not start (then stopping what was started failed too: still running)',
    );
    expect((error.cause as Error).message).toBe('did not start');
    // Succeeding work does not hide a failure to stop.
    await expect(runThenStop(async () => 1, [failing('still running')])).rejects.toThrow(
      'still running',
    );
  });

  it('runThenStop stops a child group whose start failed', async () => {
    const child = spawnGroup('sh', ['-c', 'sleep 300 & echo $!; wait'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const grandchild = await new Promise<number>((resolve) =>
      child.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
    );
    await expect(
      runThenStop(
        () => waitUntilReady('never ready', child, async () => false, 300),
        [() => stopChild(child, 'SIGTERM', 500)],
      ),
    ).rejects.toThrow('never ready was not ready within 0.3 s');
    expect(alive(child.pid!)).toBe(false);
    expect(alive(grandchild)).toBe(false);
  });
});

describe('ports', () => {
  it('assertPortsFree names the port in use and who holds it', async () => {
    const port = await freePort();
    squatters.push(await squat(port));
    await expect(assertPortsFree({ 'the test service': port })).rejects.toThrow(
      new RegExp(`port ${port} for the test service is already in use by ${process.pid} `),
    );
    expect(listeningPids(port)).toEqual([process.pid]);
  });

  it('waitUntilReady accepts an answer from the child listening on the port', async () => {
    const port = await freePort();
    const child = spawnGroup(process.execPath, ['-e', LISTEN], {
      env: { ...process.env, PORT: String(port) },
      stdio: 'ignore',
    });
    try {
      await waitUntilReady('listener', child, async () => !!listeningPids(port)?.length, 10_000, {
        port,
      });
    } finally {
      await stopChild(child);
    }
    expect(listeningPids(port)).toEqual([]);
  });

  it('waitUntilReady refuses an answer on the port from a process it did not start', async () => {
    const port = await freePort();
    squatters.push(await squat(port));
    // Alive, but listening elsewhere: the port answers, not from it.
    const child = spawn(process.execPath, ['-e', LISTEN], {
      env: { ...process.env, PORT: String(await freePort()) },
      stdio: 'ignore',
    });
    try {
      await expect(
        waitUntilReady('listener', child, async () => true, 10_000, { port }),
      ).rejects.toThrow(new RegExp(`port ${port} answered, but not from listener`));
    } finally {
      await stopChild(child);
    }
  });

  it('waitUntilReady fails when the child exits, whatever answers', async () => {
    const child = spawn(process.execPath, ['-e', 'process.exit(3)'], { stdio: 'ignore' });
    await expect(waitUntilReady('quitter', child, async () => false, 10_000)).rejects.toThrow(
      'quitter exited with code 3',
    );
  });
});
