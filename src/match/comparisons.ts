/**
 * The comparisons a pair of records is scored on, each with its levels (best first) and the m and u
 * probabilities assumed before the store's own data is seen: m = P(level | same person), u = P(level | two
 * people) among the pairs blocking brings together. EM (em.ts) starts from them and keeps them as a weak
 * prior, so a store of a dozen patients still scores sensibly and a large store speaks for itself; the u the
 * scores use come from random pairs (random-pairs.ts), which these priors only smooth.
 * @see https://doi.org/10.1080/01621459.1969.10501049 (Fellegi & Sunter, A Theory for Record Linkage)
 */
import { ADDRESS_LEVELS, SHARED_LEVELS, compareAddress, compareShared } from './contact-comparison.js';
import { BIRTH_DATE_LEVELS, compareBirthDate } from './date-comparison.js';
import { IDENTIFIER_LEVELS, compareIdentifiers } from './identifier-comparison.js';
import { FAMILY_LEVELS, GIVEN_LEVELS, compareFamily, compareGiven } from './name-comparison.js';
import type { PatientFeatures } from './patient-features.js';

export interface Comparison {
  name: string;
  levels: readonly string[];
  prior: { m: number[]; u: number[] };
  /** The level index, or -1 when either record lacks the field. */
  compare(a: PatientFeatures, b: PatientFeatures): number;
}

export const COMPARISONS: readonly Comparison[] = [
  {
    name: 'given',
    levels: GIVEN_LEVELS,
    prior: { m: [0.8, 0.05, 0.1, 0.03, 0.02], u: [0.02, 0.005, 0.01, 0.1, 0.865] },
    compare: (a, b) => compareGiven(a.given, b.given),
  },
  {
    name: 'family',
    levels: FAMILY_LEVELS,
    // A changed surname (marriage) is common among the same person's records: "different" keeps some m.
    prior: { m: [0.8, 0.08, 0.02, 0.1], u: [0.15, 0.02, 0.15, 0.68] },
    compare: (a, b) => compareFamily(a.family, b.family),
  },
  {
    name: 'birthDate',
    levels: BIRTH_DATE_LEVELS,
    prior: { m: [0.92, 0.03, 0.03, 0.02], u: [0.05, 0.002, 0.05, 0.898] },
    compare: (a, b) => compareBirthDate(a.birthDate, b.birthDate),
  },
  {
    name: 'sex',
    levels: SHARED_LEVELS,
    prior: { m: [0.98, 0.02], u: [0.5, 0.5] },
    compare: (a, b) => (a.gender === undefined || b.gender === undefined ? -1 : a.gender === b.gender ? 0 : 1),
  },
  {
    name: 'address',
    levels: ADDRESS_LEVELS,
    prior: { m: [0.75, 0.05, 0.2], u: [0.05, 0.25, 0.7] },
    compare: (a, b) => compareAddress(a.addresses, b.addresses),
  },
  {
    name: 'phone',
    levels: SHARED_LEVELS,
    prior: { m: [0.75, 0.25], u: [0.05, 0.95] },
    compare: (a, b) => compareShared(a.phones, b.phones),
  },
  {
    name: 'email',
    levels: SHARED_LEVELS,
    prior: { m: [0.8, 0.2], u: [0.01, 0.99] },
    compare: (a, b) => compareShared(a.emails, b.emails),
  },
  {
    name: 'identifier',
    levels: IDENTIFIER_LEVELS,
    prior: { m: [0.85, 0.05, 0.1], u: [0.01, 0.01, 0.98] },
    compare: compareIdentifiers,
  },
];

/** A missing comparison in a level vector. */
export const MISSING = 255;

/** Writes the level of every comparison of `a` and `b` into `out` from `offset` (MISSING where a field is absent). */
export function compareInto(a: PatientFeatures, b: PatientFeatures, out: Uint8Array, offset: number): void {
  for (let i = 0; i < COMPARISONS.length; i++) {
    const level = COMPARISONS[i].compare(a, b);
    out[offset + i] = level < 0 ? MISSING : level;
  }
}

export const comparisonIndex = (name: string) => COMPARISONS.findIndex((c) => c.name === name);

const GIVEN = comparisonIndex('given');
const GIVEN_DIFFERENT = COMPARISONS[GIVEN].levels.length - 1;

/**
 * Whether a level vector says the first names are unrelated (not equal, not forms of one name, not a
 * misspelling). Such a pair is never taken for one person: twins and spouses look like that, and a reviewer
 * decides (pair-scorer.ts); EM does not count such pairs towards the matches either (match-model.ts).
 */
export const unrelatedFirstNames = (levels: Uint8Array, offset: number) => levels[offset + GIVEN] === GIVEN_DIFFERENT;
