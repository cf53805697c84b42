/**
 * The one Endpoint every generated ImagingStudy points at: our DICOMweb service (WADO-RS, and QIDO-RS at the
 * same base). Its address depends on where the server is reached, so it is rewritten when that changes.
 * @see https://hl7.org/fhir/R4/endpoint.html
 * @see https://hl7.org/fhir/R4/codesystem-endpoint-connection-type.html (dicom-wado-rs)
 */
import type { Endpoint } from 'fhir/r4.js';

export const DICOMWEB_ENDPOINT_ID = 'medgen-dicomweb';

/** `baseUrl` is the DICOMweb root, e.g. `http://127.0.0.1:8080/dicomweb`. */
export function dicomwebEndpoint(baseUrl: string): Endpoint & { id: string } {
  return {
    resourceType: 'Endpoint',
    id: DICOMWEB_ENDPOINT_ID,
    status: 'active',
    connectionType: { system: 'http://terminology.hl7.org/CodeSystem/endpoint-connection-type', code: 'dicom-wado-rs' },
    name: 'medgen-data DICOMweb (WADO-RS, QIDO-RS)',
    payloadType: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/endpoint-payload-type', code: 'DICOM' }], text: 'DICOM' }],
    payloadMimeType: ['application/dicom'],
    address: baseUrl.replace(/\/+$/, ''),
  };
}

/** The DICOMweb root that sits beside a FHIR base (`…/fhir` -> `…/dicomweb`). */
export function dicomwebBaseFor(fhirBaseUrl: string): string {
  return fhirBaseUrl.replace(/\/fhir\/?$/, '') + '/dicomweb';
}
