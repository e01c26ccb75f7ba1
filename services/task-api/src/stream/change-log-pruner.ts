import type { Logger } from '@todo/service-runtime';
import type { TaskChangesRepository } from './task-changes.repository.js';

export interface PrunerConfig {
  /** Rows older than this are deleted: the window within which a reconnect can resume. */
  retentionSeconds: number;
  /** Mean time between runs; each wait is drawn between half and one and a half of it. */
  intervalMs: number;
  /** Rows per DELETE, so a run never holds a long transaction. */
  batchSize: number;
}

/**
 * Prunes the change log on an interval with jitter. Every replica runs one; the repository's
 * try-lock lets one of them work at a time and the others skip that round.
 */
export function startChangeLogPruner(deps: {
  repo: TaskChangesRepository;
  logger: Logger;
  config: PrunerConfig;
}): { stop(): Promise<void> } {
  const { repo, logger, config } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  async function run() {
    try {
      let total = 0;
      for (;;) {
        const deleted = await repo.prune(config.retentionSeconds, config.batchSize);
        if (deleted === null) break;
        total += deleted;
        if (deleted < config.batchSize || stopped) break;
      }
      if (total > 0) logger.info('change log pruned', { rows: total });
    } catch (error) {
      logger.warn('change log pruning failed; retried next round', { err: error });
    }
  }

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(
      () => {
        running = run().then(schedule);
      },
      config.intervalMs * (0.5 + Math.random()),
    );
    timer.unref();
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
