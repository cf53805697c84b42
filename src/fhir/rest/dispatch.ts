/**
 * Routes a FhirRequest to its interaction by path shape and method. The HTTP router and the batch engine both
 * call this, so an entry of a batch behaves exactly as the same request sent alone.
 * @see https://hl7.org/fhir/R4/http.html
 */
import { assertValidId, isValidId } from '../ids.js';
import { badRequest, notAllowed, notFound } from '../outcomes.js';
import { isKnownResourceType } from '../../search/search-parameters.js';
import { assertResourceType } from '../resource-body.js';
import { processBundle } from '../bundle/process-bundle.js';
import { capabilityStatement } from './capability-statement.js';
import { isCompartment, searchCompartment } from './compartment-search.js';
import { conditionalDelete, conditionalUpdate } from './conditional-writes.js';
import { deleteResource, readResource, resourceHistory, updateResource, vreadResource } from './instance-interactions.js';
import { historyOf } from './history-interactions.js';
import { jobInteraction } from './job-interactions.js';
import { patchResource } from './patch-interaction.js';
import type { OperationTarget } from './operation.js';
import { createResource, searchType } from './type-interactions.js';
import type { FhirContext, FhirRequest, FhirResponse } from './types.js';

const isRead = (method: string) => method === 'GET' || method === 'HEAD';

const READ = ['GET', 'HEAD'];

function methodNotAllowed(req: FhirRequest, allow: string[]): never {
  throw notAllowed(`${req.method} is not allowed on /${req.segments.join('/')}`, allow);
}

async function runOperation(ctx: FhirContext, req: FhirRequest, name: string, target: OperationTarget): Promise<FhirResponse> {
  const operation = ctx.operations.get(name.slice(1));
  if (!operation) throw notFound(`Unknown operation "${name.slice(0, 80)}"`);
  return operation.handler(ctx, req, target);
}

async function dispatchSystem(ctx: FhirContext, req: FhirRequest): Promise<FhirResponse> {
  const [first] = req.segments;
  if (first === undefined) {
    if (req.method === 'POST') return processBundle(ctx, req);
    return methodNotAllowed(req, ['POST']);
  }
  if (first === '_history' && req.segments.length === 1) {
    if (!isRead(req.method)) return methodNotAllowed(req, READ);
    return historyOf(ctx, req, null);
  }
  if (first === 'metadata') {
    if (!isRead(req.method)) return methodNotAllowed(req, READ);
    return { status: 200, body: capabilityStatement(ctx) };
  }
  return runOperation(ctx, req, first, {});
}

async function dispatchType(ctx: FhirContext, req: FhirRequest, type: string): Promise<FhirResponse> {
  if (req.segments.length === 2 && req.segments[1] === '_history') {
    assertResourceType(type, isRead(req.method));
    if (!isRead(req.method)) return methodNotAllowed(req, READ);
    return historyOf(ctx, req, type);
  }
  if (req.segments.length === 2 && req.segments[1] === '_search') {
    assertResourceType(type);
    if (req.method !== 'POST') return methodNotAllowed(req, ['POST']);
    return searchType(ctx, req, type);
  }
  if (req.segments.length === 2 && req.segments[1].startsWith('$')) {
    assertResourceType(type);
    return runOperation(ctx, req, req.segments[1], { resourceType: type });
  }
  if (req.segments.length === 1) {
    assertResourceType(type, isRead(req.method));
    if (isRead(req.method)) return searchType(ctx, req, type);
    if (req.method === 'POST') return createResource(ctx, req, type);
    if (req.method === 'PUT') return conditionalUpdate(ctx, req, type);
    if (req.method === 'DELETE') return conditionalDelete(ctx, req, type);
    return methodNotAllowed(req, [...READ, 'POST', 'PUT', 'DELETE']);
  }
  return dispatchInstance(ctx, req, type, req.segments[1]);
}

async function dispatchInstance(ctx: FhirContext, req: FhirRequest, type: string, id: string): Promise<FhirResponse> {
  const rest = req.segments.slice(2);
  if (type === 'OperationDefinition' && rest.length === 0 && isRead(req.method) && ctx.operations.has(id)) {
    return { status: 200, body: ctx.operations.get(id)!.definition };
  }
  assertResourceType(type, isRead(req.method));
  if (rest.length === 1 && rest[0].startsWith('$')) {
    return runOperation(ctx, req, rest[0], { resourceType: type, id: assertValidId(id) });
  }
  if (!isValidId(id)) throw isRead(req.method) ? notFound(`${type}/${id.slice(0, 80)} is not a valid address`) : badRequest(`"${id.slice(0, 80)}" is not a valid resource id`, 'id');
  if (rest.length === 0) {
    if (isRead(req.method)) return readResource(ctx, req, type, id);
    if (req.method === 'PUT') return updateResource(ctx, req, type, id);
    if (req.method === 'DELETE') return deleteResource(ctx, req, type, id);
    if (req.method === 'PATCH') return patchResource(ctx, req, type, id);
    return methodNotAllowed(req, [...READ, 'PUT', 'PATCH', 'DELETE']);
  }
  if (rest.length === 1 && isCompartment(type) && isKnownResourceType(rest[0])) {
    if (!isRead(req.method)) return methodNotAllowed(req, READ);
    return searchCompartment(ctx, req, type, id, rest[0]);
  }
  if (rest[0] === '_history' && rest.length <= 2) {
    if (!isRead(req.method)) return methodNotAllowed(req, READ);
    if (rest.length === 1) return resourceHistory(ctx, type, id);
    if (!/^\d{1,15}$/.test(rest[1])) throw notFound(`${type}/${id} has no version "${rest[1].slice(0, 80)}"`);
    return vreadResource(ctx, type, id, rest[1]);
  }
  throw notFound(`Unknown path /${req.segments.join('/').slice(0, 200)}`);
}

/** Answers one FHIR request; errors are thrown as OperationOutcomeError for the caller to render. */
export async function dispatch(ctx: FhirContext, req: FhirRequest): Promise<FhirResponse> {
  const [first] = req.segments;
  if (first === undefined || first === 'metadata' || first === '_history' || first.startsWith('$')) return dispatchSystem(ctx, req);
  if (first === '_jobs') return jobInteraction(ctx, req);
  if (req.segments.length > 4) throw notFound(`Unknown path /${req.segments.join('/').slice(0, 200)}`);
  return dispatchType(ctx, req, first);
}
