/**
 * Batches: each entry succeeds or fails alone, in order, exactly as the same request sent on its own would.
 * References to entries processed earlier in the batch (by fullUrl) and conditional references resolve, so
 * Synthea's support batches load without a manual step.
 * @see https://hl7.org/fhir/R4/http.html#brules
 */
import type { Bundle, BundleEntry } from 'fhir/r4.js';
import { parseReference } from '../../search/parse-reference.js';
import { newId } from '../ids.js';
import { toOperationOutcomeError } from '../outcomes.js';
import { dispatch } from '../rest/dispatch.js';
import type { FhirContext, FhirRequest } from '../rest/types.js';
import type { EntryRequest } from './entry-request.js';
import { ReferenceResolver } from './reference-resolver.js';
import { errorEntry, responseEntry } from './response-entry.js';

async function processEntry(ctx: FhirContext, req: FhirRequest, resolver: ReferenceResolver, entry: EntryRequest): Promise<BundleEntry> {
  const resource = entry.resource;
  if (resource) await resolver.rewrite(resource, `${entry.where}.resource`);
  const response = await dispatch(ctx, {
    method: entry.method,
    segments: entry.segments,
    query: entry.query,
    body: resource,
    headers: { ifMatch: entry.ifMatch, ifNoneExist: entry.ifNoneExist, prefer: req.headers.prefer ?? 'return=minimal' },
  });
  const location = response.headers?.Location;
  const stored = location ? parseReference(location.slice(ctx.baseUrl.length + 1)) : null;
  if (stored?.type && stored.id) resolver.plan(entry.fullUrl, { type: stored.type, id: stored.id, resource });
  return responseEntry(response);
}

export async function processBatch(ctx: FhirContext, req: FhirRequest, entries: (EntryRequest | Error)[]): Promise<Bundle> {
  const resolver = new ReferenceResolver(ctx.store, ctx.baseUrl);
  const response: BundleEntry[] = [];
  for (const entry of entries) {
    try {
      if (entry instanceof Error) throw entry;
      response.push(await processEntry(ctx, req, resolver, entry));
    } catch (err) {
      const e = toOperationOutcomeError(err);
      if (e.status >= 500) ctx.logger.error({ err }, 'batch entry failed');
      response.push(errorEntry(e.status, e.outcome));
    }
  }
  return { resourceType: 'Bundle', id: newId(), type: 'batch-response', entry: response };
}
