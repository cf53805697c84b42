/**
 * The error an atomic write rejects with when one of its ops fails: that op's OperationOutcome, its
 * diagnostics naming the op, as a WriteOpError carrying the op's position (so a transaction Bundle can
 * name `Bundle.entry[index]`). Same wording as the SQLite store.
 * @see https://hl7.org/fhir/R4/http.html#transaction
 */
import { WriteOpError } from '../store-errors.js';
import type { WriteResult } from '../resource-store.js';

/** The WriteOpError for a failed op result. */
export function opError(result: WriteResult): WriteOpError {
  const status = result.error?.status ?? 500;
  const outcome = structuredClone(result.error?.outcome ?? { resourceType: 'OperationOutcome' as const, issue: [] });
  const first = outcome.issue?.[0];
  if (first) first.diagnostics = `${first.diagnostics ?? 'error'} (write op ${result.index})`;
  return new WriteOpError(result.index, status, outcome);
}
