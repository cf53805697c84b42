/**
 * Type-level (`GET [type]/_history`) and system-level (`GET /_history`) history: every version newest first,
 * `_since` (an instant), `_count` and `_offset` paging with `next`/`previous` links, like a searchset's.
 * `_at` and `_list` are refused rather than ignored: ignoring them would answer more than was asked.
 * @see https://hl7.org/fhir/R4/http.html#history
 */
import type { BundleLink } from 'fhir/r4.js';
import { DEFAULT_COUNT, parseCount, parseOffset } from '../../search/result-params.js';
import { badRequest } from '../outcomes.js';
import { historyBundle } from './history-bundle.js';
import { pageLink } from './searchset.js';
import type { FhirContext, FhirRequest, FhirResponse } from './types.js';

const UNSUPPORTED = new Set(['_at', '_list']);

/** An instant with a time zone, as R4's `_since` is; a date-time without one would mean a different moment per server. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function parseSince(value: string): number {
  const at = INSTANT.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(at)) throw badRequest(`_since must be an instant such as 2024-01-31T12:00:00Z, not "${value.slice(0, 80)}"`, '_since');
  return at;
}

/** The history of `type` (every type when null). */
export async function historyOf(ctx: FhirContext, req: FhirRequest, type: string | null): Promise<FhirResponse> {
  for (const name of req.query.keys()) if (UNSUPPORTED.has(name)) throw badRequest(`${name} is not supported on history`, name);
  const since = req.query.get('_since');
  const count = req.query.has('_count') ? parseCount(req.query.get('_count') as string) : DEFAULT_COUNT;
  const offset = req.query.has('_offset') ? parseOffset(req.query.get('_offset') as string) : 0;
  const { versions, total } = await ctx.store.historyPage(type, { since: since === null ? undefined : parseSince(since), count, offset });
  const base = `${ctx.baseUrl}/${type === null ? '' : `${type}/`}_history`;
  const link: BundleLink[] = [{ relation: 'self', url: pageLink(base, req.query, offset) }];
  if (offset + versions.length < total && count > 0) link.push({ relation: 'next', url: pageLink(base, req.query, offset + count) });
  if (offset > 0) link.push({ relation: 'previous', url: pageLink(base, req.query, Math.max(0, offset - count)) });
  return { status: 200, body: { ...historyBundle(ctx.baseUrl, versions), total, link } };
}
