/**
 * Parameters of the built-in generator (SPEC `$generate`; Synthea's -p -s -g -a, state, city and
 * exporter.years_of_history) and the one pure function that checks them. HTTP, CLI and library callers
 * pass raw values through it, so a bad parameter gives the same message everywhere: a 400 OperationOutcome
 * naming the parameter (the CLI turns it into exit 2).
 */
import { badRequest } from '../fhir/outcomes.js';
import { parseDate } from './clock.js';
import { resolveCohortOptions } from './cohort-options.js';
import type { Cohort } from './cohort-requirements.js';
import { parseDuplicateRate } from './duplicate-rate.js';
import { citiesOf } from './places.js';
import { MODULES, PROFILES, STATES, type DiseaseModule, type Profile } from './tables.js';

export const MAX_COUNT = 100_000;
export const MAX_AGE = 110;
/** Used when the caller gives no reference date, so library output never depends on the day it runs. */
export const DEFAULT_REFERENCE_DATE = '2025-01-01';
export const DEFAULT_SEED = 1;
export const DEFAULT_STATE = 'Massachusetts';
export const PROFILE_NAMES = Object.keys(PROFILES.profiles);

/** Raw parameters as they arrive (numbers may still be strings). */
export interface GenerateOptions {
  count?: number | string;
  seed?: number | string;
  /** State name or postal code. */
  state?: string;
  city?: string;
  gender?: string;
  minAge?: number | string;
  maxAge?: number | string;
  profile?: string;
  /** Years of records before the reference date; 0 keeps the whole life (as Synthea). */
  yearsOfHistory?: number | string;
  /** Disease module ids to run (all when absent); wellness care always runs. */
  modules?: string[] | string;
  /** `YYYY-MM-DD`: "today" for the simulation. */
  referenceDate?: string;
  /** Share (0..1) of the people who also get a corrupted duplicate record, with twins and a ground truth (duplicates.ts). */
  duplicates?: number | string;
  /** A cohort spec (schemas/cohort.schema.json), parsed from JSON or YAML: who to generate, met by construction. */
  cohort?: unknown;
}

export interface ResolvedOptions {
  count: number;
  seed: number;
  state: { code: string; name: string; fips: string };
  city?: string;
  gender?: 'male' | 'female';
  minAge: number;
  maxAge: number;
  profile: string;
  profileSpec: Profile;
  yearsOfHistory: number;
  modules: DiseaseModule[];
  referenceDate: string;
  /** Epoch ms of the reference date, 00:00 UTC. */
  referenceTime: number;
  /** Set when duplicates were asked for, even 0 (then only twins and the ground truth). */
  duplicates?: number;
  /** The cohort's requirements, resolved (cohort-requirements.ts); patient-record.ts conditions each life on them. */
  cohort?: Cohort;
}

function integer(value: number | string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = typeof value === 'number' ? value : /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw badRequest(`${name} must be an integer, got "${value}"`, name);
  if (n < min || n > max) throw badRequest(`${name} must be from ${min} to ${max}, got ${n}`, name);
  return n;
}

function resolveState(value: string | undefined): ResolvedOptions['state'] {
  const wanted = (value ?? DEFAULT_STATE).trim().toLowerCase();
  const row = STATES.find(([code, name]) => code.toLowerCase() === wanted || name.toLowerCase() === wanted);
  if (!row) throw badRequest(`unknown state "${value}": give a US state name or postal code`, 'state');
  return { code: row[0], name: row[1], fips: row[2] };
}

function resolveModules(value: string[] | string | undefined): DiseaseModule[] {
  if (value === undefined || value === '') return MODULES;
  const ids = (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim()).filter(Boolean);
  return ids.map((id) => {
    const module = MODULES.find((m) => m.id === id);
    if (!module) throw badRequest(`unknown module "${id}"; known: ${MODULES.map((m) => m.id).join(', ')}`, 'modules');
    return module;
  });
}

/** Checks and completes raw parameters; throws `badRequest(message, parameterName)` on the first bad one. */
export function resolveOptions(input: GenerateOptions): ResolvedOptions {
  if (input.cohort !== undefined) return resolveCohortOptions(input, resolveOptions);
  const count = integer(input.count, 'count', 1, MAX_COUNT, 1);
  const seed = integer(input.seed, 'seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, DEFAULT_SEED);
  const profile = input.profile ?? 'default';
  const profileSpec = PROFILES.profiles[profile];
  if (!profileSpec) throw badRequest(`unknown profile "${profile}"; known: ${PROFILE_NAMES.join(', ')}`, 'profile');
  const state = resolveState(input.state);
  let city: string | undefined;
  if (input.city !== undefined && input.city !== '') {
    city = citiesOf(state.code).find((c) => c.toLowerCase() === input.city!.trim().toLowerCase());
    if (!city) throw badRequest(`no city "${input.city}" in ${state.name}`, 'city');
  }
  let gender: ResolvedOptions['gender'];
  if (input.gender !== undefined && input.gender !== '') {
    const g = input.gender.trim().toLowerCase();
    gender = g === 'male' || g === 'm' ? 'male' : g === 'female' || g === 'f' ? 'female' : undefined;
    if (!gender) throw badRequest(`gender must be male or female, got "${input.gender}"`, 'gender');
  }
  const minAge = integer(input.minAge, 'minAge', 0, MAX_AGE, profileSpec.minAge);
  const maxAge = integer(input.maxAge, 'maxAge', 0, MAX_AGE, Math.max(profileSpec.maxAge, minAge));
  if (minAge > maxAge) throw badRequest(`minAge (${minAge}) must not exceed maxAge (${maxAge})`, ['minAge', 'maxAge']);
  const yearsOfHistory = integer(input.yearsOfHistory, 'yearsOfHistory', 0, 120, 10);
  const referenceDate = input.referenceDate ?? DEFAULT_REFERENCE_DATE;
  const referenceTime = parseDate(referenceDate);
  if (Number.isNaN(referenceTime)) throw badRequest(`referenceDate must be a date YYYY-MM-DD, got "${referenceDate}"`, 'referenceDate');
  return { count, seed, state, city, gender, minAge, maxAge, profile, profileSpec, yearsOfHistory, modules: resolveModules(input.modules), referenceDate, referenceTime, duplicates: parseDuplicateRate(input.duplicates) };
}
