/**
 * `POST [base]/$subset` (`count`, `seed`, `where`, `deidentify`): N patients drawn from the store
 * (src/export/subset.ts), exported as a Patient export of just them: their compartments and what those reference,
 * shared resources once, re-importable, de-identified when asked. The patients are drawn at once, so a bad
 * `where`, a store with no match or `deidentify` without a key is answered now; the export runs as a job (202 and
 * `Content-Location`, then the Bulk Data manifest at `/_jobs/{id}`).
 */
import type { OperationDefinition, Parameters } from 'fhir/r4.js';
import { choosePatients, parseSubsetRequest, subsetExport } from '../src/export/subset.js';
import { allOk, badRequest } from '../src/fhir/outcomes.js';
import type { FhirOperation } from '../src/fhir/rest/operation.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../src/fhir/rest/types.js';

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  id: 'subset',
  url: 'urn:medgen-data:OperationDefinition/subset',
  name: 'Subset',
  status: 'active',
  kind: 'operation',
  code: 'subset',
  affectsState: false,
  system: true,
  type: false,
  instance: false,
  description: 'Exports N patients (the same for the same seed and data), optionally only those with a resource matching a search, with everything their records reference: a slice that imports on its own. Runs as a job.',
  parameter: [
    { name: 'count', use: 'in', min: 1, max: '1', type: 'positiveInt', documentation: 'How many patients (at most 100,000)' },
    { name: 'seed', use: 'in', min: 0, max: '1', type: 'integer', documentation: 'The same seed draws the same patients from the same data (default 1)' },
    { name: 'where', use: 'in', min: 0, max: '1', type: 'string', documentation: 'Type?search of the Patient compartment, e.g. Condition?code=44054006: only patients with a match' },
    { name: 'deidentify', use: 'in', min: 0, max: '1', type: 'code', documentation: 'A de-identification profile (safe-harbor | shifted) the slice is written through (also as _deidentify); needs MEDGEN_DEID_KEY' },
  ],
};

/** A parameter from the query string or the POSTed Parameters (a number given as a number or as text). */
function parameterOf(req: FhirRequest): (name: string) => string | undefined {
  const body = req.body as Parameters | undefined;
  if (body !== undefined && body?.resourceType !== 'Parameters') throw badRequest('POST $subset takes a Parameters resource', 'resourceType');
  return (name) => {
    const p = body?.parameter?.find((x) => x.name === name);
    const value = p?.valueInteger ?? p?.valuePositiveInt ?? p?.valueUnsignedInt ?? p?.valueString ?? p?.valueCode ?? p?.valueDecimal;
    return value !== undefined ? String(value) : (req.query.get(name) ?? undefined);
  };
}

async function handler(ctx: FhirContext, req: FhirRequest): Promise<FhirResponse> {
  if (req.method !== 'POST') throw badRequest('$subset takes POST');
  const request = parseSubsetRequest(parameterOf(req), ctx.deidKey);
  const patients = await choosePatients(ctx.store, request);
  const record = await ctx.jobs.submit('export', { export: subsetExport(patients, request.deidentify), request: `${ctx.baseUrl}/$subset`, subset: { ...request, patients: patients.length } });
  return { status: 202, headers: { 'Content-Location': `${ctx.baseUrl}/_jobs/${record.id}` }, body: allOk(`Subset of ${patients.length} patients: export job ${record.id} accepted`) };
}

export const subsetOperation: FhirOperation = { code: 'subset', definition, handler };
