/**
 * The IOD-specific modules per modality, so each file carries what its SOP class requires:
 * DX (Digital X-Ray Image, For Presentation: DX Series, DX Anatomy Imaged, DX Image, DX Detector, VOI LUT),
 * CR (CR Series, CR Image), CT (CT Image, Image Plane, Frame of Reference), MR (MR Image without Rescale,
 * Image Plane, Frame of Reference) and US (US Image).
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part03/sect_A.26.html (DX)
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part03/sect_C.8.2.html (CT Image)
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part03/sect_C.8.3.html (MR Image)
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part03/sect_C.8.5.6.html (US Image)
 */
import type { NaturalDataset } from 'dcmjs';
import type { InstanceRef } from './dicom-dataset.js';
import type { StudyPlan } from './study-plan.js';

/** Row and column directions (Patient Orientation) of a projection radiograph, by view. */
const ORIENTATION: Record<string, [string, string]> = { PA: ['L', 'F'], AP: ['R', 'F'], LL: ['P', 'F'], LATERAL: ['A', 'F'], OBLIQUE: ['R', 'F'] };

/** View Position defined terms (PS3.3 C.8.11.5) with their CID 4010 codes; other views leave it empty. */
const VIEWS: Record<string, { code: string; meaning: string }> = {
  PA: { code: '399348003', meaning: 'postero-anterior' },
  AP: { code: '399182003', meaning: 'antero-posterior' },
  LL: { code: '399173006', meaning: 'left lateral' },
};

const MR_SEQUENCES: Record<string, NaturalDataset> = {
  T1: { ScanningSequence: 'SE', SequenceVariant: 'NONE', RepetitionTime: 500, EchoTime: 12, EchoTrainLength: 1, SequenceName: 'se2d1' },
  T2: { ScanningSequence: 'SE', SequenceVariant: 'SK', RepetitionTime: 4000, EchoTime: 100, EchoTrainLength: 15, SequenceName: 'tse2d1_15' },
  FLAIR: { ScanningSequence: ['SE', 'IR'], SequenceVariant: ['SK', 'MP'], RepetitionTime: 9000, EchoTime: 90, InversionTime: 2500, EchoTrainLength: 16, SequenceName: 'tir2d1_16' },
  DWI: { ScanningSequence: 'EP', SequenceVariant: 'SK', RepetitionTime: 5000, EchoTime: 80, EchoTrainLength: 1, SequenceName: 'ep_b1000' },
};

function projection(plan: StudyPlan, ref: InstanceRef): NaturalDataset {
  const view = plan.series[ref.seriesIndex].spec.view ?? 'AP';
  const spacing = plan.study.pixelSpacing;
  return {
    ImageType: ['ORIGINAL', 'PRIMARY'],
    PatientOrientation: ORIENTATION[view] ?? ['R', 'F'],
    ViewPosition: VIEWS[view] ? view : '',
    KVP: plan.study.bodyPart === 'CHEST' ? 120 : 60,
    ImagerPixelSpacing: [spacing, spacing],
    PixelSpacing: [spacing, spacing],
    WindowCenter: 1500,
    WindowWidth: 3000,
    BurnedInAnnotation: 'NO',
    LossyImageCompression: '00',
  };
}

function dx(plan: StudyPlan, ref: InstanceRef): NaturalDataset {
  const view = plan.series[ref.seriesIndex].spec.view ?? 'AP';
  return {
    ...projection(plan, ref),
    PresentationIntentType: 'FOR PRESENTATION',
    ImageLaterality: plan.laterality ?? 'U',
    PositionerType: 'NONE',
    ...(VIEWS[view] ? { ViewCodeSequence: [{ CodeValue: VIEWS[view].code, CodingSchemeDesignator: 'SCT', CodeMeaning: VIEWS[view].meaning }] } : {}),
    AnatomicRegionSequence: [{ CodeValue: plan.study.bodySite.code, CodingSchemeDesignator: 'SCT', CodeMeaning: plan.study.bodySite.display.slice(0, 64) }],
    PixelIntensityRelationship: 'LIN',
    PixelIntensityRelationshipSign: 1,
    RescaleIntercept: 0,
    RescaleSlope: 1,
    RescaleType: 'US',
    PresentationLUTShape: 'IDENTITY',
    DetectorType: 'DIRECT',
    AcquisitionContextSequence: [],
  };
}

function cr(plan: StudyPlan, ref: InstanceRef): NaturalDataset {
  return { ...projection(plan, ref), ...(plan.laterality ? { Laterality: plan.laterality } : {}) };
}

/** Image Plane and Frame of Reference for axial slices stacked foot-to-head from z = 0. */
function crossSection(plan: StudyPlan, ref: InstanceRef): NaturalDataset {
  const { rows, columns, pixelSpacing: ps, sliceThickness = 5 } = plan.study;
  const z = ref.instanceIndex * sliceThickness;
  return {
    ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
    FrameOfReferenceUID: plan.frameOfReferenceUid,
    PositionReferenceIndicator: '',
    PatientPosition: 'HFS',
    AcquisitionNumber: 1,
    PixelSpacing: [ps, ps],
    ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
    ImagePositionPatient: [-(columns * ps) / 2, -(rows * ps) / 2, z],
    SliceThickness: sliceThickness,
    SliceLocation: z,
  };
}

function ct(plan: StudyPlan, ref: InstanceRef): NaturalDataset {
  const kernel = plan.series[ref.seriesIndex].spec.kernel ?? 'STANDARD';
  const lungWindow = kernel === 'LUNG';
  const head = plan.study.bodyPart === 'HEAD';
  return {
    ...crossSection(plan, ref),
    KVP: 120,
    ConvolutionKernel: kernel,
    RescaleIntercept: -1024,
    RescaleSlope: 1,
    RescaleType: 'HU',
    WindowCenter: lungWindow ? -600 : head ? 40 : 40,
    WindowWidth: lungWindow ? 1500 : head ? 80 : 400,
  };
}

function mr(plan: StudyPlan, ref: InstanceRef): NaturalDataset {
  const sequence = plan.series[ref.seriesIndex].spec.sequence ?? 'T1';
  const base = crossSection(plan, ref);
  return {
    ...base,
    ImageType: ['ORIGINAL', 'PRIMARY', 'OTHER'],
    ...MR_SEQUENCES[sequence],
    ScanOptions: '',
    MRAcquisitionType: '2D',
    MagneticFieldStrength: 1.5,
    ImagedNucleus: '1H',
    SpacingBetweenSlices: base.SliceThickness,
    WindowCenter: 700,
    WindowWidth: 1400,
  };
}

function us(): NaturalDataset {
  return { ImageType: ['ORIGINAL', 'PRIMARY', 'ABDOMINAL', '0001'], PatientOrientation: '', LossyImageCompression: '00', BurnedInAnnotation: 'NO' };
}

export function modalityModules(plan: StudyPlan, ref: InstanceRef): NaturalDataset {
  switch (plan.study.modality) {
    case 'DX': return dx(plan, ref);
    case 'CR': return cr(plan, ref);
    case 'CT': return ct(plan, ref);
    case 'MR': return mr(plan, ref);
    case 'US': return us();
  }
}
