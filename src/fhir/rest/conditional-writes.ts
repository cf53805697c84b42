/**
 * Conditional update (`PUT [type]?search`) and conditional delete (`DELETE [type]?search`): the search picks
 * the resource, at most one (conditionalDelete `single` in the CapabilityStatement). The search is as strict as
 * any conditional match (conditional.ts): an unknown parameter is a 400, never a match of everything.
 * @see https://hl7.org/fhir/R4/http.html#cond-update
 * @see https://hl7.org/fhir/R4/http.html#3.1.0.7.1
 */
import { allOk, badRequest, conflict, OperationOutcomeError, preconditionFailed } from '../outcomes.js';
import { asResource } from '../resource-body.js';
import { findConditionalMatches } from './conditional.js';
import { deleteResource, updateResource } from './instance-interactions.js';
import { createResource } from './type-interactions.js';
import type { FhirContext, FhirRequest, FhirResponse } from './types.js';

/** Parameters that shape the response, not the match. */
const RESPONSE_PARAMS = new Set(['_format', '_pretty']);

/** The search of a conditional write, as a query string; refused when it names nothing to match on. */
function condition(req: FhirRequest, type: string): string {
  const params = new URLSearchParams([...req.query].filter(([name]) => !RESPONSE_PARAMS.has(name)));
  if ([...params.keys()].length === 0) throw badRequest(`A conditional ${req.method === 'PUT' ? 'update' : 'delete'} of ${type} needs search parameters`);
  return params.toString();
}

async function exists(ctx: FhirContext, type: string, id: string): Promise<boolean> {
  try {
    await ctx.store.read(type, id);
    return true;
  } catch (err) {
    // A deleted resource's id is free again, as for any update.
    if (err instanceof OperationOutcomeError && (err.status === 404 || err.status === 410)) return false;
    throw err;
  }
}

/**
 * One match: that resource is updated (a body id, if any, must be its id). None: the body is created, with its
 * own id if it has one that no resource holds yet (409 if one does). Several: 412.
 */
export async function conditionalUpdate(ctx: FhirContext, req: FhirRequest, type: string): Promise<FhirResponse> {
  const resource = asResource(req.body, type);
  const query = condition(req, type);
  const matches = await findConditionalMatches(ctx.store, type, query);
  if (matches.length > 1) throw preconditionFailed(`${type}?${query} matches more than one resource; nothing was updated`);
  if (matches.length === 1) {
    const [id] = matches;
    if (resource.id !== undefined && resource.id !== id) throw badRequest(`The resource id "${resource.id}" is not that of ${type}/${id}, which ${type}?${query} matches`, 'id');
    return updateResource(ctx, { ...req, body: { ...resource, id } }, type, id);
  }
  if (resource.id === undefined) return createResource(ctx, { ...req, headers: { ...req.headers, ifNoneExist: undefined } }, type);
  if (await exists(ctx, type, resource.id)) throw conflict(`${type}/${resource.id} exists but does not match ${type}?${query}; nothing was updated`, 'id');
  return updateResource(ctx, req, type, resource.id);
}

/** One match: deleted. None: nothing to do (200). Several: 412, nothing deleted. */
export async function conditionalDelete(ctx: FhirContext, req: FhirRequest, type: string): Promise<FhirResponse> {
  const query = condition(req, type);
  const matches = await findConditionalMatches(ctx.store, type, query);
  if (matches.length > 1) throw preconditionFailed(`${type}?${query} matches more than one resource; nothing was deleted`);
  if (matches.length === 0) return { status: 200, body: allOk(`No ${type} matches ${type}?${query}; nothing was deleted`) };
  return deleteResource(ctx, req, type, matches[0]);
}
