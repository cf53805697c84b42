/**
 * The response to a write (create, update): status, Location, ETag and Last-Modified headers, and the body
 * the client asked for with `Prefer: return=…`. Validation issues that did not block the write are answered
 * in a `Warning` header and, with `return=OperationOutcome`, in the outcome (as HAPI's validating interceptor
 * adds them to the response OperationOutcome).
 * @see https://hl7.org/fhir/R4/http.html#create
 */
import type { OperationOutcomeIssue } from 'fhir/r4.js';
import type { StoredResource } from '../../store/resource-store.js';
import { etagOf } from '../ids.js';
import { allOk, outcome } from '../outcomes.js';
import type { Preferences } from './prefer.js';
import type { FhirResponse } from './types.js';
import { warningHeader } from './write-validation.js';

export function versionHeaders(resource: StoredResource): Record<string, string> {
  return {
    ETag: etagOf(resource.meta.versionId),
    'Last-Modified': new Date(resource.meta.lastUpdated).toUTCString(),
  };
}

export function writeResponse(
  status: number,
  resource: StoredResource,
  baseUrl: string,
  prefer: Preferences,
  message: string,
  issues: OperationOutcomeIssue[] = [],
): FhirResponse {
  const headers: Record<string, string> = {
    ...versionHeaders(resource),
    Location: `${baseUrl}/${resource.resourceType}/${resource.id}/_history/${resource.meta.versionId}`,
  };
  if (issues.length > 0) headers.Warning = warningHeader(issues);
  const found = issues.length > 0 ? { issues } : {};
  if (prefer.return === 'minimal') return { status, headers, ...found };
  if (prefer.return === 'OperationOutcome') return { status, headers, body: outcome(...allOk(message).issue, ...issues), ...found };
  return { status, headers, body: resource, ...found };
}
