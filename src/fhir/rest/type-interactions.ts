/**
 * Type-level REST interactions: create (plain and conditional) and search.
 * @see https://hl7.org/fhir/R4/http.html#create
 */
import { restSource, withSource } from '../../lineage/source-uri.js';
import { newId } from '../ids.js';
import { preconditionFailed } from '../outcomes.js';
import { asResource } from '../resource-body.js';
import { findConditionalMatches } from './conditional.js';
import { parsePrefer } from './prefer.js';
import { collectIncludes } from './search-includes.js';
import { searchBundle } from './searchset.js';
import type { FhirContext, FhirRequest, FhirResponse } from './types.js';
import { versionHeaders, writeResponse } from './write-response.js';
import { checkWrite } from './write-validation.js';
import { parseSearchQuery } from '../../search/parse-query.js';

/**
 * POST [type]: the server assigns the id (a client id in the body is ignored, as the spec says) and meta.source
 * names the request. The body is validated first, even when If-None-Exist then matches: an invalid request is
 * refused whatever it would do.
 */
export async function createResource(ctx: FhirContext, req: FhirRequest, type: string): Promise<FhirResponse> {
  const body = asResource(req.body, type);
  const resource = withSource({ ...body, id: newId() }, restSource(body.meta?.source, ctx.requestId));
  const issues = checkWrite(ctx.validateWrites, resource, ctx.subscriptionEndpoints);
  const prefer = parsePrefer(req.headers.prefer);
  if (req.headers.ifNoneExist !== undefined) {
    const matches = await findConditionalMatches(ctx.store, type, req.headers.ifNoneExist.replace(/^[^?]*\?/, ''), 'If-None-Exist');
    if (matches.length > 1) throw preconditionFailed(`If-None-Exist "${req.headers.ifNoneExist}" matches more than one ${type}`, 'If-None-Exist');
    if (matches.length === 1) {
      const existing = await ctx.store.read(type, matches[0]);
      const response = writeResponse(200, existing, ctx.baseUrl, prefer, `${type}/${existing.id} already exists`);
      return { ...response, headers: { ...response.headers, ...versionHeaders(existing) } };
    }
  }
  const stored = await ctx.store.create(resource);
  return writeResponse(201, stored, ctx.baseUrl, prefer, `Created ${type}/${stored.id}`, issues);
}

/** GET [type]?… : a searchset Bundle with `total`, `self` and `next` links, and what `_include`/`_revinclude` bring in. */
export async function searchType(ctx: FhirContext, req: FhirRequest, type: string): Promise<FhirResponse> {
  const prefer = parsePrefer(req.headers.prefer);
  const search = parseSearchQuery(type, req.query, { strict: prefer.strict });
  const result = await ctx.store.search(search.query);
  const included = await collectIncludes(ctx.store, search.includes, result.resources);
  return { status: 200, body: searchBundle(ctx.baseUrl, type, search, result, included) };
}
