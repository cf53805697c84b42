/**
 * Patient attributes as DICOM writes them (Patient Module, PS3.3 C.7.1.1): Person Name with `^` between
 * family, given, middle and prefix; dates as YYYYMMDD; sex M, F or O. PatientID is the FHIR Patient id, so
 * QIDO-RS `PatientID=` and FHIR `ImagingStudy?patient=` find the same studies.
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part03/sect_C.7.html#sect_C.7.1.1
 */
import type { Patient } from 'fhir/r4.js';

export interface DicomPatient {
  id: string;
  /** PN: Family^Given^Middle^Prefix. */
  name: string;
  /** DA (YYYYMMDD) or empty. */
  birthDate: string;
  sex: 'M' | 'F' | 'O' | '';
}

/** Strips what PN reserves (`^`, `=`, `\`) and keeps within the 64-character component group limit. */
const pnPart = (s: string | undefined) => (s ?? '').replace(/[\\^=]/g, ' ').trim().slice(0, 30);

export function dicomPatient(patient: Patient & { id: string }): DicomPatient {
  const name = patient.name?.find((n) => n.use === 'official') ?? patient.name?.[0];
  const [given, ...middle] = name?.given ?? [];
  const parts = [pnPart(name?.family), pnPart(given), pnPart(middle.join(' ')), pnPart(name?.prefix?.join(' '))];
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  const sex = patient.gender === 'male' ? 'M' : patient.gender === 'female' ? 'F' : patient.gender ? 'O' : '';
  return {
    id: patient.id,
    name: parts.join('^'),
    birthDate: /^\d{4}-\d{2}-\d{2}/.test(patient.birthDate ?? '') ? patient.birthDate!.slice(0, 10).replace(/-/g, '') : '',
    sex,
  };
}
