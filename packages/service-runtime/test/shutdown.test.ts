import { Agent, createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { trackConnections } from '../src/shutdown.js';
import { eventually } from '../src/testing/index.js';

/**
 * The drain a graceful shutdown waits for, over real sockets: connections with nothing to answer
 * close at once, whoever opened them and however, while a request in progress gets its answer.
 */
describe('trackConnections().drain()', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  /** A server whose `/slow` answers only when told to, with the drain installed before it listens. */
  async function startServer() {
    const answers: Array<() => void> = [];
    const server: Server = createServer((req, res) => {
      const answer = () => res.end(`answered ${req.url}`);
      if (req.url === '/slow') answers.push(answer);
      else answer();
    });
    const connections = trackConnections(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => server.closeAllConnections());
    const port = (server.address() as AddressInfo).port;
    let drained = false;
    const drain = () =>
      void connections.drain().then(() => {
        drained = true;
      });
    return { port, answers, drain, drained: () => drained };
  }

  /** A socket to the server and whether the server has closed it. */
  async function openSocket(port: number) {
    const socket: Socket = connect(port, '127.0.0.1');
    cleanups.push(() => socket.destroy());
    let closed = false;
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    return { socket, closed: () => closed };
  }

  const get = (port: number, path: string, agent: Agent) =>
    new Promise<{ res: IncomingMessage; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ res, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it('closes a connection that never sent a request and an idle keep-alive one at once', async () => {
    const { port, drain, drained } = await startServer();
    // Node counts a connection without a request yet as busy: server.close() alone waits for it.
    const silent = await openSocket(port);
    const agent = new Agent({ keepAlive: true });
    cleanups.push(() => agent.destroy());
    const { res } = await get(port, '/fast', agent);
    expect(res.headers.connection).toBe('keep-alive');
    const [kept] = Object.values(agent.freeSockets).flat();
    let keptClosed = false;
    kept!.on('close', () => (keptClosed = true));

    drain();
    await eventually(() => drained(), { what: 'the drain to end', timeoutMs: 3_000 });
    expect(silent.closed()).toBe(true);
    expect(keptClosed).toBe(true);
  });

  it('lets a request in progress finish, then closes its keep-alive connection', async () => {
    const { port, answers, drain, drained } = await startServer();
    const agent = new Agent({ keepAlive: true });
    cleanups.push(() => agent.destroy());
    const slow = get(port, '/slow', agent);
    await eventually(() => answers.length === 1, { what: 'the slow request to arrive' });
    const silent = await openSocket(port);

    drain();
    // The connection without a request is closed by the drain's first step: by then the drain
    // would have ended too, were it not waiting for the request in progress.
    await eventually(() => silent.closed(), {
      what: 'the idle connection closed',
      timeoutMs: 3_000,
    });
    expect(drained()).toBe(false);

    answers[0]!();
    const { res, body } = await slow;
    expect(res.statusCode).toBe(200);
    expect(body).toBe('answered /slow');
    // Told that this answer is the connection's last.
    expect(res.headers.connection).toBe('close');
    await eventually(() => drained(), {
      what: 'the drain to end once the answer was sent',
      timeoutMs: 3_000,
    });
  });
});
