/**
 * Patient records for the `match` benchmark, built straight from the generator's people: a whole-store dedupe
 * reads Patients only, and generating 100,000 full records (some 250 resources each) would take the bench
 * most of an hour. Each person's Patient is the generator's own (patient-resource.ts, demographics, names,
 * identifiers, address); `rate` of them get a second record corrupted as `generate --duplicates` corrupts it
 * (duplicate-corruptions.ts), and 1.6% a twin (duplicate-twins.ts). Fixed seed: the same count gives the same
 * records.
 */
import type { Patient } from 'fhir/r4.js';
import { YEAR } from '../src/generate/clock.js';
import { corruptPatient } from '../src/generate/duplicate-corruptions.js';
import { birthOneDigitApart, twinPerson } from '../src/generate/duplicate-twins.js';
import { TWIN_SHARE } from '../src/generate/duplicates.js';
import { resolveOptions, type ResolvedOptions } from '../src/generate/options.js';
import { patientResource } from '../src/generate/patient-resource.js';
import { createPerson, maritalAt, type Person } from '../src/generate/person.js';
import { Random } from '../src/generate/prng.js';
import { SYNTHEA_ID_SYSTEM } from '../src/generate/providers.js';

const SEED = 42;
// Streams apart from the people's own (0 … count-1).
const DUPLICATE_STREAM = 0x40000000;
const TWIN_STREAM = 0x30000000;

function patientOf(rng: Random, person: Person, options: ResolvedOptions): Patient {
  const life = { windowStart: person.birth, end: options.referenceTime, diagnoses: [] };
  return patientResource(person, life, maritalAt(rng, (options.referenceTime - person.birth) / YEAR), options);
}

/** A second registration of `original`: a new id and MRN, demographics corrupted. */
function duplicateOf(rng: Random, original: Patient, options: ResolvedOptions): Patient {
  const copy = structuredClone(original);
  copy.id = rng.uuid();
  for (const i of copy.identifier ?? []) if (i.system === SYNTHEA_ID_SYSTEM || i.type?.coding?.some((c) => c.code === 'MR')) i.value = copy.id;
  corruptPatient(rng, copy, options);
  return copy;
}

/** `count` people's Patient records, with duplicates at `rate` and twins; about count × (1 + rate + 1.6%) records. */
export function* benchPatients(count: number, rate: number): Generator<Patient & { id: string }> {
  const options = resolveOptions({ count, seed: SEED });
  for (let i = 0; i < count; i++) {
    const rng = new Random(SEED, i);
    const person = createPerson(rng, options);
    const patient = patientOf(rng, person, options);
    yield patient as Patient & { id: string };
    const extra = new Random(SEED, DUPLICATE_STREAM + i);
    if (extra.chance(rate)) yield duplicateOf(extra, patient, options) as Patient & { id: string };
    const twinRng = new Random(SEED, TWIN_STREAM + i);
    if (!twinRng.chance(TWIN_SHARE)) continue;
    const birth = birthOneDigitApart(twinRng, person.birth, options);
    if (birth !== undefined) yield patientOf(twinRng, twinPerson(twinRng, options, person, birth), options) as Patient & { id: string };
  }
}
