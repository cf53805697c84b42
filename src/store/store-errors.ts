/**
 * Errors every ResourceStore throws the same way, so callers (REST, bundles, import) can rely on the HTTP
 * status and wording whatever the backend.
 * @see https://hl7.org/fhir/R4/http.html#read
 */
import type { OperationOutcome } from 'fhir/r4.js';
import { OperationOutcomeError, gone, notFound } from '../fhir/outcomes.js';

/** 404 for a resource (or version) that never existed, naming `Type/id`. */
export function resourceNotFound(resourceType: string, id: string, versionId?: string): OperationOutcomeError {
  const what = versionId === undefined ? `${resourceType}/${id}` : `${resourceType}/${id}/_history/${versionId}`;
  return notFound(`${what} not found`);
}

/** 410 for a resource whose current version (or the asked version) is a deletion. */
export function resourceGone(resourceType: string, id: string, versionId?: string): OperationOutcomeError {
  const what = versionId === undefined ? `${resourceType}/${id}` : `${resourceType}/${id}/_history/${versionId}`;
  return gone(`${what} is deleted`);
}

/**
 * The error an atomic `write()` rejects with: the failing op's own OperationOutcomeError, plus the op's
 * position so a caller that knows the op source (a transaction Bundle) can name `Bundle.entry[index]`.
 * It stays an OperationOutcomeError, so generic error handling keeps working.
 */
export class WriteOpError extends OperationOutcomeError {
  constructor(
    readonly index: number,
    status: number,
    outcome: OperationOutcome,
  ) {
    super(status, outcome);
    this.name = 'WriteOpError';
  }
}
