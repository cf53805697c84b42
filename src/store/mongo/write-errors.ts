/**
 * The error an atomic write rejects with when one of its ops fails: that op's OperationOutcome, its
 * diagnostics naming the op, as a WriteOpError carrying the op's position (so a transaction Bundle can
 * name `Bundle.entry[index]`). Same wording as the SQLite store.
 * @see https://hl7.org/fhir/R4/http.html#transaction
 */
import type { OperationOutcomeError } from '../../fhir/outcomes.js';
import { WriteOpError } from '../store-errors.js';
import type { WriteResult } from '../resource-store.js';
import type { WritePlan } from './write-plan.js';

/** The WriteOpError for a failed op result. */
export function opError(result: WriteResult): WriteOpError {
  const status = result.error?.status ?? 500;
  const outcome = structuredClone(result.error?.outcome ?? { resourceType: 'OperationOutcome' as const, issue: [] });
  const first = outcome.issue?.[0];
  if (first) first.diagnostics = `${first.diagnostics ?? 'error'} (write op ${result.index})`;
  return new WriteOpError(result.index, status, outcome);
}

/** The WriteOpError of an atomic call for a resource whose write did not land, naming its first op. */
export function lostOpError(plan: WritePlan, key: string, error: OperationOutcomeError): WriteOpError {
  const index = plan.keys.get(key)?.ops[0] ?? 0;
  const outcome = structuredClone(error.outcome);
  const issue = outcome.issue?.[0];
  if (issue) issue.diagnostics = `${issue.diagnostics ?? 'error'}; nothing was written (write op ${index})`;
  return new WriteOpError(index, error.status, outcome);
}
