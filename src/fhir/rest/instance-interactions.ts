/**
 * Instance-level REST interactions: read, vread, update, delete and history of one resource.
 * @see https://hl7.org/fhir/R4/http.html
 */
import { restSource, withSource } from '../../lineage/source-uri.js';
import { etagOf, parseETag } from '../ids.js';
import { allOk, badRequest } from '../outcomes.js';
import { asResource } from '../resource-body.js';
import { selectElements, summarise } from '../resource-subset.js';
import { parseElements, parseSummary } from '../../search/result-params.js';
import { historyBundle } from './history-bundle.js';
import { parsePrefer } from './prefer.js';
import type { FhirContext, FhirRequest, FhirResponse } from './types.js';
import { versionHeaders, writeResponse } from './write-response.js';
import { checkWrite } from './write-validation.js';

/** GET [type]/[id], cut down by `_summary=true|text|data` or `_elements` as a search's matches are. */
export async function readResource(ctx: FhirContext, req: FhirRequest, type: string, id: string): Promise<FhirResponse> {
  const summaryParam = req.query.get('_summary');
  const elementsParam = req.query.get('_elements');
  const summary = summaryParam === null ? 'false' : parseSummary(summaryParam);
  if (summary === 'count') throw badRequest('_summary=count applies to searches, not to a read', '_summary');
  const elements = elementsParam === null ? undefined : parseElements(elementsParam);
  const resource = await ctx.store.read(type, id);
  const summarised = summarise(resource, summary);
  return { status: 200, body: elements ? selectElements(summarised, elements) : summarised, headers: versionHeaders(resource) };
}

export async function vreadResource(ctx: FhirContext, type: string, id: string, versionId: string): Promise<FhirResponse> {
  const resource = await ctx.store.vread(type, id, versionId);
  return { status: 200, body: resource, headers: versionHeaders(resource) };
}

/**
 * PUT: the body's id must be present and equal the URL's; creates the resource when it does not exist. meta.source
 * names the request (after the client's own source, if it gave one); a resource whose content did not change
 * keeps its version and its source.
 */
export async function updateResource(ctx: FhirContext, req: FhirRequest, type: string, id: string): Promise<FhirResponse> {
  const resource = asResource(req.body, type);
  if (resource.id === undefined) throw badRequest('The resource must carry an id equal to the one in the URL', 'id');
  if (resource.id !== id) throw badRequest(`The resource id "${resource.id}" does not match "${id}" in the URL`, 'id');
  const ifMatch = req.headers.ifMatch === undefined ? undefined : parseETag(req.headers.ifMatch);
  if (req.headers.ifMatch !== undefined && ifMatch === undefined) throw badRequest('If-Match must be an ETag such as W/"1"');
  const stamped = withSource({ ...resource, id }, restSource(resource.meta?.source, ctx.requestId));
  const issues = checkWrite(ctx.validateWrites, stamped, ctx.subscriptionEndpoints);
  const { resource: stored, status } = await ctx.store.update(stamped, ifMatch);
  const created = status === 'created';
  return writeResponse(created ? 201 : 200, stored, ctx.baseUrl, parsePrefer(req.headers.prefer), `${status} ${type}/${id}`, issues);
}

export async function deleteResource(ctx: FhirContext, req: FhirRequest, type: string, id: string): Promise<FhirResponse> {
  const ifMatch = parseETag(req.headers.ifMatch);
  await ctx.store.delete(type, id, ifMatch);
  return { status: 200, body: allOk(`Deleted ${type}/${id}`) };
}

export async function resourceHistory(ctx: FhirContext, type: string, id: string): Promise<FhirResponse> {
  const versions = await ctx.store.history(type, id);
  const headers = versions[0] && !versions[0].deleted ? { ETag: etagOf(versions[0].versionId) } : undefined;
  return { status: 200, body: historyBundle(ctx.baseUrl, versions), headers };
}
