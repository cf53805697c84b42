/**
 * Transactions: all or nothing. Every entry is checked, given its id, its references resolved and its
 * resource validated (write-validation.ts) and its meta.source set to name the request, before anything is
 * written; then one atomic store write applies deletes, creates and updates (the spec's order), and reads run last.
 * @see https://hl7.org/fhir/R4/http.html#trules
 */
import type { Bundle, BundleEntry, Resource } from 'fhir/r4.js';
import { restSource, withSource } from '../../lineage/source-uri.js';
import type { WriteOp } from '../../store/resource-store.js';
import { newId, parseETag } from '../ids.js';
import { badRequest, OperationOutcomeError, preconditionFailed, toOperationOutcomeError } from '../outcomes.js';
import { WriteOpError } from '../../store/store-errors.js';
import { dispatch } from '../rest/dispatch.js';
import { parsePrefer } from '../rest/prefer.js';
import type { FhirContext, FhirRequest } from '../rest/types.js';
import type { EntryRequest } from './entry-request.js';
import { ReferenceResolver } from './reference-resolver.js';
import { errorEntry, responseEntry, statusLine, storedEntry } from './response-entry.js';
import { checkTransactionWrites } from '../rest/write-validation.js';

/** What one write entry turned into after planning. */
type Plan =
  | { kind: 'write'; entry: EntryRequest; op: WriteOp }
  | { kind: 'matched'; entry: EntryRequest; type: string; id: string }
  | { kind: 'noop'; entry: EntryRequest };

const ORDER: Record<string, number> = { DELETE: 0, POST: 1, PUT: 2 };

async function planEntry(ctx: FhirContext, resolver: ReferenceResolver, entry: EntryRequest): Promise<Plan> {
  const [type, id] = entry.segments;
  const search = entry.query.toString();
  if (entry.method === 'POST') {
    if (entry.ifNoneExist !== undefined) {
      const ids = await resolver.matchConditional(type, entry.ifNoneExist.replace(/^[^?]*\?/, ''), `${entry.where}.request.ifNoneExist`);
      if (ids.length > 1) throw preconditionFailed(`ifNoneExist "${entry.ifNoneExist}" matches more than one ${type}`, `${entry.where}.request.ifNoneExist`);
      if (ids.length === 1) {
        resolver.plan(entry.fullUrl, { type, id: ids[0] });
        return { kind: 'matched', entry, type, id: ids[0] };
      }
    }
    const resource = withSource({ ...entry.resource!, id: newId() }, restSource(entry.resource!.meta?.source, ctx.requestId)) as Resource & { id: string };
    resolver.plan(entry.fullUrl, { type, id: resource.id, resource });
    return { kind: 'write', entry, op: { op: 'create', resource } };
  }
  const targetId = id ?? (await conditionalTarget(resolver, type, search, entry));
  if (entry.method === 'PUT') {
    const finalId = targetId ?? entry.resource!.id ?? newId();
    if (id !== undefined && entry.resource!.id !== undefined && entry.resource!.id !== id) {
      throw badRequest(`The resource id "${entry.resource!.id}" does not match "${id}" in the url`, `${entry.where}.resource.id`);
    }
    const resource = withSource({ ...entry.resource!, id: finalId }, restSource(entry.resource!.meta?.source, ctx.requestId)) as Resource & { id: string };
    resolver.plan(entry.fullUrl, { type, id: finalId, resource });
    return { kind: 'write', entry, op: { op: 'put', resource, ifMatch: parseETag(entry.ifMatch) } };
  }
  if (targetId === undefined) return { kind: 'noop', entry };
  return { kind: 'write', entry, op: { op: 'delete', resourceType: type, id: targetId, ifMatch: parseETag(entry.ifMatch) } };
}

/** Conditional update/delete (`Type?params`): the one match, undefined for none, 412 for many. */
async function conditionalTarget(resolver: ReferenceResolver, type: string, search: string, entry: EntryRequest): Promise<string | undefined> {
  if (!search) throw badRequest(`A ${entry.method} entry needs Type/id or Type?search in its url`, `${entry.where}.request.url`);
  const ids = await resolver.matchConditional(type, search, `${entry.where}.request.url`);
  if (ids.length > 1) throw preconditionFailed(`Conditional ${entry.method} "${type}?${search}" matches more than one resource`, `${entry.where}.request.url`);
  return ids[0];
}

/** The store's error for one op, located at the bundle entry the op came from. */
function atEntry(err: WriteOpError, where: string): OperationOutcomeError {
  const issue = (err.outcome.issue ?? []).map((i) => ({ ...i, expression: i.expression?.length ? i.expression : [where] }));
  return new OperationOutcomeError(err.status, { ...err.outcome, issue });
}

function checkDistinctTargets(plans: Plan[]): void {
  const seen = new Map<string, number>();
  for (const plan of plans) {
    if (plan.kind !== 'write') continue;
    const key = plan.op.op === 'delete' ? `${plan.op.resourceType}/${plan.op.id}` : `${plan.op.resource.resourceType}/${plan.op.resource.id}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) throw badRequest(`Entries ${earlier} and ${plan.entry.index} both change ${key}`, `${plan.entry.where}.request.url`);
    seen.set(key, plan.entry.index);
  }
}

export async function processTransaction(ctx: FhirContext, req: FhirRequest, entries: EntryRequest[]): Promise<Bundle> {
  const resolver = new ReferenceResolver(ctx.store, ctx.baseUrl);
  const writes = entries.filter((e) => e.method in ORDER).sort((a, b) => ORDER[a.method] - ORDER[b.method] || a.index - b.index);
  const plans: Plan[] = [];
  for (const entry of writes) plans.push(await planEntry(ctx, resolver, entry));
  checkDistinctTargets(plans);
  for (const plan of plans) {
    if (plan.kind === 'write' && plan.op.op !== 'delete') await resolver.rewrite(plan.op.resource, `${plan.entry.where}.resource`);
  }
  const writePlans = plans.filter((p): p is Extract<Plan, { kind: 'write' }> => p.kind === 'write');
  // Validated once references are resolved, as an import validates: a literal reference's type is judged.
  const issues = checkTransactionWrites(
    ctx.validateWrites,
    writePlans.flatMap((p) => (p.op.op === 'delete' ? [] : [{ where: p.entry.where, resource: p.op.resource }])),
    ctx.subscriptionEndpoints,
  );
  let results;
  try {
    results = await ctx.store.write(writePlans.map((p) => p.op), { atomic: true });
  } catch (err) {
    if (err instanceof WriteOpError) throw atEntry(err, writePlans[err.index].entry.where);
    throw err;
  }
  const includeResource = parsePrefer(req.headers.prefer).return === 'representation';
  const response: BundleEntry[] = new Array(entries.length);
  writePlans.forEach((plan, i) => {
    const result = results[i];
    response[plan.entry.index] = result.resource
      ? storedEntry(result.status === 'created' ? 201 : 200, result.resource, ctx.baseUrl, includeResource, issues.get(plan.entry.where))
      : { response: { status: statusLine(result.status === 'deleted' ? 204 : 200) } };
  });
  for (const plan of plans) {
    if (plan.kind === 'matched') response[plan.entry.index] = storedEntry(200, await ctx.store.read(plan.type, plan.id), ctx.baseUrl, includeResource);
    if (plan.kind === 'noop') response[plan.entry.index] = { response: { status: statusLine(204) } };
  }
  for (const entry of entries) {
    if (entry.method !== 'GET' && entry.method !== 'HEAD') continue;
    try {
      response[entry.index] = responseEntry(await dispatch(ctx, { method: entry.method, segments: entry.segments, query: entry.query, headers: {} }));
    } catch (err) {
      const e = toOperationOutcomeError(err);
      response[entry.index] = errorEntry(e.status, e.outcome);
    }
  }
  return { resourceType: 'Bundle', id: newId(), type: 'transaction-response', entry: response };
}
