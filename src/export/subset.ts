/**
 * Subsets: N patients drawn from the store (the same N for the same seed and data), optionally only among those
 * a search selects (`Condition?code=44054006`: the patients in whose compartments a matching resource is), then
 * exported as a Patient export limited to them: their compartments, closed over references, shared resources
 * once, so the slice imports on its own into an empty store; de-identified when `deidentify` names a profile.
 */
import { badRequest, unprocessable } from '../fhir/outcomes.js';
import { Random } from '../generate/prng.js';
import { parseSearchQuery } from '../search/parse-query.js';
import { MAX_COUNT } from '../search/result-params.js';
import { isKnownResourceType } from '../search/search-parameters.js';
import type { ResourceStore } from '../store/resource-store.js';
import { parseDeidentify } from './deidentify-parameter.js';
import type { ExportRequest } from './export-request.js';
import { compartmentPatients, isCompartmentType } from './patient-compartment.js';

export interface SubsetRequest {
  count: number;
  seed: number;
  /** `Type?query`: only patients with a matching resource in their compartment. */
  where?: string;
  /** A de-identification profile the slice is written through. */
  deidentify?: string;
}

/** More patients than this in one subset is a copy of the store, not a slice of it. */
const MAX_SUBSET = 100_000;

function integer(value: string | undefined, name: string, min: number, max: number, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const n = Number(value);
  if (value === undefined || !/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw badRequest(`${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value ?? '')}`, name);
  }
  return n;
}

/**
 * The subset's parameters (`count`, `seed`, `where`, and `deidentify` or, as `$export` names it, `_deidentify`);
 * 400 naming the one that is wrong, `deidentify` among them when there is no `deidKey` (MEDGEN_DEID_KEY).
 */
export function parseSubsetRequest(get: (name: string) => string | undefined, deidKey?: string): SubsetRequest {
  const request: SubsetRequest = { count: integer(get('count'), 'count', 1, MAX_SUBSET), seed: integer(get('seed'), 'seed', 0, Number.MAX_SAFE_INTEGER, 1) };
  const where = get('where');
  if (where !== undefined) {
    const mark = where.indexOf('?');
    const type = mark < 0 ? where : where.slice(0, mark);
    if (!isKnownResourceType(type) || !isCompartmentType(type)) throw badRequest(`where must start with a resource type of the Patient compartment and '?', as in Condition?code=44054006, not ${JSON.stringify(where.slice(0, 120))}`, 'where');
    try {
      parseSearchQuery(type, new URLSearchParams(where.slice(mark + 1)), { strict: true });
    } catch (err) {
      throw badRequest(`where ${JSON.stringify(where.slice(0, 120))} is not a search this server supports: ${(err as Error).message}`, 'where');
    }
    request.where = where;
  }
  const parameter = get('_deidentify') === undefined ? 'deidentify' : '_deidentify';
  const profile = get(parameter);
  if (profile !== undefined) request.deidentify = parseDeidentify([profile], deidKey, parameter);
  return request;
}

/** The ids of the patients a subset may draw from, in id order. */
async function candidates(store: ResourceStore, where: string | undefined): Promise<string[]> {
  const ids = new Set<string>();
  if (where === undefined) {
    for await (const patient of store.stream('Patient')) ids.add(patient.id);
  } else {
    const mark = where.indexOf('?');
    const type = where.slice(0, mark);
    const { criteria } = parseSearchQuery(type, new URLSearchParams(where.slice(mark + 1)), { strict: true }).query;
    for (let offset = 0; ; offset += MAX_COUNT) {
      const { resources } = await store.search({ resourceType: type, criteria, sort: [], count: MAX_COUNT, offset, summaryCount: false });
      for (const r of resources) for (const id of compartmentPatients(r)) ids.add(id);
      if (resources.length < MAX_COUNT) break;
    }
  }
  return [...ids].sort();
}

/**
 * The patients of a subset: `count` drawn without repetition by a seeded shuffle of the candidates in id order
 * (all of them when there are fewer), in id order. 422 when no patient qualifies.
 */
export async function choosePatients(store: ResourceStore, request: SubsetRequest): Promise<string[]> {
  const pool = await candidates(store, request.where);
  if (pool.length === 0) throw unprocessable(request.where ? `No patient has a resource matching ${request.where}` : 'The store holds no patients', request.where ? 'where' : undefined);
  const random = new Random(request.seed);
  const take = Math.min(request.count, pool.length);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random.next() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, take).sort();
}

/** The export a subset is: a Patient export of the chosen patients, de-identified with `deidentify` when given. */
export function subsetExport(patients: string[], deidentify?: string): ExportRequest {
  return deidentify === undefined ? { level: 'patient', patients } : { level: 'patient', patients, deidentify };
}
