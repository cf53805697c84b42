/**
 * Small Synthea-shaped inputs written for these tests (not copied from Synthea): a support batch with
 * `ifNoneExist` Organizations and Practitioners, and patient transactions that reference them conditionally
 * and each other by `urn:uuid:`.
 */
import type { Bundle, BundleEntry, Resource } from 'fhir/r4.js';

export const SYNTHEA = 'https://github.com/synthetichealth/synthea';
export const NPI = 'http://hl7.org/fhir/sid/us-npi';

export function supportBatch(): Bundle {
  const org = { resourceType: 'Organization', id: 'org-1', identifier: [{ system: SYNTHEA, value: 'org-1' }], name: 'General Hospital' };
  const practitioner = { resourceType: 'Practitioner', id: 'pr-1', identifier: [{ system: NPI, value: '9999999991' }], name: [{ family: 'Osler' }] };
  return {
    resourceType: 'Bundle',
    type: 'batch',
    entry: [
      { fullUrl: 'urn:uuid:org-1', resource: org as Resource, request: { method: 'POST', url: 'Organization', ifNoneExist: `identifier=${SYNTHEA}|org-1` } },
      { fullUrl: 'urn:uuid:pr-1', resource: practitioner as Resource, request: { method: 'POST', url: 'Practitioner', ifNoneExist: `identifier=${NPI}|9999999991` } },
    ],
  };
}

const post = (fullUrl: string, resource: object): BundleEntry => ({ fullUrl, resource: resource as Resource, request: { method: 'POST', url: (resource as Resource).resourceType } });

/** A patient transaction: Patient, Encounter (conditional references), Observation, Claim with a contained reference. */
export function patientBundle(n: number, extra: BundleEntry[] = []): Bundle {
  const pid = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const eid = `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      post(`urn:uuid:${pid}`, { resourceType: 'Patient', id: pid, name: [{ family: `Family${n}`, given: ['Test'] }], gender: 'female', birthDate: '1980-01-01' }),
      post(`urn:uuid:${eid}`, {
        resourceType: 'Encounter',
        id: eid,
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
        subject: { reference: `urn:uuid:${pid}` },
        participant: [{ individual: { reference: `Practitioner?identifier=${NPI}|9999999991` } }],
        serviceProvider: { reference: `Organization?identifier=${SYNTHEA}|org-1` },
        period: { start: '2020-01-01T10:00:00Z', end: '2020-01-01T10:30:00Z' },
      }),
      post(`urn:uuid:obs-${n}`, {
        resourceType: 'Observation',
        id: `obs-${n}`,
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '8302-2', display: 'Body Height' }] },
        subject: { reference: `urn:uuid:${pid}` },
        encounter: { reference: `urn:uuid:${eid}` },
        effectiveDateTime: '2020-01-01T10:00:00Z',
        valueQuantity: { value: 170, unit: 'cm', system: 'http://unitsofmeasure.org', code: 'cm' },
      }),
      post(`urn:uuid:claim-${n}`, {
        resourceType: 'Claim',
        id: `claim-${n}`,
        status: 'active',
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'professional' }] },
        use: 'claim',
        patient: { reference: `urn:uuid:${pid}` },
        created: '2020-01-01T10:30:00Z',
        provider: { reference: `Organization?identifier=${SYNTHEA}|org-1` },
        priority: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/processpriority', code: 'normal' }] },
        contained: [{ resourceType: 'Coverage', id: 'coverage', status: 'active', beneficiary: { reference: `urn:uuid:${pid}` }, payor: [{ display: 'Self' }] }],
        insurance: [{ sequence: 1, focal: true, coverage: { reference: '#coverage' } }],
      }),
      ...extra,
    ],
  };
}

export const patientId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
