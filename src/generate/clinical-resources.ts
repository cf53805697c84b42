/**
 * Encounter, Condition, Procedure, MedicationRequest, CarePlan and Immunization in Synthea's shape: urn:uuid
 * references inside the patient's bundle, conditional references to the practitioner, location and
 * organization, US Core profile claims.
 * @see https://hl7.org/fhir/us/core/STU3.1.1/profiles.html
 */
import type { CarePlan, Condition, Encounter, Immunization, MedicationRequest, Procedure, Provenance, Reference } from 'fhir/r4.js';
import { dateTime } from './clock.js';
import { CVX, RXNORM, SNOMED, category, concept, urn, usCore } from './fhir-common.js';
import { locationRef, organizationRef, practitionerRef, type Clinician, type Provider } from './providers.js';
import type { Code, CarePlanSpec, EncounterSpec, MedicationEntry } from './tables.js';

/** What every resource written during one encounter shares. */
export interface VisitContext {
  encounterId: string;
  start: number;
  end: number;
  patient: Reference;
  patientName: string;
  provider: Provider;
  clinician: Clinician;
}

const period = (v: VisitContext) => ({ start: dateTime(v.start), end: dateTime(v.end) });

export function encounterResource(v: VisitContext, type: Code, cls: EncounterSpec['class'], reason?: Reference): Encounter {
  return {
    resourceType: 'Encounter',
    id: v.encounterId,
    meta: usCore('us-core-encounter'),
    identifier: [{ use: 'official', system: 'https://github.com/synthetichealth/synthea', value: v.encounterId }],
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: cls },
    type: [concept(SNOMED, type)],
    subject: { ...v.patient, display: v.patientName },
    participant: [{
      type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'PPRF', display: 'primary performer' }], text: 'primary performer' }],
      period: period(v),
      individual: practitionerRef(v.clinician),
    }],
    period: period(v),
    ...(reason ? { reasonReference: [reason] } : {}),
    location: [{ location: locationRef(v.provider) }],
    serviceProvider: organizationRef(v.provider),
  };
}

export function conditionResource(id: string, v: VisitContext, code: Code, onset: number, abatement?: number, bodySite?: Code): Condition {
  return {
    resourceType: 'Condition',
    id,
    meta: usCore('us-core-condition'),
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: abatement === undefined ? 'active' : 'resolved' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
    category: category('http://terminology.hl7.org/CodeSystem/condition-category', 'encounter-diagnosis', 'Encounter Diagnosis'),
    code: concept(SNOMED, code),
    ...(bodySite ? { bodySite: [concept(SNOMED, bodySite)] } : {}),
    subject: v.patient,
    encounter: urn(v.encounterId),
    onsetDateTime: dateTime(onset),
    ...(abatement !== undefined ? { abatementDateTime: dateTime(abatement) } : {}),
    recordedDate: dateTime(v.start),
  };
}

export function procedureResource(id: string, v: VisitContext, code: Code, reason?: Reference & { display?: string }, bodySite?: Code): Procedure {
  return {
    resourceType: 'Procedure',
    id,
    meta: usCore('us-core-procedure'),
    status: 'completed',
    code: concept(SNOMED, code),
    subject: v.patient,
    encounter: urn(v.encounterId),
    performedPeriod: period(v),
    location: locationRef(v.provider),
    ...(bodySite ? { bodySite: [concept(SNOMED, bodySite)] } : {}),
    ...(reason ? { reasonReference: [reason] } : {}),
  };
}

export function medicationResource(id: string, v: VisitContext, med: MedicationEntry, active: boolean, reason?: Reference): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id,
    meta: usCore('us-core-medicationrequest'),
    status: active ? 'active' : 'stopped',
    intent: 'order',
    medicationCodeableConcept: concept(RXNORM, med),
    subject: v.patient,
    encounter: urn(v.encounterId),
    authoredOn: dateTime(v.start),
    requester: practitionerRef(v.clinician),
    ...(reason ? { reasonReference: [reason] } : {}),
    dosageInstruction: [med.asNeeded ? { sequence: 1, asNeededBoolean: true } : { sequence: 1, timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } }, asNeededBoolean: false }],
  };
}

/** `start` is the condition's onset when that precedes the visit recording it, so the plan never ends before it starts. */
export function carePlanResource(id: string, v: VisitContext, spec: CarePlanSpec, start: number, until: number | undefined, addresses: Reference, reasonText: string): CarePlan {
  const items = spec.activities.map((a) => `<li>${a.display}</li>`).join('');
  const done = until !== undefined;
  return {
    resourceType: 'CarePlan',
    id,
    meta: usCore('us-core-careplan'),
    text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">Care Plan for ${spec.display}.<br/>Activities: <ul>${items}</ul><br/>Care plan is meant to treat ${reasonText}.</div>` },
    status: done ? 'completed' : 'active',
    intent: 'order',
    category: [
      { coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/careplan-category', code: 'assess-plan' }] },
      concept(SNOMED, spec),
    ],
    subject: v.patient,
    encounter: urn(v.encounterId),
    period: { start: dateTime(start), ...(done ? { end: dateTime(until) } : {}) },
    addresses: [addresses],
    activity: spec.activities.map((a) => ({ detail: { code: concept(SNOMED, a), status: done ? ('completed' as const) : ('in-progress' as const), location: { display: v.provider.name } } })),
  };
}

export function immunizationResource(id: string, v: VisitContext, vaccine: Code): Immunization {
  return {
    resourceType: 'Immunization',
    id,
    meta: usCore('us-core-immunization'),
    status: 'completed',
    vaccineCode: concept(CVX, vaccine),
    patient: v.patient,
    encounter: urn(v.encounterId),
    occurrenceDateTime: dateTime(v.start),
    primarySource: true,
    location: locationRef(v.provider),
  };
}

/** The Provenance closing a record's bundle: authored by the provider's first clinician on its behalf. */
export function recordProvenance(id: string, entries: { fullUrl?: string }[], recorded: string, provider: Provider): Provenance {
  return {
    resourceType: 'Provenance',
    id,
    meta: usCore('us-core-provenance'),
    target: entries.map((e) => ({ reference: e.fullUrl! })),
    recorded,
    agent: [{
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author', display: 'Author' }], text: 'Author' },
      who: practitionerRef(provider.clinicians[0]),
      onBehalfOf: organizationRef(provider),
    }],
  };
}
