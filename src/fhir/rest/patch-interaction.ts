/**
 * PATCH [type]/[id] with a JSON Patch: applied to the current version, then stored as an update of exactly
 * that version (If-Match defaults to it), so a write that lands between the read and the update is a conflict,
 * never lost. The patched resource goes through the same update as a PUT.
 * @see https://hl7.org/fhir/R4/http.html#patch
 */
import { applyJsonPatch } from '../json-patch.js';
import { etagOf } from '../ids.js';
import { unprocessable, unsupportedMediaType } from '../outcomes.js';
import { updateResource } from './instance-interactions.js';
import type { FhirContext, FhirRequest, FhirResponse } from './types.js';

export const JSON_PATCH_TYPE = 'application/json-patch+json';

export async function patchResource(ctx: FhirContext, req: FhirRequest, type: string, id: string): Promise<FhirResponse> {
  if (req.contentType !== JSON_PATCH_TYPE) throw unsupportedMediaType(`PATCH takes a JSON Patch (Content-Type ${JSON_PATCH_TYPE}), got ${req.contentType ?? 'none'}`);
  const current = await ctx.store.read(type, id);
  const patched = applyJsonPatch(current, req.body) as { resourceType?: unknown; id?: unknown };
  if (patched === null || typeof patched !== 'object' || patched.resourceType !== type) throw unprocessable(`The patch must leave a ${type}`, 'resourceType');
  if (patched.id !== id) throw unprocessable(`The patch must keep the id ${id}`, 'id');
  const ifMatch = req.headers.ifMatch ?? etagOf(current.meta.versionId);
  // The stored source tells who wrote the version patched, not this request: only a source the patch set is the client's.
  const meta = (patched as { meta?: { source?: unknown } }).meta;
  if (meta && meta.source === current.meta.source) delete meta.source;
  return updateResource(ctx, { ...req, method: 'PUT', body: patched, headers: { ...req.headers, ifMatch } }, type, id);
}
