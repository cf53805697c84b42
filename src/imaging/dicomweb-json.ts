/**
 * QIDO-RS answers in the DICOM JSON model, built from the stored ImagingStudy (and its Patient) with the
 * same values the files carry: the attributes PS3.18 lists as required return keys for study, series and
 * instance queries, plus a Retrieve URL for each.
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part18/sect_10.6.3.html (return attributes)
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part18/chapter_F.html (DICOM JSON)
 */
import type { DicomJsonDataset, NaturalDataset } from 'dcmjs';
import { DicomMetaDictionary } from './dcmjs.js';
import type { ImagingStudy, ImagingStudySeries, ImagingStudySeriesInstance, Patient } from 'fhir/r4.js';
import { dicomPatient } from './dicom-patient.js';
import { dicomDateTime, TIMEZONE_OFFSET } from './dicom-time.js';

/** The Study Instance UID of an ImagingStudy (`urn:dicom:uid` identifier), if it has one. */
export function studyUidOf(study: ImagingStudy): string | undefined {
  return study.identifier?.find((i) => i.system === 'urn:dicom:uid')?.value?.replace(/^urn:oid:/, '');
}

const oid = (code: string | undefined) => (code ?? '').replace(/^urn:oid:/, '');

const isEmpty = (v: unknown) => v === null || v === '' || (typeof v === 'object' && Object.keys(v as object).length === 0);

/**
 * IS and DS values as JSON numbers, as PS3.18 F.2.3 encodes them (dcmjs keeps them as strings); an attribute
 * with no value carries no `Value` at all (F.2.5: `{"vr":"PN"}`), where dcmjs writes `[null]` or `[""]`.
 */
export function numericStrings(dataset: DicomJsonDataset): DicomJsonDataset {
  for (const element of Object.values(dataset)) {
    // A sequence's empty item is still an item; only values can be empty.
    if (element.vr !== 'SQ' && Array.isArray(element.Value) && element.Value.every(isEmpty)) delete element.Value;
    if ((element.vr === 'IS' || element.vr === 'DS') && element.Value) element.Value = element.Value.map((v) => (v === '' || v === null ? v : Number(v)));
  }
  return dataset;
}

function json(natural: NaturalDataset): DicomJsonDataset {
  return numericStrings(DicomMetaDictionary.denaturalizeDataset(natural));
}

export function studyJson(study: ImagingStudy, patient: (Patient & { id: string }) | undefined, base: string): DicomJsonDataset {
  const uid = studyUidOf(study) ?? '';
  const at = dicomDateTime(Date.parse(study.started ?? ''));
  const p = patient ? dicomPatient(patient) : undefined;
  const accession = study.identifier?.find((i) => i.type?.coding?.some((c) => c.code === 'ACSN'))?.value ?? '';
  return json({
    SpecificCharacterSet: 'ISO_IR 192',
    StudyDate: study.started ? at.date : '',
    StudyTime: study.started ? at.time : '',
    TimezoneOffsetFromUTC: TIMEZONE_OFFSET,
    AccessionNumber: accession,
    ModalitiesInStudy: (study.modality ?? []).map((m) => m.code ?? ''),
    ReferringPhysicianName: '',
    StudyDescription: study.description ?? '',
    PatientName: p?.name ?? '',
    PatientID: p?.id ?? study.subject.reference?.replace(/^Patient\//, '') ?? '',
    PatientBirthDate: p?.birthDate ?? '',
    PatientSex: p?.sex ?? '',
    StudyInstanceUID: uid,
    StudyID: accession,
    NumberOfStudyRelatedSeries: study.numberOfSeries ?? study.series?.length ?? 0,
    NumberOfStudyRelatedInstances: study.numberOfInstances ?? 0,
    RetrieveURL: `${base}/studies/${uid}`,
  });
}

export function seriesJson(study: ImagingStudy, series: ImagingStudySeries, base: string): DicomJsonDataset {
  const uid = studyUidOf(study) ?? '';
  return json({
    SpecificCharacterSet: 'ISO_IR 192',
    Modality: series.modality.code ?? '',
    SeriesDescription: series.description ?? '',
    StudyInstanceUID: uid,
    SeriesInstanceUID: series.uid,
    SeriesNumber: series.number ?? 0,
    // The ImagingStudy series' start, or the study's when the series has none.
    PerformedProcedureStepStartDate: (series.started ?? study.started) ? dicomDateTime(Date.parse((series.started ?? study.started)!)).date : '',
    NumberOfSeriesRelatedInstances: series.numberOfInstances ?? series.instance?.length ?? 0,
    RetrieveURL: `${base}/studies/${uid}/series/${series.uid}`,
  });
}

export function instanceJson(study: ImagingStudy, series: ImagingStudySeries, instance: ImagingStudySeriesInstance, base: string): DicomJsonDataset {
  const uid = studyUidOf(study) ?? '';
  return json({
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: oid(instance.sopClass.code),
    SOPInstanceUID: instance.uid,
    StudyInstanceUID: uid,
    SeriesInstanceUID: series.uid,
    InstanceNumber: instance.number ?? 0,
    Modality: series.modality.code ?? '',
    RetrieveURL: `${base}/studies/${uid}/series/${series.uid}/instances/${instance.uid}`,
  });
}
