import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { freePort } from '../src/free-port.js';

/** Where this kernel hands out ports to listen(0) and outgoing connections. */
const ephemeralStart = Number(
  readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
);

const listenOn = (port: number) =>
  new Promise<() => Promise<void>>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () =>
      resolve(() => new Promise((done) => server.close(() => done()))),
    );
  });

describe('freePort', () => {
  it('chooses ports below the ephemeral range, which listen(0) never hands out', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(ephemeralStart);
    }
    // Random, not the same first free port for every caller (two processes would collide).
    expect(new Set(ports).size).toBeGreaterThan(15);
  });

  it('chooses a port the caller can then listen on', async () => {
    const port = await freePort();
    const close = await listenOn(port);
    await close();
  });

  it('never gives a port a server already listens on', async () => {
    // Each port it gives is held while the next is asked for: 200 distinct ports means it never
    // handed back one that was listening.
    const held = new Set<number>();
    const closers: (() => Promise<void>)[] = [];
    for (let i = 0; i < 200; i += 1) {
      const port = await freePort();
      closers.push(await listenOn(port));
      held.add(port);
    }
    try {
      expect(held.size).toBe(200);
    } finally {
      await Promise.all(closers.map((close) => close()));
    }
  });
});
