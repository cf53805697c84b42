/**
 * A `history` Bundle: one entry per version, newest first; deletions carry only a request and response.
 * @see https://hl7.org/fhir/R4/http.html#history
 */
import type { Bundle, BundleEntry } from 'fhir/r4.js';
import type { VersionRecord } from '../../store/resource-store.js';
import { newId } from '../ids.js';

export function historyBundle(baseUrl: string, versions: VersionRecord[]): Bundle {
  const entry = versions.map((v): BundleEntry => {
    const fullUrl = `${baseUrl}/${v.resourceType}/${v.id}`;
    const first = v.versionId === '1';
    return {
      fullUrl,
      ...(v.resource ? { resource: v.resource } : {}),
      request: {
        method: v.deleted ? 'DELETE' : first ? 'POST' : 'PUT',
        url: first && !v.deleted ? v.resourceType : `${v.resourceType}/${v.id}`,
      },
      response: {
        status: v.deleted ? '204' : first ? '201' : '200',
        lastModified: v.lastUpdated,
        etag: `W/"${v.versionId}"`,
      },
    };
  });
  return { resourceType: 'Bundle', id: newId(), type: 'history', total: entry.length, entry };
}
