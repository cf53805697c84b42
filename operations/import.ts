/**
 * `POST [base]/$import`: a Bundle (transaction, batch or collection), a single resource, Parameters
 * (`resource`, `mode`) or NDJSON into the store, validated per `mode` (strict | lenient | none), references
 * rewritten and resolved, ids kept so re-import is idempotent. Answers 200 and a Parameters summary
 * (src/import/summary-parameters.ts); a lone transaction Bundle that fails answers 4xx with its outcome.
 * @see ../shared/SPEC.md ($import)
 */
import type { OperationDefinition } from 'fhir/r4.js';
import { Readable } from 'node:stream';
import { unitsOfDocument } from '../src/import/bundle-units.js';
import { createImportContext } from '../src/import/import-context.js';
import type { ImportMode, ImportUnit } from '../src/import/import-types.js';
import { unitsOfNdjson } from '../src/import/ndjson-units.js';
import { processUnit } from '../src/import/process-unit.js';
import { checkContentType, parseMode, readJsonDocument, unwrapParameters } from '../src/import/request-body.js';
import { runImport, transactionError } from '../src/import/run-import.js';
import { summaryParameters } from '../src/import/summary-parameters.js';
import { REQUEST_BODY } from '../src/lineage/source-uri.js';
import { allOk, badRequest } from '../src/fhir/outcomes.js';
import { parsePrefer } from '../src/fhir/rest/prefer.js';
import type { FhirOperation } from '../src/fhir/rest/operation.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../src/fhir/rest/types.js';

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  id: 'import',
  url: 'urn:medgen-data:OperationDefinition/import',
  name: 'Import',
  status: 'active',
  kind: 'operation',
  code: 'import',
  affectsState: true,
  system: true,
  type: false,
  instance: false,
  description: 'Imports a Bundle, a resource or NDJSON (application/fhir+ndjson) with validation; the mode parameter may also be given in the query string.',
  parameter: [
    { name: 'mode', use: 'in', min: 0, max: '1', type: 'code', documentation: 'strict (default) | lenient | none' },
    { name: 'resource', use: 'in', min: 0, max: '1', type: 'Resource', documentation: 'The Bundle or resource, when the body is Parameters' },
    { name: 'created', use: 'out', min: 1, max: '1', type: 'integer' },
    { name: 'updated', use: 'out', min: 1, max: '1', type: 'integer' },
    { name: 'unchanged', use: 'out', min: 1, max: '1', type: 'integer' },
    { name: 'failed', use: 'out', min: 1, max: '1', type: 'integer' },
    { name: 'type', use: 'out', min: 0, max: '*', documentation: 'Per resource type: type (code) and the four counts' },
    { name: 'failure', use: 'out', min: 0, max: '*', documentation: 'Per failed entry: index or line, file, outcome (OperationOutcome)' },
    { name: 'warning', use: 'out', min: 0, max: '*', documentation: 'Per entry stored with issues (lenient mode): index or line, outcome' },
  ],
};

/** `Prefer: respond-async`: the input is saved with the job and imported in the background. */
async function submitJob(ctx: FhirContext, mode: ImportMode, format: 'ndjson' | 'json', input: Readable): Promise<FhirResponse> {
  const record = await ctx.jobs.submit('import', { mode, format, baseUrl: ctx.baseUrl }, { stream: input, name: `input.${format}` });
  return { status: 202, headers: { 'Content-Location': `${ctx.baseUrl}/_jobs/${record.id}` }, body: allOk(`Import job ${record.id} accepted`) };
}

async function handler(ctx: FhirContext, req: FhirRequest): Promise<FhirResponse> {
  if (req.method !== 'POST') throw badRequest('$import takes POST');
  const stream = req.bodyStream ?? Readable.from(req.body === undefined ? [] : [Buffer.from(JSON.stringify(req.body))]);
  const queryMode = parseMode(req.query.get('mode'));
  const async = parsePrefer(req.headers.prefer).respondAsync;
  // A synchronous import is its request's job for lineage; a streamed NDJSON body is never held whole, so it has no hash.
  const importCtx = (mode: ImportMode) => createImportContext({ store: ctx.store, mode, logger: ctx.logger, baseUrl: ctx.baseUrl, lineage: { jobId: `request-${ctx.requestId}`, parameters: { mode } } });
  if (checkContentType(req.contentType) === 'ndjson') {
    if (async) return submitJob(ctx, queryMode ?? 'strict', 'ndjson', stream);
    const summary = await runImport(importCtx(queryMode ?? 'strict'), unitsOfNdjson(stream));
    return { status: 200, body: summaryParameters(summary) };
  }
  const body = await readJsonDocument(stream, ctx.bodyLimitBytes);
  const { document, mode } = unwrapParameters(body.document);
  const units: ImportUnit[] = [...unitsOfDocument(document)];
  if (async) return submitJob(ctx, mode ?? queryMode ?? 'strict', 'json', Readable.from([JSON.stringify(document)]));
  const run = importCtx(mode ?? queryMode ?? 'strict');
  run.lineage?.hashes.set(REQUEST_BODY, body.sha256);
  if (units.length === 1 && units[0].atomic) {
    const failures = await processUnit(run, units[0]);
    if (failures.length > 0) throw transactionError(failures);
    return { status: 200, body: summaryParameters(run.tally.summary()) };
  }
  return { status: 200, body: summaryParameters(await runImport(run, units)) };
}

export const importOperation: FhirOperation = { code: 'import', definition, streamsBody: true, handler };
