/**
 * Bulk Data `$export` kick-off at the system (`[base]/$export`), patient (`[base]/Patient/$export`) and group
 * (`[base]/Group/{id}/$export`) levels, by GET with query parameters or POST with a Parameters resource. Every
 * parameter is checked now (export-request.ts) and a Group must exist, so a bad request is a 400 or 404 at once
 * and never a failed job later. The export runs as a job: 202 and `Content-Location` naming its status URL
 * (`/_jobs/{id}`), which answers 202 with `X-Progress`, then the manifest; DELETE there cancels it or, once
 * complete, removes its files.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html
 */
import type { OperationDefinition, Parameters } from 'fhir/r4.js';
import { groupMembers } from '../src/export/export-scope.js';
import { parseExportRequest, type ExportLevel } from '../src/export/export-request.js';
import { allOk, badRequest } from '../src/fhir/outcomes.js';
import type { FhirOperation, OperationTarget } from '../src/fhir/rest/operation.js';
import { parsePrefer } from '../src/fhir/rest/prefer.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../src/fhir/rest/types.js';

const text = (name: string, documentation: string) => ({ name, use: 'in' as const, min: 0, max: '1', type: 'string' as const, documentation });

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  id: 'export',
  url: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export',
  name: 'Export',
  status: 'active',
  kind: 'operation',
  code: 'export',
  affectsState: false,
  system: true,
  type: true,
  instance: true,
  resource: ['Patient', 'Group'],
  description: 'Bulk Data export (STU2) of the whole store, of every patient\'s compartment, or of a Group\'s members, as NDJSON files per type; asynchronous (Prefer: respond-async).',
  parameter: [
    text('_outputFormat', 'application/fhir+ndjson (the default and only format)'),
    { name: '_since', use: 'in', min: 0, max: '1', type: 'instant', documentation: 'Only resources changed at or after this instant; deletions are listed in the manifest\'s deleted files' },
    text('_type', 'Comma-separated resource types to export'),
    { name: '_typeFilter', use: 'in', min: 0, max: '*', type: 'string', documentation: 'Type?search: a resource of that type is exported when one of its type\'s searches matches' },
    text('_elements', 'Comma-separated top-level elements to keep (name, or Type.name); mandatory ones stay; such resources are tagged SUBSETTED'),
    { name: 'patient', use: 'in', min: 0, max: '*', type: 'Reference', documentation: 'POST, Patient and Group levels: only these patients' },
    text('_deidentify', 'A de-identification profile (safe-harbor | shifted) every resource is written through; needs MEDGEN_DEID_KEY'),
  ],
};

/** The parameters of a GET's query string or a POSTed Parameters resource, each name with all its values. */
function parametersOf(req: FhirRequest): Map<string, string[]> {
  const params = new Map<string, string[]>();
  const add = (name: string, value: string) => params.set(name, [...(params.get(name) ?? []), value]);
  if (req.method === 'GET' || req.method === 'HEAD') {
    for (const [name, value] of req.query) add(name, value);
    return params;
  }
  const body = req.body as Parameters | undefined;
  if (body === undefined) return params;
  if (body?.resourceType !== 'Parameters') throw badRequest('POST $export takes a Parameters resource', 'resourceType');
  for (const p of body.parameter ?? []) {
    const value = p.valueString ?? p.valueInstant ?? p.valueDateTime ?? p.valueCode ?? p.valueReference?.reference;
    if (typeof p.name !== 'string' || typeof value !== 'string') throw badRequest(`Parameter ${JSON.stringify(p.name ?? '').slice(0, 80)} has no string, instant, code or Reference value`, 'Parameters.parameter');
    add(p.name, value);
  }
  return params;
}

function levelOf(target: OperationTarget): ExportLevel {
  if (target.resourceType === undefined) return 'system';
  if (target.resourceType === 'Patient' && target.id === undefined) return 'patient';
  if (target.resourceType === 'Group' && target.id !== undefined) return 'group';
  throw badRequest(`$export runs on the system, on Patient, or on a Group instance, not on ${target.resourceType}${target.id === undefined ? '' : '/{id}'}`);
}

/** The kick-off request as the manifest repeats it. */
function requestUrl(ctx: FhirContext, req: FhirRequest): string {
  const query = req.method === 'GET' ? req.query.toString() : '';
  return `${ctx.baseUrl}/${req.segments.map(encodeURIComponent).join('/').replaceAll('%24', '$')}${query ? `?${query}` : ''}`;
}

async function handler(ctx: FhirContext, req: FhirRequest, target: OperationTarget): Promise<FhirResponse> {
  if (req.method !== 'GET' && req.method !== 'POST') throw badRequest('$export takes GET or POST');
  const level = levelOf(target);
  if (!parsePrefer(req.headers.prefer).respondAsync) throw badRequest('$export runs asynchronously: send Prefer: respond-async', 'Prefer');
  const request = parseExportRequest(level, parametersOf(req), target.id, ctx.deidKey);
  if (level === 'group') await groupMembers(ctx.store, target.id as string);
  const record = await ctx.jobs.submit('export', { export: request, request: requestUrl(ctx, req) });
  return { status: 202, headers: { 'Content-Location': `${ctx.baseUrl}/_jobs/${record.id}` }, body: allOk(`Export job ${record.id} accepted`) };
}

export const exportOperation: FhirOperation = { code: 'export', definition, handler };
