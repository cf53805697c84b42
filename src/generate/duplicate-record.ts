/**
 * A duplicate record: the same person registered a second time, at one of the run's hospitals, without the
 * first record being found. It is a Patient of its own (own id and MRN, demographics corrupted as
 * duplicate-corruptions.ts describes) with a few visits of its own (emergency or walk-in, with vital signs
 * from the person's own body), in a transaction Bundle of the same shape as every patient's, closed by a
 * Provenance. The visits fall inside the person's life and the records' window.
 */
import type { Bundle, BundleEntry, Patient, Resource } from 'fhir/r4.js';
import { HOUR, MINUTE, DAY, ageAt, instant } from './clock.js';
import { encounterResource, recordProvenance, type VisitContext } from './clinical-resources.js';
import { corruptPatient, type CorruptionKind } from './duplicate-corruptions.js';
import { urn } from './fhir-common.js';
import { vitalsAt } from './growth.js';
import { vitalSigns } from './observations.js';
import type { ResolvedOptions } from './options.js';
import type { PatientRecord } from './patient-record.js';
import type { Random } from './prng.js';
import { SYNTHEA_ID_SYSTEM, type ProviderNetwork } from './providers.js';
import type { Code, EncounterSpec } from './tables.js';

type VisitSpec = Code & { class: EncounterSpec['class']; minutes: number; weight: number };

/** Where a second registration usually happens: the emergency department, or a walk-in at another site. */
const VISITS: VisitSpec[] = [
  { code: '50849002', display: 'Emergency room admission (procedure)', class: 'EMER', minutes: 120, weight: 0.6 },
  { code: '185345009', display: 'Encounter for symptom (procedure)', class: 'AMB', minutes: 30, weight: 0.4 },
];

export interface DuplicateRecord {
  patient: Patient;
  kinds: CorruptionKind[];
  bundle: Bundle;
}

/** The identifiers a new registration issues (the generator's id and the MRN), given `id`; the rest are the person's. */
function reregister(original: Patient, id: string): Patient {
  const patient = structuredClone(original);
  patient.id = id;
  for (const identifier of patient.identifier ?? []) {
    if (identifier.system === SYNTHEA_ID_SYSTEM || identifier.type?.coding?.some((c) => c.code === 'MR')) identifier.value = id;
  }
  return patient;
}

/** Visit times: one to three moments in the records' window, in office hours unless they are emergencies. */
function visitTimes(rng: Random, record: PatientRecord): { start: number; end: number; spec: VisitSpec }[] {
  const from = Math.max(record.life.windowStart, record.person.birth + HOUR);
  const until = record.life.end;
  const visits: { start: number; end: number; spec: VisitSpec }[] = [];
  for (let n = rng.int(1, 3); n > 0; n--) {
    const spec = rng.weighted(VISITS);
    const at = from + rng.next() * Math.max(0, until - from);
    const start = spec.class === 'AMB' ? Math.max(from, Math.floor(at / DAY) * DAY + 8 * HOUR + rng.int(0, 36) * 15 * MINUTE) : Math.floor(at / MINUTE) * MINUTE;
    const end = start + spec.minutes * MINUTE;
    if (start >= from && end < until) visits.push({ start, end, spec });
  }
  return visits.sort((a, b) => a.start - b.start);
}

/** The duplicate of `record` drawn from `rng`. */
export function duplicateRecord(rng: Random, record: PatientRecord, options: ResolvedOptions, network: ProviderNetwork): DuplicateRecord {
  const original = record.bundle.entry!.find((e) => e.resource!.resourceType === 'Patient')!.resource as Patient;
  const patient = reregister(original, rng.uuid());
  const kinds = corruptPatient(rng, patient, options);
  const hospital = rng.pick(network.hospitals);
  const name = patient.name![0];
  const patientName = [...(name.prefix ?? []), ...(name.given ?? []), name.family].join(' ');
  const entries: BundleEntry[] = [];
  const add = (r: Resource & { id?: string }) => entries.push({ fullUrl: `urn:uuid:${r.id}`, resource: r, request: { method: 'POST', url: r.resourceType } });
  add(patient);
  const hypertensiveAt = (t: number) => record.life.diagnoses.some((d) => d.module.id === 'hypertension' && d.onset <= t && (d.abatement === undefined || d.abatement > t));
  for (const v of visitTimes(rng, record)) {
    const ctx: VisitContext = { encounterId: rng.uuid(), start: v.start, end: v.end, patient: urn(patient.id!), patientName, provider: hospital, clinician: rng.pick(hospital.clinicians) };
    const age = ageAt(record.person.birth, v.start);
    add(encounterResource(ctx, v.spec, v.spec.class));
    for (const o of vitalSigns(rng, ctx, vitalsAt(record.person, age, hypertensiveAt(v.start), () => rng.normal()), age)) add(o);
  }
  add(recordProvenance(rng.uuid(), entries, instant(options.referenceTime), hospital));
  return { patient, kinds, bundle: { resourceType: 'Bundle', type: 'transaction', entry: entries } };
}
