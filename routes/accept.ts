/**
 * Content negotiation: the server writes FHIR JSON (and NDJSON for job files) only, so a client that accepts
 * none of it, by `Accept` or by `_format`, gets 406 rather than JSON it did not ask for.
 * @see https://hl7.org/fhir/R4/http.html#mime-type
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-15.5.7
 */
import type { Request } from 'express';
import { notAcceptable } from '../src/fhir/outcomes.js';
import { JSON_TYPES, NDJSON_TYPES } from '../src/fhir/request-body.js';

const WRITTEN = new Set([...JSON_TYPES, ...NDJSON_TYPES, '*/*', 'application/*', 'text/*']);
/** `_format` values that mean JSON: the short form and the media types. */
const JSON_FORMATS = new Set(['json', ...JSON_TYPES]);

/** Whether one media range of an Accept header (`application/fhir+json;q=0.9`) admits what we write. */
function admits(range: string): boolean {
  const [type, ...params] = range.split(';').map((p) => p.trim().toLowerCase());
  const q = params.find((p) => p.startsWith('q='));
  return WRITTEN.has(type) && (q === undefined || Number(q.slice(2)) > 0);
}

/** Throws 406 when `_format` or `Accept` rules out every type the server writes. */
export function assertAcceptable(req: Request, query: URLSearchParams): void {
  const format = query.get('_format');
  if (format !== null && !JSON_FORMATS.has(format.trim().toLowerCase())) {
    throw notAcceptable(`_format "${format.slice(0, 80)}" is not supported: this server writes FHIR JSON (_format=json)`);
  }
  const accept = req.headers.accept;
  if (accept && !accept.split(',').some(admits)) {
    throw notAcceptable(`Accept "${accept.slice(0, 120)}" admits nothing this server writes: use application/fhir+json`);
  }
}
