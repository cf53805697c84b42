/**
 * The response to a write (create, update): status, Location, ETag and Last-Modified headers, and the body
 * the client asked for with `Prefer: return=…`.
 * @see https://hl7.org/fhir/R4/http.html#create
 */
import type { StoredResource } from '../../store/resource-store.js';
import { etagOf } from '../ids.js';
import { allOk } from '../outcomes.js';
import type { Preferences } from './prefer.js';
import type { FhirResponse } from './types.js';

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
): FhirResponse {
  const headers = {
    ...versionHeaders(resource),
    Location: `${baseUrl}/${resource.resourceType}/${resource.id}/_history/${resource.meta.versionId}`,
  };
  if (prefer.return === 'minimal') return { status, headers };
  if (prefer.return === 'OperationOutcome') return { status, headers, body: allOk(message) };
  return { status, headers, body: resource };
}
