/**
 * `GET Patient/{id}/$everything`: the patient's record as a searchset Bundle, the Patient, its compartment, and
 * what those reference, never another patient's resources (src/export/patient-everything.ts). `_type` and
 * `_since` select from that whole set, so `_type=Practitioner` gives the patient's practitioners. Each page
 * computes the set again in the same order and answers the `_offset`…`_offset + _count` slice: nothing is kept
 * between requests, and pages fit together as long as the record does not change meanwhile (as with a
 * search's `_offset` paging). GET only: the operation changes nothing and its parameters are all simple.
 * @see https://hl7.org/fhir/R4/patient-operation-everything.html
 */
import type { OperationDefinition } from 'fhir/r4.js';
import { parseEverythingRequest } from '../src/export/everything-request.js';
import { patientEverything } from '../src/export/patient-everything.js';
import { badRequest } from '../src/fhir/outcomes.js';
import type { FhirOperation, OperationTarget } from '../src/fhir/rest/operation.js';
import { parsePrefer } from '../src/fhir/rest/prefer.js';
import { searchBundle } from '../src/fhir/rest/searchset.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../src/fhir/rest/types.js';

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  id: 'everything',
  url: 'http://hl7.org/fhir/OperationDefinition/Patient-everything',
  name: 'Everything',
  status: 'active',
  kind: 'operation',
  code: 'everything',
  affectsState: false,
  system: false,
  type: false,
  instance: true,
  resource: ['Patient'],
  description: 'A patient\'s compartment and the resources it references (never another patient\'s), as a paged searchset Bundle. The start and end parameters are not supported.',
  parameter: [
    { name: '_since', use: 'in', min: 0, max: '1', type: 'instant', documentation: 'Only resources whose meta.lastUpdated is at or after this instant' },
    { name: '_type', use: 'in', min: 0, max: '*', type: 'code', documentation: 'Comma-separated resource types to return (the Patient only when Patient is listed)' },
    { name: '_count', use: 'in', min: 0, max: '1', type: 'integer', documentation: 'Page size (default 20, at most 1000); the next link pages with _offset' },
    { name: 'return', use: 'out', min: 1, max: '1', type: 'Bundle', documentation: 'A searchset Bundle' },
  ],
};

async function handler(ctx: FhirContext, req: FhirRequest, target: OperationTarget): Promise<FhirResponse> {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw badRequest('$everything takes GET');
  if (target.resourceType !== 'Patient' || target.id === undefined) throw badRequest('$everything runs on a Patient instance: GET Patient/{id}/$everything');
  const request = parseEverythingRequest(req.query, parsePrefer(req.headers.prefer).strict);
  const since = request.since === undefined ? undefined : Date.parse(request.since);
  const selected = (await patientEverything(ctx.store, target.id)).filter(
    (r) => (request.types === undefined || request.types.includes(r.resourceType)) && (since === undefined || Date.parse(r.meta.lastUpdated) >= since),
  );
  const page = selected.slice(request.offset, request.offset + request.count);
  // _count=0 asks for the total only, as _summary=count does: no next link that would never advance.
  const query = { resourceType: 'Patient', criteria: [], sort: [], count: request.count, offset: request.offset, summaryCount: request.count === 0 };
  const search = { query, ignored: request.ignored, includes: [], summary: 'false' as const, linkParams: request.linkParams };
  const path = `Patient/${target.id}/$everything`;
  return { status: 200, body: searchBundle(ctx.baseUrl, path, search, { resources: page, total: selected.length }, { resources: [], notes: [] }) };
}

export const everythingOperation: FhirOperation = { code: 'everything', definition, handler };
