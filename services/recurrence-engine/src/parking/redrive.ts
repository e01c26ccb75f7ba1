import { DAPR_STATUS } from '@todo/contracts';
import type { Logger } from '@todo/service-runtime';
import type { EventDelivery } from '../subscription/deliver-event.js';
import type { DeliveryLedger, ParkedEvent } from './delivery-ledger.js';

export type RedriveSelection = { all: true } | { eventIds: string[] };

export interface RedriveReport {
  /** Handled this time (a child created, the series ended, or nothing left to do): unparked. */
  handled: Array<{ eventId: string; outcome: string }>;
  /** Failed or still invalid: parked still, with this error recorded. */
  stillParked: Array<{ eventId: string; error: string }>;
  /** Asked for by id but not parked (never parked, or handled since). */
  notParked: string[];
}

/** Parked events are read this many at a time, so a large backlog needs bounded memory. */
const PAGE_SIZE = 100;

/**
 * Handles parked events again, one at a time, past the attempt limit: each goes through the same
 * delivery code as the subscription route, so a handled one leaves parked_events with its child
 * created once (the processed-event mark guards it), and one that fails again stays parked with
 * its new error.
 */
export async function redriveParked(
  deps: { deliver: EventDelivery; ledger: DeliveryLedger; logger: Logger },
  selection: RedriveSelection,
): Promise<RedriveReport> {
  const report: RedriveReport = { handled: [], stillParked: [], notParked: [] };

  const redriveOne = async (parked: ParkedEvent) => {
    let envelope: unknown;
    try {
      envelope = JSON.parse(parked.envelope);
    } catch {
      report.stillParked.push({
        eventId: parked.eventId,
        error: 'the stored envelope is not JSON',
      });
      return;
    }
    const result = await deps.deliver(envelope, deps.logger, 'redrive');
    if (result.status === DAPR_STATUS.success) {
      report.handled.push({ eventId: parked.eventId, outcome: result.outcome });
    } else {
      report.stillParked.push({ eventId: parked.eventId, error: result.detail });
    }
  };

  if ('eventIds' in selection) {
    const found = await deps.ledger.parkedByIds(selection.eventIds);
    const parkedIds = new Set(found.map((event) => event.eventId));
    report.notParked = selection.eventIds.filter((id) => !parkedIds.has(id));
    for (const event of found) await redriveOne(event);
    return report;
  }
  let after: string | undefined;
  for (;;) {
    const page = await deps.ledger.parkedPage(PAGE_SIZE, after);
    for (const event of page) await redriveOne(event);
    if (page.length < PAGE_SIZE) return report;
    after = page.at(-1)!.eventId;
  }
}
