import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';

/** Used when the kernel's range cannot be read (not Linux): Linux's default starts at 32768. */
const DEFAULT_EPHEMERAL_START = 32_768;
/** The lowest port handed out: above the registered services people run on a dev machine. */
const LOWEST = 20_000;
const ATTEMPTS = 50;

/**
 * Where the kernel's ephemeral ports start. Every `listen(0)` and every outgoing connection gets
 * a port from that range, so a port chosen below it cannot be taken by them.
 */
async function ephemeralStart(): Promise<number> {
  const range = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').catch(() => '');
  const start = Number(range.trim().split(/\s+/)[0]);
  return Number.isInteger(start) && start > LOWEST + 1_000 ? start : DEFAULT_EPHEMERAL_START;
}

/** Whether nothing listens on `port` on the loopback address (by listening on it briefly). */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A loopback port nothing listens on, for a process about to be started with it. Chosen at random
 * below the kernel's ephemeral range rather than by `listen(0)`: a port the kernel hands out is
 * free again the moment this returns, and in the seconds before the new process binds it, any
 * other `listen(0)` (a test's supertest server) or outgoing connection on the machine may be
 * given the same one (CI saw a stack's readiness check answered by another test's server).
 */
export async function freePort(): Promise<number> {
  const end = await ephemeralStart();
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const port = LOWEST + Math.floor(Math.random() * (end - LOWEST));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free loopback port found in ${ATTEMPTS} tries between ${LOWEST} and ${end}`);
}
