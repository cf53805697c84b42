/**
 * Reading the `request` of a transaction or batch entry: method, url (relative, or absolute on this
 * server's base), conditional headers, and the resource. Errors name the entry (`Bundle.entry[i]`).
 * @see https://hl7.org/fhir/R4/bundle.html#transaction
 */
import type { BundleEntry, Resource } from 'fhir/r4.js';
import { badRequest } from '../outcomes.js';
import { asResource } from '../resource-body.js';

export type EntryMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
const METHODS = new Set<string>(['GET', 'HEAD', 'POST', 'PUT', 'DELETE']);

export interface EntryRequest {
  index: number;
  /** `Bundle.entry[i]`, the prefix of every expression about this entry. */
  where: string;
  method: EntryMethod;
  segments: string[];
  query: URLSearchParams;
  fullUrl?: string;
  resource?: Resource;
  ifNoneExist?: string;
  ifMatch?: string;
}

/** Splits an entry url into decoded path segments and query, accepting absolute urls on `baseUrl`. */
function splitUrl(url: string, baseUrl: string, where: string): { segments: string[]; query: URLSearchParams } {
  let relative = url;
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
    if (!url.startsWith(`${baseUrl}/`)) throw badRequest(`Entry url "${url.slice(0, 200)}" is not on this server`, `${where}.request.url`);
    relative = url.slice(baseUrl.length + 1);
  }
  const q = relative.indexOf('?');
  const path = q < 0 ? relative : relative.slice(0, q);
  try {
    const segments = path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
    return { segments, query: new URLSearchParams(q < 0 ? '' : relative.slice(q + 1)) };
  } catch {
    throw badRequest(`Entry url "${url.slice(0, 200)}" is not a valid URL`, `${where}.request.url`);
  }
}

export function parseEntryRequest(entry: unknown, index: number, baseUrl: string): EntryRequest {
  const where = `Bundle.entry[${index}]`;
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw badRequest('A Bundle entry must be an object', where);
  const { request, resource, fullUrl } = entry as BundleEntry;
  if (!request || typeof request !== 'object') throw badRequest('The entry has no request', `${where}.request`);
  const method = typeof request.method === 'string' ? request.method.toUpperCase() : '';
  if (!METHODS.has(method)) throw badRequest(`Unsupported request method "${String(request.method).slice(0, 20)}"`, `${where}.request.method`);
  if (typeof request.url !== 'string' || request.url === '') throw badRequest('The entry request has no url', `${where}.request.url`);
  const { segments, query } = splitUrl(request.url, baseUrl, where);
  if (segments.length === 0) throw badRequest(`Entry url "${request.url}" names no resource type`, `${where}.request.url`);
  const needsBody = method === 'POST' || method === 'PUT';
  if (needsBody && resource === undefined) throw badRequest(`A ${method} entry needs a resource`, `${where}.resource`);
  return {
    index,
    where,
    method: method as EntryMethod,
    segments,
    query,
    fullUrl: typeof fullUrl === 'string' ? fullUrl : undefined,
    resource: needsBody ? asResource(resource, segments[0].startsWith('$') ? undefined : segments[0], `${where}.resource`) : undefined,
    ifNoneExist: typeof request.ifNoneExist === 'string' ? request.ifNoneExist : undefined,
    ifMatch: typeof request.ifMatch === 'string' ? request.ifMatch : undefined,
  };
}
