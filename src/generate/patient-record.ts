/**
 * One patient, start to finish: draws the person and their life, walks their visits in time order, and
 * writes what each visit produces (encounter, diagnoses, vitals, labs, procedures, immunizations,
 * prescriptions, care plans, claim and EOB) into one FHIR transaction Bundle in Synthea's shape, closed by
 * a Provenance. Conditions diagnosed before the records' window are recorded at the first visit in it.
 * @see https://github.com/synthetichealth/synthea/wiki/HL7-FHIR
 */
import type { Bundle, BundleEntry, Reference, Resource } from 'fhir/r4.js';
import { ageAt, instant } from './clock.js';
import { CareHistory } from './care.js';
import { claimPair, type BillableItem } from './claims.js';
import { carePlanResource, conditionResource, encounterResource, immunizationResource, medicationResource, procedureResource, recordProvenance, type VisitContext } from './clinical-resources.js';
import { urn } from './fhir-common.js';
import { vitalsAt } from './growth.js';
import { cohortLife, cohortPersonOptions } from './cohort-life.js';
import { planLife, type Diagnosis, type Life } from './life.js';
import { causeOfDeath, labPanel, smokingStatus, vitalSigns } from './observations.js';
import type { ResolvedOptions } from './options.js';
import { patientResource, prefixOf } from './patient-resource.js';
import { createPerson, maritalAt, type Person } from './person.js';
import { Random } from './prng.js';
import type { Provider, ProviderNetwork } from './providers.js';
import { DEMOGRAPHICS, type Code } from './tables.js';
import { planVisits, type Visit } from './visits.js';

const OBESITY: Code = { code: '162864005', display: 'Body mass index 30+ - obesity (finding)' };
const DEPRESSION_SCREENING: Code = { code: '171207006', display: 'Depression screening (procedure)' };
const COST = { procedure: 516.65, immunization: 140.52, medication: 48.3 };

export interface PatientRecord {
  person: Person;
  life: Life;
  bundle: Bundle;
}

function payerOf(rng: Random, age: number): { payer: string; coinsurance: number } {
  const p = DEMOGRAPHICS.payers;
  if (age >= 65) return { payer: rng.pick(p.senior), coinsurance: 0.2 };
  if (rng.chance(p.uninsuredShare)) return { payer: 'NO_INSURANCE', coinsurance: 1 };
  if (rng.chance(p.medicaidShare)) return { payer: rng.pick(p.low), coinsurance: 0 };
  return { payer: rng.pick(p.private), coinsurance: 0.2 };
}

/**
 * Generates patient number `index` of a run; the same (options, index) always gives the same bundle.
 * `makePerson` draws who they are (duplicates.ts passes one that makes a twin of another patient).
 */
export function generatePatient(options: ResolvedOptions, network: ProviderNetwork, index: number, makePerson: (rng: Random, options: ResolvedOptions) => Person = createPerson): PatientRecord {
  const rng = new Random(options.seed, index);
  const person = makePerson(rng, options.cohort ? cohortPersonOptions(options, index) : options);
  const life = options.cohort ? cohortLife(rng, person, options) : planLife(rng, person, options);
  const visits = planVisits(rng, person, life);
  const ageAtEnd = ageAt(person.birth, life.end);
  const { payer, coinsurance } = payerOf(rng, ageAtEnd);
  const local = network.clinics.filter((c) => c.place.city === person.place.city);
  const clinic = rng.pick(local.length ? local : network.clinics);
  const hospital = rng.pick(network.hospitals);
  const patientName = `${prefixOf(person, ageAtEnd) ? `${prefixOf(person, ageAtEnd)} ` : ''}${person.given} ${person.family}`;
  const patient = urn(person.id);
  const entries: BundleEntry[] = [];
  const add = (r: Resource & { id?: string }) => entries.push({ fullUrl: `urn:uuid:${r.id}`, resource: r, request: { method: 'POST', url: r.resourceType } });
  add(patientResource(person, life, maritalAt(rng, ageAtEnd), options));

  const care = new CareHistory(person.birth, life.windowStart);
  const conditionRef = new Map<string, Reference>();
  let obesityRecorded = false;
  const activeAt = (t: number) => new Set(life.diagnoses.filter((d) => d.onset <= t && (d.abatement === undefined || d.abatement > t)).map((d) => d.module.id));
  const until = (d: Diagnosis) => d.abatement ?? life.death;

  const visit = (v: Visit, first: boolean) => {
    const provider: Provider = v.class === 'AMB' ? clinic : hospital;
    const ctx: VisitContext = { encounterId: rng.uuid(), start: v.start, end: v.end, patient, patientName, provider, clinician: rng.pick(provider.clinicians) };
    const age = ageAt(person.birth, v.start);
    const active = activeAt(v.start);
    const bill: BillableItem[] = [];
    const made: Resource[] = [];
    const diagnose = (d: Diagnosis) => {
      const ref = { reference: `urn:uuid:${d.id}`, display: d.variant.condition.display };
      conditionRef.set(d.id, ref);
      const onset = Math.min(d.onset, v.start);
      made.push(conditionResource(d.id, ctx, d.variant.condition, onset, d.abatement, d.variant.bodySite));
      bill.push({ kind: 'diagnosis', id: d.id, code: d.variant.condition, cost: 0 });
      for (const med of d.variant.medications) {
        const r = medicationResource(rng.uuid(), ctx, med, life.death === undefined && d.abatement === undefined && !med.once, ref);
        made.push(r);
        bill.push({ kind: 'medication', id: r.id!, code: med, cost: COST.medication });
      }
      if (d.variant.carePlan) made.push(carePlanResource(rng.uuid(), ctx, d.variant.carePlan, onset, until(d), ref, d.variant.condition.display));
    };
    const procedure = (code: Code, reason?: Reference, bodySite?: Code) => {
      const r = procedureResource(rng.uuid(), ctx, code, reason, bodySite);
      made.push(r);
      bill.push({ kind: 'procedure', id: r.id!, code, cost: COST.procedure });
    };
    const labs = (panels: string[]) => {
      for (const panel of panels as Parameters<typeof labPanel>[2][]) {
        made.push(...labPanel(rng, ctx, panel, active));
        care.drawn(panel, v.start);
      }
    };
    const vitals = () => vitalsAt(person, age, active.has('hypertension'), () => rng.normal());

    if (first) for (const d of life.diagnoses) if (d.onset < v.start && !conditionRef.has(d.id) && (d.module.kind === 'chronic' || d.abatement === undefined)) diagnose(d);
    const d = v.diagnosis;
    if (v.kind === 'wellness') {
      const vs = vitals();
      made.push(...vitalSigns(rng, ctx, vs, age));
      if (age >= 18) made.push(smokingStatus(rng.uuid(), ctx, person.smoking));
      if (age >= 18 && vs.bmi >= 30 && !obesityRecorded) {
        obesityRecorded = true;
        const id = rng.uuid();
        made.push(conditionResource(id, ctx, OBESITY, v.start));
        bill.push({ kind: 'diagnosis', id, code: OBESITY, cost: 0 });
      }
      if (age >= 12) procedure(DEPRESSION_SCREENING);
      labs(care.screeningsDue(age, v.start, vs.bmi, active.has('hypertension') || active.has('diabetes') || active.has('coronary_heart_disease')));
      for (const vaccine of care.vaccinesDue(age, new Date(v.start).getUTCFullYear())) {
        const r = immunizationResource(rng.uuid(), ctx, vaccine);
        made.push(r);
        bill.push({ kind: 'immunization', id: r.id!, code: vaccine, cost: COST.immunization });
      }
    } else if (d && v.kind === 'onset') {
      if (!conditionRef.has(d.id)) diagnose(d);
      made.push(...vitalSigns(rng, ctx, vitals(), age));
      for (const p of d.variant.procedures) procedure(p, conditionRef.get(d.id), d.variant.bodySite);
      labs(d.module.labs);
    } else if (d && (v.kind === 'followup' || v.kind === 'prenatal')) {
      made.push(...vitalSigns(rng, ctx, vitals(), age));
      labs(d.module.followUp?.labs ?? []);
    } else if (d && v.kind === 'delivery' && d.module.delivery) {
      procedure(d.cesarean ? d.module.delivery.cesarean : d.module.delivery.normal, conditionRef.get(d.id));
    } else if (v.kind === 'required') {
      // A hospital stay or emergency visit a cohort asks for gets the admission vitals and bloods.
      made.push(...vitalSigns(rng, ctx, vitals(), age));
      if (v.class !== 'AMB') labs(['cbc', 'metabolic']);
    } else if (v.kind === 'death' && d) {
      made.push(causeOfDeath(rng.uuid(), ctx, d.variant.condition));
    }
    const reason = d && v.kind !== 'wellness' ? conditionRef.get(d.id) : undefined;
    add(encounterResource(ctx, v.type, v.class, reason));
    for (const r of made) add(r);
    for (const r of claimPair(rng.uuid(), rng.uuid(), ctx, v.type, v.class, bill, payer, coinsurance)) add(r);
  };
  visits.forEach((v, i) => visit(v, i === 0));

  add(recordProvenance(rng.uuid(), entries, instant(options.referenceTime), clinic));
  return { person, life, bundle: { resourceType: 'Bundle', type: 'transaction', entry: entries } };
}

