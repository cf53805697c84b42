/**
 * `POST Patient/$match` (`resource`, `onlyCertainMatches`, `count`): the stored patients most likely to be the
 * person the given Patient describes (src/match/match-patient.ts), as a searchset Bundle best first, each entry
 * with `search.score` (the probability that it is that person) and the `match-grade` extension (certain |
 * probable | possible). The body is a Parameters resource or, for convenience, the Patient itself. A body of
 * another kind, a `resource` that is not a Patient, or a parameter R4 does not define answer 400 naming it.
 * @see https://hl7.org/fhir/R4/patient-operation-match.html
 */
import type { BundleEntry, OperationDefinition, Parameters, ParametersParameter, Patient } from 'fhir/r4.js';
import { newId } from '../src/fhir/ids.js';
import { badRequest, issue, outcome } from '../src/fhir/outcomes.js';
import type { FhirOperation, OperationTarget } from '../src/fhir/rest/operation.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../src/fhir/rest/types.js';
import { DEFAULT_MATCH_THRESHOLDS, MATCH_GRADE_URL } from '../src/match/match-grade.js';
import { matchPatient, type MatchRequest } from '../src/match/match-patient.js';

/** Matches answered when `count` is not given, and the most it may ask for. */
const DEFAULT_COUNT = 10;
const MAX_COUNT = 100;

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  id: 'match',
  url: 'http://hl7.org/fhir/OperationDefinition/Patient-match',
  name: 'Match',
  status: 'active',
  kind: 'operation',
  code: 'match',
  affectsState: false,
  system: false,
  type: true,
  instance: false,
  resource: ['Patient'],
  description:
    'Scores stored patients against the given one with a Fellegi-Sunter model learned from this store (blocking, name, birth date, sex, address, phone, e-mail and identifier comparisons) and answers the likeliest, best first, with search.score and match-grade. Records whose first names are unrelated are never certain (twins).',
  parameter: [
    { name: 'resource', use: 'in', min: 1, max: '1', type: 'Resource', documentation: 'The Patient to find records of' },
    { name: 'onlyCertainMatches', use: 'in', min: 0, max: '1', type: 'boolean', documentation: 'Only a certain match; none when several are certain' },
    { name: 'count', use: 'in', min: 0, max: '1', type: 'integer', documentation: `Most matches to answer (default ${DEFAULT_COUNT}, at most ${MAX_COUNT})` },
    { name: 'return', use: 'out', min: 1, max: '1', type: 'Bundle', documentation: 'A searchset Bundle of the matches, best first' },
  ],
};

const KNOWN = new Set(['resource', 'onlyCertainMatches', 'count']);
/** URL parameters that shape the response rather than the operation. */
const FORMAT_PARAMETERS = new Set(['_format', '_pretty']);

function countOf(p: ParametersParameter | string): number {
  const raw = typeof p === 'string' ? p : (p.valueInteger ?? p.valuePositiveInt ?? p.valueUnsignedInt ?? p.valueString);
  const n = typeof raw === 'number' ? raw : /^\d+$/.test(String(raw ?? '')) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_COUNT) throw badRequest(`count must be an integer from 1 to ${MAX_COUNT}`, 'count');
  return n;
}

function flagOf(p: ParametersParameter | string): boolean {
  const raw = typeof p === 'string' ? p : (p.valueBoolean ?? p.valueString);
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw badRequest('onlyCertainMatches must be a boolean', 'onlyCertainMatches');
}

/** The Patient and options of a request; 400 naming what is wrong. */
function parseRequest(ctx: FhirContext, req: FhirRequest): { patient: Patient } & MatchRequest {
  const body = req.body as Parameters | Patient | undefined;
  const request: MatchRequest = { thresholds: ctx.matchThresholds ?? DEFAULT_MATCH_THRESHOLDS, count: DEFAULT_COUNT, onlyCertainMatches: false };
  for (const [name, value] of req.query) {
    if (FORMAT_PARAMETERS.has(name)) continue;
    if (name === 'count') request.count = countOf(value);
    else if (name === 'onlyCertainMatches') request.onlyCertainMatches = flagOf(value);
    else throw badRequest(`Unknown parameter "${name.slice(0, 80)}" for $match: use resource, onlyCertainMatches, count`, name.slice(0, 80));
  }
  if (body?.resourceType === 'Patient') return { patient: body, ...request };
  if (body?.resourceType !== 'Parameters') throw badRequest('$match takes a Parameters resource holding the Patient as "resource" (or the Patient itself)', 'resource');
  let patient: Patient | undefined;
  for (const p of body.parameter ?? []) {
    if (!KNOWN.has(p.name)) throw badRequest(`Unknown parameter "${String(p.name).slice(0, 80)}" for $match: use resource, onlyCertainMatches, count`, String(p.name).slice(0, 80));
    if (p.name === 'resource') {
      if (p.resource?.resourceType !== 'Patient') throw badRequest(`The resource parameter of $match must be a Patient, not ${p.resource?.resourceType ?? 'missing'}`, 'resource');
      patient = p.resource as Patient;
    } else if (p.name === 'count') request.count = countOf(p);
    else request.onlyCertainMatches = flagOf(p);
  }
  if (!patient) throw badRequest('$match needs the resource parameter: the Patient to find records of', 'resource');
  return { patient, ...request };
}

async function handler(ctx: FhirContext, req: FhirRequest, target: OperationTarget): Promise<FhirResponse> {
  if (req.method !== 'POST') throw badRequest('$match takes POST');
  if (target.resourceType !== 'Patient' || target.id !== undefined) throw badRequest('$match runs on the Patient type: POST Patient/$match');
  const { patient, ...request } = parseRequest(ctx, req);
  const answer = await matchPatient(ctx.store, patient, request);
  const entry: BundleEntry[] = answer.matches.map((m) => ({
    fullUrl: `${ctx.baseUrl}/Patient/${m.resource.id}`,
    resource: m.resource,
    search: { mode: 'match', score: Number(m.score.toFixed(6)), extension: [{ url: MATCH_GRADE_URL, valueCode: m.grade }] },
  }));
  if (answer.ambiguous) {
    const note = `${answer.ambiguous} stored patients are certain matches: none is answered with onlyCertainMatches (they are likely duplicates of each other; see dedupe)`;
    entry.push({ resource: outcome(issue('information', 'multiple-matches', note)), search: { mode: 'outcome' } });
  }
  return {
    status: 200,
    body: {
      resourceType: 'Bundle',
      id: newId(),
      meta: { lastUpdated: new Date().toISOString() },
      type: 'searchset',
      total: answer.matches.length,
      link: [{ relation: 'self', url: `${ctx.baseUrl}/Patient/$match` }],
      ...(entry.length ? { entry } : {}),
    },
  };
}

export const matchOperation: FhirOperation = { code: 'match', definition, handler };
