/**
 * QIDO-RS `includefield` (PS3.18 8.3.4.3): attributes to return beyond the default ones, named by keyword or
 * tag (a sequence's nested attribute by its dotted path, answered with the whole top-level sequence), or
 * `all`. The index answers the defaults; other attributes come from the stored files. A study or series is
 * answered from one of its instances, so only attributes that belong to that level are taken from it (the
 * Patient, Study and Equipment modules, and the Series modules for series): an instance attribute such as Rows
 * asked of a study is not the study's, and is named in the 299 Warning as not available there. `all` is every
 * attribute of the level; at the instance level, every attribute of the file but its bulk data.
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part18/sect_8.3.4.3.html
 */
import type { DicomJsonDataset } from 'dcmjs';
import { badRequest } from '../fhir/outcomes.js';
import type { FileStore } from '../files/file-store.js';
import { DicomMessage, DicomMetaDictionary } from './dcmjs.js';
import { readInstance } from './dicom-files.js';
import { instanceKeys, seriesKeys, studyKeys } from './dicomweb-retrieve.js';
import { numericStrings } from './dicomweb-json.js';
import type { QidoLevel } from './qido-keys.js';

/** Patient, Patient Study and General Study modules: what a study query may answer. */
const STUDY_KEYWORDS = [
  'SpecificCharacterSet', 'TimezoneOffsetFromUTC', 'PatientName', 'PatientID', 'IssuerOfPatientID', 'PatientBirthDate', 'PatientBirthTime',
  'PatientSex', 'OtherPatientIDsSequence', 'OtherPatientNames', 'EthnicGroup', 'PatientComments', 'PatientAge', 'PatientSize', 'PatientWeight',
  'StudyInstanceUID', 'StudyDate', 'StudyTime', 'ReferringPhysicianName', 'StudyID', 'AccessionNumber', 'IssuerOfAccessionNumberSequence',
  'StudyDescription', 'ProcedureCodeSequence', 'NameOfPhysiciansReadingStudy', 'AdmittingDiagnosesDescription',
  'ReasonForPerformedProcedureCodeSequence', 'ModalitiesInStudy', 'NumberOfStudyRelatedSeries', 'NumberOfStudyRelatedInstances',
];
/** General Series, Frame of Reference and General Equipment modules: what a series adds. */
const SERIES_KEYWORDS = [
  'Modality', 'SeriesInstanceUID', 'SeriesNumber', 'Laterality', 'SeriesDate', 'SeriesTime', 'PerformingPhysicianName', 'ProtocolName',
  'SeriesDescription', 'OperatorsName', 'BodyPartExamined', 'PatientPosition', 'AnatomicalOrientationType', 'PerformedProcedureStepID',
  'PerformedProcedureStepStartDate', 'PerformedProcedureStepStartTime', 'PerformedProcedureStepDescription', 'RequestAttributesSequence',
  'FrameOfReferenceUID', 'PositionReferenceIndicator', 'Manufacturer', 'InstitutionName', 'InstitutionAddress', 'StationName',
  'InstitutionalDepartmentName', 'ManufacturerModelName', 'DeviceSerialNumber', 'SoftwareVersions', 'NumberOfSeriesRelatedInstances',
];

const tagOfKeyword = (keyword: string) => DicomMetaDictionary.nameMap[keyword]?.tag.replace(/[(),]/g, '');
const tagsOf = (keywords: string[]) => new Set(keywords.map((k) => tagOfKeyword(k) as string));
const STUDY_TAGS = tagsOf(STUDY_KEYWORDS);
const SERIES_TAGS = tagsOf(SERIES_KEYWORDS);

/** The tags a dataset of `level` may be answered with from its files (null: any, the instance level). */
function levelTags(level: QidoLevel): Set<string> | null {
  if (level === 'study') return STUDY_TAGS;
  return level === 'series' ? new Set([...STUDY_TAGS, ...SERIES_TAGS]) : null;
}

const PIXEL_DATA = '7FE00010';
/** Value representations of bulk data, left out of `all` (PS3.18 answers them by BulkDataURI, if at all). */
const BULK_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'UN']);

export interface Include {
  all: boolean;
  /** Tags asked for and available at the level, as 8 upper-case hex digits. */
  tags: string[];
  /** What was asked for but is not an attribute of the level, for the 299 Warning. */
  unavailable: string[];
}

/** One attribute ID: a keyword or tag, or a dotted path whose first element is taken. 400 when it names nothing. */
function tagOf(id: string): string {
  const first = id.split('.')[0];
  if (/^[0-9A-Fa-f]{8}$/.test(first)) return first.toUpperCase();
  const tag = tagOfKeyword(first);
  if (!tag) throw badRequest(`includefield "${id.slice(0, 64)}" is not a DICOM attribute keyword or tag`, 'includefield');
  return tag;
}

/** The `includefield` parameters (repeated, or comma-separated) of a query at `level`. */
export function includeOf(params: URLSearchParams, level: QidoLevel): Include {
  const include: Include = { all: false, tags: [], unavailable: [] };
  const allowed = levelTags(level);
  for (const id of params.getAll('includefield').flatMap((v) => v.split(','))) {
    if (id === 'all') include.all = true;
    else if (id !== '') {
      const tag = tagOf(id);
      if (allowed === null || allowed.has(tag)) include.tags.push(tag);
      else include.unavailable.push(id.slice(0, 64));
    }
  }
  return include;
}

/** The file's attributes before its pixel data, as DICOM JSON. */
async function fileAttributes(store: FileStore, key: string): Promise<DicomJsonDataset> {
  const bytes = await readInstance(store, key);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return numericStrings(DicomMessage.readFile(buffer, { untilTag: PIXEL_DATA, includeUntilTagValue: false }).dict);
}

const uidIn = (dataset: DicomJsonDataset, tag: string) => String(dataset[tag]?.Value?.[0] ?? '');

/** The key of the stored file that answers for a dataset of `level`: the instance's own, or the first of its series or study. */
async function sourceKey(store: FileStore, dataset: DicomJsonDataset, level: QidoLevel): Promise<string> {
  const [study, series, sop] = [uidIn(dataset, '0020000D'), uidIn(dataset, '0020000E'), uidIn(dataset, '00080018')];
  if (level === 'instance') return (await instanceKeys(store, study, series, sop))[0];
  return (level === 'series' ? await seriesKeys(store, study, series) : await studyKeys(store, study))[0];
}

/**
 * Adds the included attributes the datasets lack, from their files; one read per file, shared by datasets that
 * name the same one. A dataset whose files are gone keeps its defaults.
 */
export async function addIncluded(store: FileStore, datasets: DicomJsonDataset[], include: Include, level: QidoLevel): Promise<void> {
  if (!include.all && include.tags.length === 0) return;
  const allowed = levelTags(level);
  const read = new Map<string, Promise<DicomJsonDataset | undefined>>();
  for (const dataset of datasets) {
    const wanted = include.all ? null : include.tags.filter((tag) => dataset[tag] === undefined);
    if (wanted !== null && wanted.length === 0) continue;
    const key = await sourceKey(store, dataset, level).catch(() => undefined);
    if (key === undefined) continue;
    if (!read.has(key)) read.set(key, fileAttributes(store, key).catch(() => undefined));
    const attributes = await read.get(key);
    if (attributes === undefined) continue;
    for (const tag of wanted ?? Object.keys(attributes)) {
      const element = attributes[tag];
      if (element === undefined || dataset[tag] !== undefined || tag === PIXEL_DATA) continue;
      if (wanted === null && ((allowed !== null && !allowed.has(tag)) || BULK_VRS.has(element.vr))) continue;
      dataset[tag] = element;
    }
  }
}
