/**
 * The events of one subscription between two outbox numbers, read again from the outbox (`$events`): the
 * changes of its criteria's type in that range that its criteria match, as delivery would have matched them,
 * at most `limit`. Nothing is kept per subscription for this, so any range still in the outbox can be replayed,
 * delivered or not.
 */
import type { ChangeEvent, ResourceStore } from '../store/resource-store.js';
import type { CompiledCriteria } from './criteria.js';
import { changeMatches } from './change-match.js';
import { PAGE_SIZE } from './subscription-worker.js';

export async function replayEvents(store: ResourceStore, criteria: CompiledCriteria, since: number, until: number, limit: number): Promise<ChangeEvent[]> {
  const found: ChangeEvent[] = [];
  let cursor = since - 1;
  while (cursor < until) {
    const page = await store.changes(cursor, { limit: PAGE_SIZE, types: [criteria.resourceType], containing: criteria.requiredTexts });
    for (const event of page.changes) {
      if (event.seq > until) return found;
      if (changeMatches(criteria, event)) found.push(event);
      if (found.length === limit) return found;
    }
    if (!page.more) return found;
    cursor = page.through;
  }
  return found;
}
