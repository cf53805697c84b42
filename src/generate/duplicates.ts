/**
 * `--duplicates RATE`: a population with known duplicates, for measuring patient matching (issue 19). Of the
 * `count` people, round(RATE × count) get a second record (duplicate-record.ts) and round(1.6% × count) a
 * twin (duplicate-twins.ts); the ground truth lists both (duplicate-ground-truth.ts). Who is chosen, and how
 * each record is corrupted, depend only on the seed and the count: every choice draws from a stream of its
 * own, apart from the patients' streams, so the original records are the same as in a run without duplicates
 * (but for twins' multiple-birth flag).
 */
import type { Bundle, Patient } from 'fhir/r4.js';
import { duplicateRecord } from './duplicate-record.js';
import type { GroundTruthRow } from './duplicate-ground-truth.js';
import { birthOneDigitApart, twinPerson } from './duplicate-twins.js';
import type { ResolvedOptions } from './options.js';
import { generatePatient, type PatientRecord } from './patient-record.js';
import { Random } from './prng.js';
import type { ProviderNetwork } from './providers.js';
import type { NamedBundle } from './write-output.js';

/**
 * Twin pairs per person: 32 twin births per 1,000 births (CDC NVSS, 2019) are about 16 twin deliveries per
 * 1,000 deliveries.
 * @see https://www.cdc.gov/nchs/data/nvsr/nvsr70/nvsr70-02-508.pdf
 */
export const TWIN_SHARE = 0.016;

// Streams of this feature, far above the patients' (0 … count-1) and below the network's (0x7fffffff).
const TWIN_BIRTH_STREAM = 0x20000000;
const TWIN_RECORD_STREAM = 0x30000000;
const DUPLICATE_STREAM = 0x40000000;
const SELECT_DUPLICATES_STREAM = 0x50000000;
const SELECT_TWINS_STREAM = 0x50000001;

/**
 * Exactly `wanted` of the indices 0 … total-1, each set equally likely (selection sampling, Knuth's
 * Algorithm S): an exact count, so "10% duplicates" gives 100 of 1,000 and not 87 or 113.
 */
export function exactSample(rng: Random, total: number, wanted: number): Set<number> {
  const chosen = new Set<number>();
  for (let i = 0; i < total && chosen.size < wanted; i++) if (rng.next() * (total - i) < wanted - chosen.size) chosen.add(i);
  return chosen;
}

/** A bundle's file name as write-population.ts names patients: `<Given>_<Family>_<id>`. */
function named(patient: Patient, bundle: Bundle): NamedBundle {
  const name = patient.name![0];
  return { name: `${name.given![0]}_${name.family}_${patient.id}`, bundle };
}

const patientOf = (bundle: Bundle) => bundle.entry!.find((e) => e.resource!.resourceType === 'Patient')!.resource as Patient;

export class DuplicateMaker {
  /** The ground truth so far, in the order the records were made. */
  readonly rows: GroundTruthRow[] = [];
  private readonly withDuplicate: Set<number>;
  private readonly withTwin: Set<number>;

  constructor(private readonly options: ResolvedOptions, private readonly network: ProviderNetwork, rate: number) {
    this.withDuplicate = exactSample(new Random(options.seed, SELECT_DUPLICATES_STREAM), options.count, Math.round(rate * options.count));
    this.withTwin = exactSample(new Random(options.seed, SELECT_TWINS_STREAM), options.count, Math.round(TWIN_SHARE * options.count));
  }

  /** The records of person `index`: their own, then their twin's and their duplicate, when they have them. */
  recordsOf(record: PatientRecord, index: number): NamedBundle[] {
    const { options, network } = this;
    const original = patientOf(record.bundle);
    const records = [named(original, record.bundle)];
    const birth = this.withTwin.has(index) ? birthOneDigitApart(new Random(options.seed, TWIN_BIRTH_STREAM + index), record.person.birth, options) : undefined;
    if (birth !== undefined) {
      const twin = generatePatient(options, network, TWIN_RECORD_STREAM + index, (rng, o) => twinPerson(rng, o, record.person, birth));
      const twinPatient = patientOf(twin.bundle);
      // Twins' records say they were born of a multiple birth, as a registration would.
      original.multipleBirthBoolean = twinPatient.multipleBirthBoolean = true;
      records.push(named(twinPatient, twin.bundle));
      this.rows.push({ left: original.id!, right: twinPatient.id!, relation: 'twin', kinds: [] });
    }
    if (this.withDuplicate.has(index)) {
      const duplicate = duplicateRecord(new Random(options.seed, DUPLICATE_STREAM + index), record, options, network);
      records.push(named(duplicate.patient, duplicate.bundle));
      this.rows.push({ left: original.id!, right: duplicate.patient.id!, relation: 'duplicate', kinds: duplicate.kinds });
    }
    return records;
  }

  get duplicates(): number {
    return this.rows.filter((r) => r.relation === 'duplicate').length;
  }

  get twins(): number {
    return this.rows.filter((r) => r.relation === 'twin').length;
  }
}
