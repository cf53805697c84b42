/**
 * Checks that a request body is a FHIR resource of a known type, before anything is stored.
 * Content validation proper (schema, invariants) is the validation engine's; this is the floor every write
 * path stands on.
 */
import type { Resource } from 'fhir/r4.js';
import { isKnownResourceType } from '../search/search-parameters.js';
import { assertValidId } from './ids.js';
import { badRequest, notFound } from './outcomes.js';

/** 400 unless `type` is an R4 resource type (404 for reads, where the type is part of an address). */
export function assertResourceType(type: string, forRead = false): void {
  if (isKnownResourceType(type)) return;
  const message = `Unknown resource type "${type.slice(0, 80)}"`;
  throw forRead ? notFound(message) : badRequest(message);
}

/**
 * 400 unless `body` is a JSON object with a known `resourceType`, equal to `expectedType` when given.
 * `where` prefixes expressions, e.g. `Bundle.entry[3].resource`.
 */
export function asResource(body: unknown, expectedType?: string, where = ''): Resource {
  const at = (path: string) => (where ? `${where}.${path}` : path);
  if (body === undefined || body === null) throw badRequest('A resource is required', where || undefined);
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('A resource must be a JSON object', where || undefined);
  const resourceType = (body as { resourceType?: unknown }).resourceType;
  if (typeof resourceType !== 'string') throw badRequest('The resource has no resourceType', at('resourceType'));
  if (!isKnownResourceType(resourceType)) throw badRequest(`Unknown resource type "${resourceType.slice(0, 80)}"`, at('resourceType'));
  if (expectedType !== undefined && resourceType !== expectedType) {
    throw badRequest(`resourceType "${resourceType}" does not match "${expectedType}" in the URL`, at('resourceType'));
  }
  const id = (body as { id?: unknown }).id;
  if (id !== undefined && (typeof id !== 'string' || !assertValidId(id, at('id')))) throw badRequest('id must be a string', at('id'));
  return body as Resource;
}
