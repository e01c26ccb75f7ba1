// Preloaded into task-api by the fault suite only (`node --import`, through NODE_OPTIONS for one
// start): the process dies like `kill -9` right after its sidecar accepted a publish and before
// the relay marks the rows, to prove the events are published again after the restart and
// deduplicated downstream rather than lost. Plain JavaScript and Node's own diagnostics channel,
// so it loads before tsx and needs nothing from the service but the channel's name, which must
// match RELAY_TRANSPORT_CHANNEL in packages/outbox-relay/src/start-relay.ts (if it did not, the
// scenario would wait in vain for task-api to die and fail).
import { subscribe } from 'node:diagnostics_channel';
import { isMainThread } from 'node:worker_threads';

export const KILLED_LINE = 'kill-after-publish: SIGKILL after the sidecar accepted a publish';

// NODE_OPTIONS reaches tsx's module-loader thread too; only the main thread runs the relay.
if (isMainThread) {
  subscribe('todo:outbox-relay:transport', (offer) => {
    const inner = offer.transport;
    offer.transport = {
      description: `${inner.description}, killed after its first accepted publish`,
      async publish(messages) {
        const results = await inner.publish(messages);
        if (results.some((result) => result.ok)) {
          // stderr is a pipe to the harness, written synchronously: the line arrives before the kill.
          process.stderr.write(`${KILLED_LINE} (${messages.length} events)\n`);
          process.kill(process.pid, 'SIGKILL');
        }
        return results;
      },
    };
  });
}
