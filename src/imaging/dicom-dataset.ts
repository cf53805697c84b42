/**
 * The attributes every generated instance carries, module by module, as a dcmjs "naturalized" dataset:
 * SOP Common, Patient, General Study, General Series, General Equipment, General Image and Image Pixel.
 * Study-level values come from the plan only, so they are identical in every file of a study (dcentvfy);
 * modality-specific modules are added by modality-modules.ts.
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part03/sect_C.7.html
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part03/sect_C.12.html (SOP Common)
 */
import type { NaturalDataset } from 'dcmjs';
import { dicomDateTime, TIMEZONE_OFFSET } from './dicom-time.js';
import { modalityModules } from './modality-modules.js';
import type { StudyPlan } from './study-plan.js';

export interface InstanceRef {
  seriesIndex: number;
  instanceIndex: number;
}

const sct = (c: { code: string; display: string }) => [{ CodeValue: c.code, CodingSchemeDesignator: 'SCT', CodeMeaning: c.display.slice(0, 64) }];

/** Every attribute of one instance except Pixel Data. */
export function instanceDataset(plan: StudyPlan, ref: InstanceRef): NaturalDataset {
  const series = plan.series[ref.seriesIndex];
  const { study } = plan;
  const startMs = Date.parse(plan.started);
  const studyAt = dicomDateTime(startMs);
  const seriesAt = dicomDateTime(startMs + ref.seriesIndex * 120_000);
  const contentAt = dicomDateTime(startMs + ref.seriesIndex * 120_000 + ref.instanceIndex * 1000);
  const bits = study.bitsStored <= 8 ? 8 : 16;
  return {
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: study.sopClass,
    SOPInstanceUID: series.instanceUids[ref.instanceIndex],
    InstanceCreationDate: studyAt.date,
    InstanceCreationTime: studyAt.time,
    TimezoneOffsetFromUTC: TIMEZONE_OFFSET,
    PatientName: plan.patient.name,
    PatientID: plan.patient.id,
    PatientBirthDate: plan.patient.birthDate,
    PatientSex: plan.patient.sex,
    StudyInstanceUID: plan.uid,
    StudyDate: studyAt.date,
    StudyTime: studyAt.time,
    ReferringPhysicianName: '',
    StudyID: plan.accession,
    AccessionNumber: plan.accession,
    StudyDescription: study.description,
    ProcedureCodeSequence: sct(study.procedure),
    Modality: study.modality,
    SeriesInstanceUID: series.uid,
    SeriesNumber: series.number,
    SeriesDescription: series.spec.description,
    SeriesDate: seriesAt.date,
    SeriesTime: seriesAt.time,
    BodyPartExamined: study.bodyPart,
    Manufacturer: 'medgen-data',
    ManufacturerModelName: `${study.phantom} phantom`,
    SoftwareVersions: 'medgen-data 0.1',
    InstanceNumber: ref.instanceIndex + 1,
    ContentDate: contentAt.date,
    ContentTime: contentAt.time,
    AcquisitionDate: contentAt.date,
    AcquisitionTime: contentAt.time,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: study.rows,
    Columns: study.columns,
    BitsAllocated: bits,
    BitsStored: study.bitsStored,
    HighBit: study.bitsStored - 1,
    PixelRepresentation: 0,
    ...modalityModules(plan, ref),
  };
}

/** File Meta Information (PS3.10 7.1): Explicit VR Little Endian, our implementation class. */
export function fileMeta(sopClass: string, sopInstance: string): NaturalDataset {
  return {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClass,
    MediaStorageSOPInstanceUID: sopInstance,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    ImplementationClassUID: '2.25.240157417373326419306420962434431707321',
    ImplementationVersionName: 'MEDGEN_DATA_01',
    _vrMap: { FileMetaInformationVersion: 'OB' },
  };
}

export { sct };
