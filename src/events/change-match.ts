/** Which outbox changes a subscription hears: shared by delivery and `$events`, so a replay matches alike. */
import type { ChangeEvent } from '../store/resource-store.js';
import type { CompiledCriteria } from './criteria.js';

/**
 * Whether a change is one to notify. A deletion has no content to match, so it is sent only for criteria that
 * name a type alone (every change of the type); for a search it cannot be known whether the deleted resource
 * matched without keeping what every resource matched, and sending it anyway would tell a receiver of
 * `Observation?patient=X` about other patients' records.
 */
export function changeMatches(criteria: CompiledCriteria, event: ChangeEvent): boolean {
  if (event.json === null) return !/\?./.test(criteria.text);
  return criteria.mayMatch(event.json) && criteria.matches(JSON.parse(event.json));
}
