/**
 * `$generate` (SPEC): synthetic patients. Small built-in counts answer at once: a Parameters resource with
 * totals, the support batch Bundles and one transaction Bundle per patient (ready for `$import`), or with
 * `import=true` the import counts. Counts over SYNC_LIMIT, `Prefer: respond-async` and engine=synthea (a
 * JVM run takes minutes) run as a `generate` job: 202 and the job's Content-Location. With `duplicates`, the
 * answer also holds the ground truth, one `pair` part per duplicate or twin (a job writes duplicates.csv).
 * `cohort` (JSON or YAML text) generates a cohort; its errors name their place in it (`cohort.age.min`).
 * @see https://hl7.org/fhir/R4/operations.html
 * @see https://hl7.org/fhir/R4/async.html
 */
import type { OperationDefinition, OperationDefinitionParameter, Parameters, ParametersParameter } from 'fhir/r4.js';
import { allOk, badRequest, OperationOutcomeError, outcome, issue } from '../src/fhir/outcomes.js';
import type { FhirOperation } from '../src/fhir/rest/operation.js';
import { parsePrefer } from '../src/fhir/rest/prefer.js';
import type { FhirContext, FhirResponse } from '../src/fhir/rest/types.js';
import { date } from '../src/generate/clock.js';
import { parseCohortText } from '../src/generate/cohort-text.js';
import { groundTruthParameters } from '../src/generate/duplicate-ground-truth.js';
import type { GenerateJobParams } from '../src/generate/generate-job.js';
import { resolveOptions, type GenerateOptions } from '../src/generate/options.js';
import { generatePopulation, type GeneratedPopulation } from '../src/generate/population.js';
import { syntheaEnvironment } from '../src/generate/synthea-environment.js';
import { unitsOfDocument } from '../src/import/bundle-units.js';
import { createImportContext } from '../src/import/import-context.js';
import { runImport } from '../src/import/run-import.js';
import { summaryParameters } from '../src/import/summary-parameters.js';

/** Largest count answered synchronously: about 30 MB of JSON. */
export const SYNC_LIMIT = 100;

const param = (name: string, type: string, documentation: string): OperationDefinitionParameter => ({ name, use: 'in', min: 0, max: '1', type: type as OperationDefinitionParameter['type'], documentation });

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  id: 'generate',
  url: 'urn:medgen-data:OperationDefinition/generate',
  name: 'Generate',
  status: 'active',
  kind: 'operation',
  code: 'generate',
  system: true,
  type: false,
  instance: false,
  parameter: [
    param('count', 'integer', 'patients to generate, 1..100000 (default 1)'),
    param('seed', 'integer', 'population seed; the same seed and parameters give the same patients'),
    param('state', 'string', 'US state name or postal code (default Massachusetts)'),
    param('city', 'string', 'a city of that state'),
    param('gender', 'code', 'male | female'),
    param('minAge', 'integer', 'youngest age'),
    param('maxAge', 'integer', 'oldest age'),
    param('profile', 'code', 'default | chronic_disease | pediatric | emergency'),
    param('yearsOfHistory', 'integer', 'years of records before today; 0 = whole life (default 10)'),
    param('cohort', 'string', 'a cohort spec as JSON or YAML text (schemas/cohort.schema.json): count, age, sex, state or city, required conditions, medications and encounters, exclusions; every patient meets every requirement'),
    param('engine', 'code', 'builtin (default) | synthea'),
    param('import', 'boolean', 'store the generated data (strict import) and answer the import counts instead of the bundles'),
    param('duplicates', 'decimal', 'share (0..1) of patients who also get a corrupted duplicate record; adds twins and answers the ground truth as pair parts (left, right, relation duplicate | twin, kinds)'),
    { name: 'return', use: 'out', min: 1, max: '1', type: 'Parameters', documentation: 'patients, resources, and bundle parts (support batches first, then one transaction per patient)' },
  ],
};

/** The value of a Parameters part, whatever its value[x] type, as a string or number. */
function valueOf(p: ParametersParameter): string | number | boolean | undefined {
  for (const [k, v] of Object.entries(p)) if (k.startsWith('value') && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) return v;
  return undefined;
}

/** Reads the parameters from the query string and a Parameters body (the body wins). */
export function readGenerateParameters(query: URLSearchParams, body: unknown): Record<string, string | number | boolean> {
  const raw: Record<string, string | number | boolean> = Object.fromEntries(query.entries());
  if (body !== undefined && body !== null && !(typeof body === 'object' && Object.keys(body).length === 0)) {
    const b = body as Parameters;
    if (b.resourceType !== 'Parameters') throw badRequest('the body of $generate must be a Parameters resource', 'resourceType');
    for (const p of b.parameter ?? []) {
      const v = valueOf(p);
      if (v !== undefined) raw[p.name] = v;
    }
  }
  return raw;
}

async function submit(ctx: FhirContext, params: GenerateJobParams): Promise<FhirResponse> {
  const record = await ctx.jobs.submit('generate', params as unknown as Record<string, unknown>);
  return { status: 202, headers: { 'Content-Location': `${ctx.baseUrl}/_jobs/${record.id}` }, body: allOk(`Generate job ${record.id} accepted`) };
}

/** Imports the population strictly, support batches first, and answers the `$import` counts with the run's totals. */
async function importPopulation(ctx: FhirContext, pop: GeneratedPopulation): Promise<FhirResponse> {
  const importCtx = createImportContext({ store: ctx.store, mode: 'strict', logger: ctx.logger, baseUrl: ctx.baseUrl, lineage: { jobId: `request-${ctx.requestId}`, parameters: pop.options as unknown as Record<string, unknown> } });
  const bundles = [pop.hospitalInformation, pop.practitionerInformation, ...pop.patients];
  const summary = await runImport(importCtx, bundles.flatMap((b) => [...unitsOfDocument(b)]));
  const body = summaryParameters(summary);
  body.parameter = [{ name: 'patients', valueInteger: pop.patients.length }, { name: 'seed', valueInteger: pop.options.seed }, ...(body.parameter ?? []), ...groundTruthParameters(pop.groundTruth ?? [])];
  return { status: 200, body };
}

export const generateOperation: FhirOperation = {
  code: 'generate',
  definition,
  async handler(ctx, req) {
    const raw = readGenerateParameters(req.query, req.body);
    // A cohort sent as parts or an attachment has no string value: refuse it rather than generate without it.
    if (raw.cohort === undefined && (req.body as Parameters | undefined)?.parameter?.some((p) => p.name === 'cohort')) {
      throw badRequest('cohort must be a valueString holding the spec as JSON or YAML text', 'cohort');
    }
    const engine = String(raw.engine ?? 'builtin');
    if (engine !== 'builtin' && engine !== 'synthea') throw badRequest(`engine must be builtin or synthea, got "${engine}"`, 'engine');
    const importing = raw.import === true || raw.import === 'true';
    if (raw.import !== undefined && !importing && raw.import !== false && raw.import !== 'false') throw badRequest(`import must be true or false, got "${raw.import}"`, 'import');
    const str = (v: unknown) => (v === undefined ? undefined : typeof v === 'boolean' ? String(v) : (v as string | number));
    const options: GenerateOptions = {
      count: str(raw.count),
      seed: str(raw.seed),
      state: raw.state as string | undefined,
      city: raw.city as string | undefined,
      gender: raw.gender as string | undefined,
      minAge: str(raw.minAge),
      maxAge: str(raw.maxAge),
      profile: raw.profile as string | undefined,
      yearsOfHistory: str(raw.yearsOfHistory),
      referenceDate: (raw.referenceDate as string | undefined) ?? date(Date.now()),
      duplicates: str(raw.duplicates),
      cohort: raw.cohort === undefined ? undefined : parseCohortText(String(raw.cohort), 'the cohort parameter'),
    };
    // Bad parameters answer 400 before anything is queued, whichever engine runs.
    const resolved = resolveOptions(options);
    if (engine === 'synthea' && resolved.duplicates !== undefined) throw badRequest('duplicates works with the builtin engine only', 'duplicates');
    if (engine === 'synthea' && resolved.cohort) throw badRequest('cohort works with the builtin engine only', 'cohort');
    if (engine === 'synthea') {
      const env = syntheaEnvironment();
      const missing = [env.java, env.synthea].filter((c) => !c.ok).map((c) => c.detail);
      if (missing.length) throw new OperationOutcomeError(501, outcome(issue('error', 'not-supported', `engine=synthea is not available on this server: ${missing.join('; ')}`, 'engine')));
      return submit(ctx, { ...options, engine, import: importing });
    }
    if (resolved.count > SYNC_LIMIT || parsePrefer(req.headers.prefer).respondAsync) return submit(ctx, { ...options, engine, import: importing });
    const pop = generatePopulation(options);
    if (importing) return importPopulation(ctx, pop);
    const resources = [pop.hospitalInformation, pop.practitionerInformation, ...pop.patients].reduce((n, b) => n + (b.entry?.length ?? 0), 0);
    const body: Parameters = {
      resourceType: 'Parameters',
      parameter: [
        { name: 'patients', valueInteger: pop.patients.length },
        { name: 'resources', valueInteger: resources },
        { name: 'seed', valueInteger: pop.options.seed },
        { name: 'referenceDate', valueDate: pop.options.referenceDate },
        { name: 'bundle', resource: pop.hospitalInformation },
        { name: 'bundle', resource: pop.practitionerInformation },
        ...pop.patients.map((resource) => ({ name: 'bundle', resource })),
        ...groundTruthParameters(pop.groundTruth ?? []),
      ],
    };
    return { status: 200, body };
  },
};
