/**
 * `GET /_jobs`: the jobs, newest first (`status`, `_count`), each with its status, progress and address.
 * `GET /_jobs/{id}`: 202 with `X-Progress` while the job is queued or running, then 200 and a manifest in the
 * style of FHIR Bulk Data (output files, NDJSON OperationOutcome error files, counts); `GET
 * /_jobs/{id}/{file}` streams one of its files; `DELETE /_jobs/{id}` cancels a pending job and removes a finished one
 * with its files (then the job is 404).
 * @see https://hl7.org/fhir/uv/bulkdata/export.html#bulk-data-status-request
 */
import { ERROR_FILE } from '../../jobs/job-manager.js';
import { JOB_STATUSES, type JobRecord, type JobStatus } from '../../jobs/job-types.js';
import { parseCount } from '../../search/result-params.js';
import { allOk, badRequest, gone, notAllowed } from '../outcomes.js';
import type { FhirContext, FhirRequest, FhirResponse } from './types.js';

function manifest(ctx: FhirContext, record: JobRecord): Record<string, unknown> {
  const url = (file: string) => `${ctx.baseUrl}/_jobs/${record.id}/${file}`;
  const files = (list: JobRecord['output']) => list.map((o) => ({ type: o.type, url: url(o.file), count: o.count }));
  const request = typeof record.params.request === 'string' ? record.params.request : `${ctx.baseUrl}/$${record.kind}`;
  return {
    transactionTime: record.transactionTime ?? record.finished,
    request,
    requiresAccessToken: false,
    status: record.status,
    counts: record.counts ?? {},
    output: files(record.output),
    ...(record.deleted ? { deleted: files(record.deleted) } : {}),
    error: record.errorCount > 0 ? [{ type: 'OperationOutcome', url: url(ERROR_FILE), count: record.errorCount }] : [],
  };
}

const progressOf = (record: JobRecord) =>
  record.status === 'queued' ? 'queued' : `${record.progress.done}${record.progress.total ? ` of ${record.progress.total}` : ''} done`;

/** One job in the list: what it is, where it stands, and where to ask for it. */
function summary(ctx: FhirContext, record: JobRecord): Record<string, unknown> {
  const { id, kind, status, created, started, finished, progress, errorCount } = record;
  return { id, kind, status, created, started, finished, progress, errorCount, url: `${ctx.baseUrl}/_jobs/${id}` };
}

async function listJobs(ctx: FhirContext, req: FhirRequest): Promise<FhirResponse> {
  for (const name of req.query.keys()) if (name !== 'status' && name !== '_count') throw badRequest(`Unknown parameter ${name.slice(0, 40)} on /_jobs: use status or _count`, name);
  const status = req.query.get('status');
  if (status !== null && !(JOB_STATUSES as readonly string[]).includes(status)) throw badRequest(`status must be one of ${JOB_STATUSES.join(', ')}`, 'status');
  const limit = req.query.has('_count') ? parseCount(req.query.get('_count') as string) : 50;
  const jobs = await ctx.jobs.list({ status: (status ?? undefined) as JobStatus | undefined, limit });
  return { status: 200, body: { jobs: jobs.map((r) => summary(ctx, r)) } };
}

export async function jobInteraction(ctx: FhirContext, req: FhirRequest): Promise<FhirResponse> {
  const [, id, file] = req.segments;
  if (id === undefined) {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw notAllowed(`${req.method} is not allowed on the job list`, ['GET', 'HEAD']);
    return listJobs(ctx, req);
  }
  if (req.segments.length > 3) throw notAllowed('Address a job as /_jobs/{id}', []);
  if (req.method === 'DELETE' && file === undefined) {
    const record = await ctx.jobs.remove(id);
    const state = record.status === 'running' ? 'being cancelled' : record.status === 'queued' || record.status === 'cancelled' ? 'cancelled' : 'removed with its files';
    return { status: 202, body: allOk(`Job ${record.id} is ${state}`) };
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') throw notAllowed(`${req.method} is not allowed on a job${file === undefined ? '' : "'s file"}`, file === undefined ? ['GET', 'HEAD', 'DELETE'] : ['GET', 'HEAD']);
  if (file !== undefined) {
    const contentType = file.endsWith('.ndjson') ? 'application/fhir+ndjson' : file.endsWith('.csv') ? 'text/csv' : 'application/fhir+json';
    return { status: 200, file: { body: await ctx.jobs.openFile(id, file), contentType } };
  }
  const record = await ctx.jobs.get(id);
  switch (record.status) {
    case 'queued':
    case 'running':
      return { status: 202, headers: { 'X-Progress': progressOf(record), 'Retry-After': '1' } };
    case 'cancelled':
      throw gone(`Job ${id} was cancelled`);
    case 'failed':
      return { status: 500, body: record.failure };
    default:
      return { status: 200, body: manifest(ctx, record) };
  }
}
