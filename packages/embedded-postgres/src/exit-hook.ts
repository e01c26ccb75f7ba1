/**
 * Stops registered processes when this process exits without having stopped them: on exit, and
 * on SIGINT, SIGTERM and SIGHUP when nothing else handles them. One registry per process, shared
 * through globalThis by every copy of this module (the dev launchers and the test harness load it
 * from source and from dist), so exactly one listener decides whether to re-raise a signal.
 */
type Registry = Set<() => void>;
const KEY = Symbol.for('todo-platform.stop-when-process-exits');

function registry(): Registry {
  const holder = globalThis as typeof globalThis & { [KEY]?: Registry };
  if (holder[KEY]) return holder[KEY];
  const stops: Registry = new Set();
  holder[KEY] = stops;
  const stopAll = () => {
    for (const stop of stops) {
      try {
        stop();
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', stopAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      // A program that handles the signal itself stops its processes its own way. Otherwise die
      // of it, as Node does when nobody listens, once ours are told to stop.
      if (process.listenerCount(signal) > 1) return;
      stopAll();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
  return stops;
}

/** Registers a synchronous stop (e.g. a kill) and returns what unregisters it. */
export function stopWhenProcessExits(stop: () => void): () => void {
  const stops = registry();
  stops.add(stop);
  return () => stops.delete(stop);
}
