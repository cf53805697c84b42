/**
 * `$validate` at system, type and instance level: the body is a resource, or a Parameters with `resource`,
 * `mode` (create | update | delete) and `profile`. Validation findings travel inside a 200 OperationOutcome;
 * only input that cannot be validated at all (not FHIR, no resource, unknown type) answers 4xx.
 * Missing reference targets are warnings here; deletion checks who still references the instance.
 * @see https://hl7.org/fhir/R4/resource-operation-validate.html
 */
import type { OperationDefinition, OperationOutcomeIssue, Parameters, Resource } from 'fhir/r4.js';
import { badRequest, issue, outcome } from '../src/fhir/outcomes.js';
import type { FhirOperation, OperationTarget } from '../src/fhir/rest/operation.js';
import type { FhirContext } from '../src/fhir/rest/types.js';
import { isResourceType } from '../src/validation/fhir-schema.js';
import { checkPartOfCycle, checkReferenceTargets } from '../src/validation/reference-targets.js';
import { validateResource } from '../src/validation/validate-resource.js';

const MODES = new Set(['create', 'update', 'delete']);

const definition = {
  resourceType: 'OperationDefinition',
  id: 'validate',
  url: 'http://hl7.org/fhir/OperationDefinition/Resource-validate',
  name: 'Validate',
  status: 'active',
  kind: 'operation',
  code: 'validate',
  resource: ['Resource'],
  system: true,
  type: true,
  instance: true,
  parameter: [
    { name: 'resource', use: 'in', min: 0, max: '1', type: 'Resource' },
    { name: 'mode', use: 'in', min: 0, max: '1', type: 'code' },
    { name: 'profile', use: 'in', min: 0, max: '1', type: 'uri' },
    { name: 'return', use: 'out', min: 1, max: '1', type: 'OperationOutcome' },
  ],
} as OperationDefinition;

export interface ValidateRequest {
  resource?: Record<string, unknown>;
  mode?: string;
  profile?: string;
}

/** Reads the body: a Parameters (resource, mode, profile) or the resource itself. */
export function readValidateRequest(body: unknown): ValidateRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || typeof (body as Resource).resourceType !== 'string') {
    throw badRequest('$validate needs a FHIR resource or a Parameters resource as its body');
  }
  if ((body as Resource).resourceType !== 'Parameters') return { resource: body as Record<string, unknown> };
  const request: ValidateRequest = {};
  for (const p of (body as Parameters).parameter ?? []) {
    if (p.name === 'resource') request.resource = p.resource as unknown as Record<string, unknown>;
    else if (p.name === 'mode') request.mode = p.valueCode ?? p.valueString;
    else if (p.name === 'profile') request.profile = p.valueUri ?? p.valueCanonical ?? p.valueString;
  }
  if (request.mode !== undefined && !MODES.has(request.mode)) throw badRequest(`mode must be create, update or delete, got '${request.mode}'`, 'Parameters.parameter');
  return request;
}

async function exists(ctx: FhirContext, type: string, id: string): Promise<boolean> {
  try {
    await ctx.store.read(type, id);
    return true;
  } catch {
    return false;
  }
}

/** The worker: validates as the request asks, against the store for references and deletions. */
export async function validateRequest(ctx: FhirContext, request: ValidateRequest, target: OperationTarget): Promise<OperationOutcomeIssue[]> {
  if (request.mode === 'delete') {
    if (!target.resourceType || !target.id) throw badRequest('mode=delete needs an instance: POST [type]/[id]/$validate');
    const referrers = await ctx.store.referencesTo(target.resourceType, target.id);
    return referrers.map((r) => issue('warning', 'business-rule', `${r.resourceType}/${r.id} still references this resource`, `${r.resourceType}.${r.path.replace(/^[A-Z][A-Za-z]+\./, '')}`));
  }
  const resource = request.resource;
  if (!resource) throw badRequest('No resource to validate (Parameters without a resource parameter)', 'Parameters.parameter');
  const type = resource.resourceType;
  if (typeof type !== 'string' || !isResourceType(type)) throw badRequest(`Unknown resource type '${String(type).slice(0, 64)}'`, 'resourceType');
  if (target.resourceType && target.resourceType !== type) throw badRequest(`Resource type ${type} does not match the endpoint's ${target.resourceType}`, 'resourceType');
  const issues = validateResource(resource, { profile: request.profile });
  if (issues.some((i) => i.severity === 'fatal')) return issues;
  if (request.mode === 'update' && target.id && resource.id !== target.id) {
    issues.push(issue('error', 'invalid', `Resource id must equal the instance id ${target.id} for mode=update`, `${type}.id`));
  }
  issues.push(...(await checkReferenceTargets(resource as { resourceType: string }, (t, id) => exists(ctx, t, id), 'warning')));
  issues.push(...(await checkPartOfCycle(resource as { resourceType: string }, async (t, id) => (await ctx.store.read(t, id).catch(() => undefined)) as Record<string, unknown> | undefined)));
  return issues;
}

/** `$validate` (see the file comment). */
export const validateOperation: FhirOperation = {
  code: 'validate',
  definition,
  async handler(ctx, req, target) {
    const issues = await validateRequest(ctx, readValidateRequest(req.body), target);
    return { status: 200, body: outcome(...(issues.length > 0 ? issues : [issue('information', 'informational', 'Validation successful: no issues')])) };
  },
};
