/** Resources shaped like Synthea's R4 output (trimmed), for computeIndex tests. */
import type { Claim, Coverage, Encounter, Observation, Patient } from 'fhir/r4.js';

export const patient: Patient = {
  resourceType: 'Patient',
  id: 'b0e3c3d4-1111-4a2b-9c3d-000000000001',
  meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient'], tag: [{ system: 'http://example.org/tags', code: 'synthetic' }] },
  extension: [
    {
      url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
      extension: [
        { url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: '2106-3', display: 'White' } },
        { url: 'text', valueString: 'White' },
      ],
    },
    { url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex', valueCode: 'M' },
  ],
  identifier: [
    { system: 'https://github.com/synthetichealth/synthea', value: 'b0e3c3d4-1111-4a2b-9c3d-000000000001' },
    {
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'SS', display: 'Social Security Number' }] },
      system: 'http://hl7.org/fhir/sid/us-ssn',
      value: '999-32-4655',
    },
  ],
  name: [
    { use: 'official', family: 'Abbott774', given: ['José', 'Adolfo777'], prefix: ['Mr.'] },
    { use: 'maiden', family: '  Van   der  Berg ', given: ['Adolfo777'] },
  ],
  telecom: [{ system: 'phone', value: '555-853-3046', use: 'home' }, { system: 'email', value: 'adolfo@example.org' }],
  gender: 'male',
  birthDate: '1983-04-11',
  address: [
    {
      extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/geolocation', extension: [{ url: 'latitude', valueDecimal: 42.1 }] }],
      line: ['1059 Bogan Rapid Apt 5'],
      city: 'Boston',
      state: 'MA',
      postalCode: '02108',
      country: 'US',
    },
  ],
  maritalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M' }], text: 'M' },
  multipleBirthBoolean: false,
  generalPractitioner: [{ reference: 'Practitioner/pr-1' }],
  managingOrganization: { reference: 'Organization?identifier=https://github.com/synthetichealth/synthea|org-7' },
};

export const observation: Observation = {
  resourceType: 'Observation',
  id: 'obs-1',
  status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
  code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body Weight' }], text: 'Body Weight' },
  subject: { reference: 'urn:uuid:b0e3c3d4-1111-4a2b-9c3d-000000000001' },
  encounter: { reference: 'Encounter/enc-1/_history/3' },
  effectiveDateTime: '2019-06-01T10:15:30+02:00',
  issued: '2019-06-01T10:15:30.123+02:00',
  valueQuantity: { value: 72.5, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
};

export const bloodPressure: Observation = {
  resourceType: 'Observation',
  id: 'obs-2',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
  subject: { reference: 'Patient/p-1' },
  effectivePeriod: { start: '2019-06-01' },
  component: [
    { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: { value: 80, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
    { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: 120, unit: 'mmHg' } },
  ],
};

export const encounter: Encounter = {
  resourceType: 'Encounter',
  id: 'enc-1',
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
  type: [{ coding: [{ system: 'http://snomed.info/sct', code: '185345009', display: 'Encounter for symptom' }] }],
  subject: { reference: 'Patient/p-1', display: 'Mr. Adolfo777 Abbott774' },
  participant: [{ individual: { reference: 'Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999997899' } }],
  period: { start: '2019-06-01T10:00:00Z' },
  length: { value: 15, unit: 'min', system: 'http://unitsofmeasure.org', code: 'min' },
  serviceProvider: { reference: 'Organization/org-7' },
};

const containedCoverage: Coverage = { resourceType: 'Coverage', id: 'cov1', status: 'active', beneficiary: { reference: 'Patient/p-1' }, payor: [{ reference: 'Organization/payer-1' }] };

export const claim: Claim = {
  resourceType: 'Claim',
  id: 'claim-1',
  status: 'active',
  type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'professional' }] },
  use: 'claim',
  patient: { reference: 'Patient/p-1' },
  created: '2019-06-01T10:15:00Z',
  provider: { reference: 'http://example.org/fhir/Organization/org-7' },
  priority: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/processpriority', code: 'normal' }] },
  contained: [containedCoverage],
  insurance: [{ sequence: 1, focal: true, coverage: { reference: '#cov1' } }],
  item: [
    { sequence: 1, productOrService: { coding: [{ system: 'http://snomed.info/sct', code: '185345009' }] }, encounter: [{ reference: 'Encounter/enc-1' }] },
    { sequence: 2, productOrService: { text: 'x' }, encounter: [{ reference: 'Encounter/enc-2' }, { reference: 'Encounter/enc-3' }] },
  ],
};
