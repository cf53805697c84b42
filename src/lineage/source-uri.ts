/**
 * The `meta.source` values lineage writes, and reading them back ($lineage, tests). One place owns the
 * formats so every job stamps the same shape and `_source` searches can rely on it:
 * - an import: `urn:medgen:job:{jobId}/{file}#entry-N` (or `#line-N`), the file URI-encoded;
 * - any other job: `urn:medgen:job:{jobId}`;
 * - a REST write: `{client's meta.source without fragment, or urn:medgen:rest}#request-{requestId}`.
 * `_source` (a uri parameter) matches the whole value, fragment included; `_source:below=urn:medgen:job:ID/file`
 * finds a file's resources and `_source:below=urn:medgen:job:ID` a job's.
 * @see https://hl7.org/fhir/R4/resource-definitions.html#Meta.source
 */
import { randomBytes } from 'node:crypto';
import type { Resource } from 'fhir/r4.js';

export const JOB_SOURCE_PREFIX = 'urn:medgen:job:';
export const REST_SOURCE = 'urn:medgen:rest';
/** The file name of an input that was a request body, not a file. */
export const REQUEST_BODY = 'request-body';

/** What a request id (ours or a client's X-Request-Id) may hold: safe in a URI fragment and a header. */
export const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * An id for a run that is no stored job (the CLI, a synchronous operation): `cli-` and the start time (base 36, so
 * runs sort by it) and 32 random bits. Short because every resource of the run names it in meta.source, and so in
 * its JSON and in the `_source` index (a uuid there made a 48,000-resource import's database 3 MB larger).
 */
export const runId = (prefix = 'cli'): string => `${prefix}-${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;

export const jobSource = (jobId: string): string => `${JOB_SOURCE_PREFIX}${jobId}`;

export const fileSource = (jobId: string, file: string): string => `${jobSource(jobId)}/${encodeURIComponent(file)}`;

/** Where in its file an entry was: a Bundle entry index or an NDJSON line; nothing for a lone resource. */
export function entrySource(file: string, where: { index?: number; line?: number }): string {
  if (where.index !== undefined) return `${file}#entry-${where.index}`;
  if (where.line !== undefined) return `${file}#line-${where.line}`;
  return file;
}

export function withoutFragment(uri: string): string {
  const hash = uri.indexOf('#');
  return hash < 0 ? uri : uri.slice(0, hash);
}

/** A REST write's source: the client's own (its fragment replaced) or ours, naming the request. */
export function restSource(clientSource: unknown, requestId: string): string {
  const base = typeof clientSource === 'string' && clientSource.length > 0 ? withoutFragment(clientSource) : '';
  return `${base || REST_SOURCE}#request-${requestId}`;
}

/** The resource with `meta.source` set; the other meta elements kept, the resource itself not changed. */
export function withSource<T extends Resource>(resource: T, source: string): T {
  return { ...resource, meta: { ...resource.meta, source } };
}

/** What a source written here says; an empty object for a source of another shape. */
export interface ParsedSource {
  jobId?: string;
  /** The input file (decoded), for an import. */
  file?: string;
  /** `entry-N` or `line-N`, for an import. */
  position?: string;
  requestId?: string;
}

export function parseSource(source: string | undefined): ParsedSource {
  if (source === undefined) return {};
  const hash = source.indexOf('#');
  const fragment = hash < 0 ? undefined : source.slice(hash + 1);
  const base = hash < 0 ? source : source.slice(0, hash);
  if (fragment?.startsWith('request-')) return { requestId: fragment.slice('request-'.length) };
  if (!base.startsWith(JOB_SOURCE_PREFIX)) return {};
  const rest = base.slice(JOB_SOURCE_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash < 0) return { jobId: rest };
  let file: string;
  try {
    file = decodeURIComponent(rest.slice(slash + 1));
  } catch {
    file = rest.slice(slash + 1);
  }
  return { jobId: rest.slice(0, slash), file, position: fragment };
}
