#!/usr/bin/env node
/**
 * Re-drives the recurrence engine's parked events against DATABASE_URL:
 *
 *   redrive --list            how many are parked, and the latest ones
 *   redrive --all             handle every parked event again
 *   redrive <event-id>...     handle these parked events again
 *
 * Each event is handled as a delivery would be, past the attempt limit. Handled events leave
 * parked_events (their child is created once: the processed-event mark guards it); the others
 * stay parked with their new error. Exit status: 0 when every selected event was handled,
 * 1 when some are still parked or were not parked, 2 for bad usage or configuration.
 */
import { createDatabase } from '@todo/db';
import { createLogger, EnvError } from '@todo/service-runtime';
import { createEngineDelivery } from '../engine-delivery.js';
import { loadRedriveEnv, type RedriveEnv } from '../env.js';
import { redriveParked, type RedriveSelection } from '../parking/redrive.js';

const USAGE = 'usage: redrive --list | --all | <event-id>...';

function selectionFrom(args: string[]): RedriveSelection | 'list' | undefined {
  // pnpm passes a literal `--` through when the command is run as `pnpm redrive -- --all`.
  const given = args.filter((arg) => arg !== '--');
  if (given.length === 1 && given[0] === '--list') return 'list';
  if (given.length === 1 && given[0] === '--all') return { all: true };
  if (given.length > 0 && given.every((arg) => !arg.startsWith('-'))) return { eventIds: given };
  return undefined;
}

const selection = selectionFrom(process.argv.slice(2));
if (!selection) {
  console.error(USAGE);
  process.exit(2);
}
let env: RedriveEnv;
try {
  env = loadRedriveEnv();
} catch (error) {
  if (error instanceof EnvError) {
    console.error(`redrive: ${error.message}`);
    process.exit(2);
  }
  throw error;
}

const logger = createLogger({
  service: 'recurrence-engine-redrive',
  level: env.LOG_LEVEL,
  format: env.LOG_FORMAT,
});
const database = createDatabase(env.DATABASE_URL, {
  max: 1,
  applicationName: 'recurrence-engine-redrive',
  statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
});
// The attempt limit does not apply to a re-drive; the value is only the delivery path's.
const { ledger, deliver } = createEngineDelivery(database.db, 1);
let exitCode = 0;
try {
  if (selection === 'list') {
    const { count, latest } = await ledger.parkedOverview();
    console.log(`${count} parked event(s)`);
    for (const event of latest) {
      console.log(
        `${event.parkedAt.toISOString()}  ${event.eventId}  ${event.reason}  attempts=${event.attempts}  ${event.lastError}`,
      );
    }
  } else {
    const report = await redriveParked({ deliver, ledger, logger }, selection);
    for (const { eventId, outcome } of report.handled)
      console.log(`handled       ${eventId}  ${outcome}`);
    for (const { eventId, error } of report.stillParked)
      console.log(`still parked  ${eventId}  ${error}`);
    for (const eventId of report.notParked) console.log(`not parked    ${eventId}`);
    console.log(
      `${report.handled.length} handled, ${report.stillParked.length} still parked, ${report.notParked.length} not parked`,
    );
    if (report.stillParked.length > 0 || report.notParked.length > 0) exitCode = 1;
  }
} catch (error) {
  console.error('redrive failed:', error);
  exitCode = 1;
} finally {
  await database.close();
}
process.exit(exitCode);
