/**
 * `POST [base]/$enhance-imaging` (every patient) and `POST [base]/Patient/{id}/$enhance-imaging` (one; 404
 * OperationOutcome when unknown): ImagingStudy resources and DICOM files for the Conditions the imaging
 * table names (src/imaging/enhance-imaging.ts). Answers 200 and a Parameters with the counts. The operation
 * writes the DICOM files where the server's DICOMweb reads them, so it is made by a factory over the server's FileStore.
 * @see ../shared/SPEC.md ($enhance-imaging)
 */
import type { OperationDefinition, Parameters } from 'fhir/r4.js';
import { badRequest } from '../src/fhir/outcomes.js';
import type { FhirOperation } from '../src/fhir/rest/operation.js';
import type { FileStore } from '../src/files/file-store.js';
import { dicomwebBaseFor } from '../src/imaging/endpoint-resource.js';
import { enhanceImaging, type EnhanceImagingResult } from '../src/imaging/enhance-imaging.js';

const COUNTS: (keyof EnhanceImagingResult)[] = ['patients', 'created', 'updated', 'unchanged', 'series', 'instances', 'filesWritten', 'bytesWritten'];

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  id: 'enhance-imaging',
  url: 'urn:medgen-data:OperationDefinition/enhance-imaging',
  name: 'EnhanceImaging',
  status: 'active',
  kind: 'operation',
  code: 'enhance-imaging',
  affectsState: true,
  system: true,
  type: false,
  instance: true,
  resource: ['Patient'],
  description: 'Adds ImagingStudy resources and DICOM files (served by DICOMweb) for the conditions that call for imaging; re-runs add nothing.',
  parameter: [
    { name: 'patients', use: 'out', min: 1, max: '1', type: 'integer', documentation: 'Patients with at least one condition that calls for imaging' },
    { name: 'created', use: 'out', min: 1, max: '1', type: 'integer', documentation: 'ImagingStudy resources created' },
    { name: 'updated', use: 'out', min: 1, max: '1', type: 'integer' },
    { name: 'unchanged', use: 'out', min: 1, max: '1', type: 'integer' },
    { name: 'series', use: 'out', min: 1, max: '1', type: 'integer' },
    { name: 'instances', use: 'out', min: 1, max: '1', type: 'integer' },
    { name: 'filesWritten', use: 'out', min: 1, max: '1', type: 'integer', documentation: 'DICOM files written by this run' },
    { name: 'bytesWritten', use: 'out', min: 1, max: '1', type: 'decimal' },
  ],
};

/** The counts as a Parameters resource (bytes as decimal: they can exceed a FHIR integer). */
export function resultParameters(result: EnhanceImagingResult): Parameters {
  return {
    resourceType: 'Parameters',
    parameter: COUNTS.map((name) => (name === 'bytesWritten' ? { name, valueDecimal: result[name] } : { name, valueInteger: result[name] })),
  };
}

export function createEnhanceImagingOperation(fileStore: FileStore): FhirOperation {
  return {
    code: 'enhance-imaging',
    definition,
    async handler(ctx, req, target) {
      if (req.method !== 'POST') throw badRequest('$enhance-imaging takes POST');
      if (target.resourceType !== undefined && (target.resourceType !== 'Patient' || target.id === undefined)) {
        throw badRequest('$enhance-imaging runs on the system or on Patient/{id}');
      }
      const result = await enhanceImaging({ store: ctx.store, fileStore, dicomwebBaseUrl: dicomwebBaseFor(ctx.baseUrl), patientId: target.id, lineage: { jobId: `request-${ctx.requestId}`, parameters: { patient: target.id ?? null } } });
      return { status: 200, body: resultParameters(result) };
    },
  };
}
