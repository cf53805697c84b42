/**
 * The query of `GET Patient/{id}/$everything`: `_type` and `_since` (checked as a Bulk export checks them, so
 * both operations accept and refuse the same values), `_count`, and `_offset`, the paging position the `next`
 * link carries. Invalid values are a 400 naming the parameter. Other parameters, `start` and `end` (care
 * dates, not implemented) included, are treated as a search treats what it does not support: ignored and
 * listed in the Bundle's OperationOutcome, or a 400 with `Prefer: handling=strict`.
 * @see https://hl7.org/fhir/R4/patient-operation-everything.html
 * @see https://hl7.org/fhir/R4/search.html#errors
 */
import { badRequest } from '../fhir/outcomes.js';
import { DEFAULT_COUNT, QUIET_PARAMS, parseCount, parseOffset } from '../search/result-params.js';
import { parseExportRequest } from './export-request.js';

export interface EverythingRequest {
  /** `_type`: only these types; every type when absent. */
  types?: string[];
  /** `_since`: only resources whose meta.lastUpdated is at or after this instant. */
  since?: string;
  count: number;
  offset: number;
  /** The parameters ignored, and why (lenient handling only). */
  ignored: { param: string; reason: string }[];
  /** The parameters for the `self` and `next` links: as written, less ignored ones and `_offset`. */
  linkParams: URLSearchParams;
}

const SELECTING = new Set(['_type', '_since']);

function single(name: string, values: string[]): string {
  if (values.length > 1) throw badRequest(`${name} is given more than once`, name);
  return values[0];
}

export function parseEverythingRequest(query: URLSearchParams, strict: boolean): EverythingRequest {
  const request: EverythingRequest = { count: DEFAULT_COUNT, offset: 0, ignored: [], linkParams: new URLSearchParams() };
  const selecting = new Map<string, string[]>();
  for (const name of new Set(query.keys())) {
    const values = query.getAll(name);
    if (SELECTING.has(name)) selecting.set(name, values);
    else if (name === '_count') request.count = parseCount(single(name, values));
    else if (name === '_offset') request.offset = parseOffset(single(name, values));
    else if (!QUIET_PARAMS.has(name)) {
      const reason = `$everything does not support the parameter ${JSON.stringify(name.slice(0, 80))}`;
      if (strict) throw badRequest(reason, name);
      request.ignored.push({ param: name, reason });
      continue;
    }
    if (name !== '_offset') for (const value of values) request.linkParams.append(name, value);
  }
  const { types, since } = parseExportRequest('patient', selecting);
  if (types) request.types = types;
  if (since) request.since = since;
  return request;
}
