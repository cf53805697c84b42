/**
 * `$generate` (SPEC): synthetic patients from the built-in generator, answered at once for small counts as
 * a Parameters resource: totals, then the support batch Bundles and one transaction Bundle per patient
 * (ready for `$import` or `POST /fhir`). Larger counts need jobs, and `import=true` needs the import
 * pipeline; until those are wired here they answer 501 rather than pretend.
 * @see https://hl7.org/fhir/R4/operations.html
 */
import type { OperationDefinition, OperationDefinitionParameter, Parameters, ParametersParameter } from 'fhir/r4.js';
import { badRequest, OperationOutcomeError, outcome, issue } from '../src/fhir/outcomes.js';
import type { FhirOperation } from '../src/fhir/rest/operation.js';
import { date } from '../src/generate/clock.js';
import type { GenerateOptions } from '../src/generate/options.js';
import { generatePopulation } from '../src/generate/population.js';

/** Largest count answered synchronously: about 30 MB of JSON. */
export const SYNC_LIMIT = 100;

const notImplemented = (message: string, expression: string) => new OperationOutcomeError(501, outcome(issue('error', 'not-supported', message, expression)));

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
    param('engine', 'code', 'builtin (default) | synthea'),
    param('import', 'boolean', 'store the generated data instead of returning it'),
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

export const generateOperation: FhirOperation = {
  code: 'generate',
  definition,
  async handler(_ctx, req) {
    const raw = readGenerateParameters(req.query, req.body);
    const engine = String(raw.engine ?? 'builtin');
    if (engine === 'synthea') throw notImplemented('engine=synthea: running Synthea (SYNTHEA_JAR) is not available in this server yet; use engine=builtin', 'engine');
    if (engine !== 'builtin') throw badRequest(`engine must be builtin or synthea, got "${engine}"`, 'engine');
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
    };
    const importing = raw.import === true || raw.import === 'true';
    if (raw.import !== undefined && !importing && raw.import !== false && raw.import !== 'false') throw badRequest(`import must be true or false, got "${raw.import}"`, 'import');
    if (importing) {
      generatePopulation({ ...options, count: 1 });
      throw notImplemented('import=true: storing generated data is not available in this server yet; call with import=false and POST the bundles to $import', 'import');
    }
    const count = Number(options.count ?? 1);
    if (Number.isInteger(count) && count > SYNC_LIMIT) {
      generatePopulation({ ...options, count: 1 });
      throw notImplemented(`count ${count} exceeds ${SYNC_LIMIT}, the most answered at once; asynchronous generation jobs are not available yet (use the CLI: medgen-data generate)`, 'count');
    }
    const pop = generatePopulation(options);
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
      ],
    };
    return { status: 200, body };
  },
};
