/**
 * The ImagingStudy for a planned study, in the shape of the R4 specification's examples: the Study Instance
 * UID as `urn:dicom:uid` / `urn:oid:…`, modalities from the DICOM DCM code system, SOP classes as
 * `urn:oid:…` in `urn:ietf:rfc:3986`, counts, and an endpoint to our DICOMweb service.
 * @see https://hl7.org/fhir/R4/imagingstudy.html
 * @see https://hl7.org/fhir/R4/imagingstudy-example.json.html
 */
import type { ImagingStudy } from 'fhir/r4.js';
import { DICOMWEB_ENDPOINT_ID } from './endpoint-resource.js';
import type { StudyPlan } from './study-plan.js';

export const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const SNOMED = 'http://snomed.info/sct';

const MODALITY_NAMES: Record<string, string> = {
  DX: 'Digital Radiography',
  CR: 'Computed Radiography',
  CT: 'Computed Tomography',
  MR: 'Magnetic Resonance',
  US: 'Ultrasound',
};

/** Laterality as SNOMED CT qualifiers (the R4 binding's example value set). */
const LATERALITY = {
  L: { system: SNOMED, code: '7771000', display: 'Left' },
  R: { system: SNOMED, code: '24028007', display: 'Right' },
};

const modalityCoding = (code: string) => ({ system: DCM, code, display: MODALITY_NAMES[code] });

export function imagingStudyResource(plan: StudyPlan): ImagingStudy & { id: string } {
  const { study } = plan;
  const numberOfInstances = plan.series.reduce((n, s) => n + s.instanceUids.length, 0);
  return {
    resourceType: 'ImagingStudy',
    id: plan.id,
    identifier: [
      { system: 'urn:dicom:uid', value: `urn:oid:${plan.uid}` },
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'ACSN' }] },
        system: 'urn:medgen-data:accession',
        value: plan.accession,
      },
    ],
    status: 'available',
    modality: [modalityCoding(study.modality)],
    subject: { reference: `Patient/${plan.patient.id}` },
    ...(plan.encounterId ? { encounter: { reference: `Encounter/${plan.encounterId}` } } : {}),
    started: plan.started,
    endpoint: [{ reference: `Endpoint/${DICOMWEB_ENDPOINT_ID}` }],
    numberOfSeries: plan.series.length,
    numberOfInstances,
    procedureCode: [{ coding: [{ system: SNOMED, code: study.procedure.code, display: study.procedure.display }], text: study.procedure.display }],
    reasonReference: [{ reference: `Condition/${plan.condition.id}`, display: plan.condition.display }],
    description: study.description,
    series: plan.series.map((s) => ({
      uid: s.uid,
      number: s.number,
      modality: modalityCoding(study.modality),
      description: s.spec.description,
      numberOfInstances: s.instanceUids.length,
      endpoint: [{ reference: `Endpoint/${DICOMWEB_ENDPOINT_ID}` }],
      bodySite: { system: SNOMED, code: study.bodySite.code, display: study.bodySite.display },
      ...(plan.laterality ? { laterality: LATERALITY[plan.laterality] } : {}),
      started: plan.started,
      instance: s.instanceUids.map((uid, i) => ({
        uid,
        sopClass: { system: 'urn:ietf:rfc:3986', code: `urn:oid:${study.sopClass}` },
        number: i + 1,
      })),
    })),
  };
}
