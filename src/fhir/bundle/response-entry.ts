/**
 * Entries of transaction-response and batch-response Bundles.
 * @see https://hl7.org/fhir/R4/bundle.html#transaction-response
 */
import type { BundleEntry, OperationOutcome, OperationOutcomeIssue, Resource } from 'fhir/r4.js';
import type { StoredResource } from '../../store/resource-store.js';
import { etagOf } from '../ids.js';
import { outcome } from '../outcomes.js';
import type { FhirResponse } from '../rest/types.js';

const REASONS: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content' };

export const statusLine = (status: number) => `${status}${REASONS[status] ? ` ${REASONS[status]}` : ''}`;

/**
 * The response entry for a stored (or matched) resource; validation issues that did not block the write are
 * its `response.outcome`.
 */
export function storedEntry(status: number, resource: StoredResource, baseUrl: string, includeResource: boolean, issues?: OperationOutcomeIssue[]): BundleEntry {
  return {
    fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id}`,
    ...(includeResource ? { resource } : {}),
    response: {
      status: statusLine(status),
      location: `${resource.resourceType}/${resource.id}/_history/${resource.meta.versionId}`,
      etag: etagOf(resource.meta.versionId),
      lastModified: resource.meta.lastUpdated,
      ...(issues?.length ? { outcome: outcome(...issues) } : {}),
    },
  };
}

/** The response entry for an interaction answered by the dispatcher (reads, operations, batch entries). */
export function responseEntry(response: FhirResponse): BundleEntry {
  const headers = response.headers ?? {};
  const location = headers.Location;
  return {
    ...(response.body && 'resourceType' in response.body ? { resource: response.body as Resource } : {}),
    response: {
      status: statusLine(response.status),
      ...(location ? { location } : {}),
      ...(headers.ETag ? { etag: headers.ETag } : {}),
      ...(response.issues?.length ? { outcome: outcome(...response.issues) } : {}),
    },
  };
}

export function errorEntry(status: number, outcome: OperationOutcome): BundleEntry {
  return { response: { status: String(status), outcome } };
}
