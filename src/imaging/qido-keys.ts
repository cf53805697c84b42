/**
 * The QIDO-RS matching keys PS3.18 10.6 requires, by keyword or by tag, each parsed into a matcher over a
 * DICOM JSON answer: PN case-insensitive with `*`/`?` wildcards, other text with wildcards, UIDs as lists,
 * dates as ranges, IS as numbers. A value that cannot be what its key names is a 400 naming the key. Keys the
 * level does not support are named so the answer can say they were ignored (PS3.18 asks for a 299 Warning)
 * rather than silently answering as if they had matched.
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part18/sect_10.6.html
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part04/sect_C.2.2.2.html (matching)
 */
import type { DicomJsonDataset } from 'dcmjs';
import { badRequest } from '../fhir/outcomes.js';
import { checkUid } from './dicom-files.js';
import { DCM } from './imaging-study-resource.js';

export type QidoLevel = 'study' | 'series' | 'instance';

type Kind = 'PN' | 'text' | 'CS' | 'UID' | 'DA' | 'IS' | 'modalities';

interface KeyDef {
  keyword: string;
  tag: string;
  kind: Kind;
  level: QidoLevel;
}

const DEFS: KeyDef[] = [
  { keyword: 'StudyDate', tag: '00080020', kind: 'DA', level: 'study' },
  { keyword: 'AccessionNumber', tag: '00080050', kind: 'text', level: 'study' },
  { keyword: 'ModalitiesInStudy', tag: '00080061', kind: 'modalities', level: 'study' },
  { keyword: 'ReferringPhysicianName', tag: '00080090', kind: 'PN', level: 'study' },
  { keyword: 'StudyDescription', tag: '00081030', kind: 'text', level: 'study' },
  { keyword: 'PatientName', tag: '00100010', kind: 'PN', level: 'study' },
  { keyword: 'PatientID', tag: '00100020', kind: 'text', level: 'study' },
  { keyword: 'StudyInstanceUID', tag: '0020000D', kind: 'UID', level: 'study' },
  { keyword: 'StudyID', tag: '00200010', kind: 'text', level: 'study' },
  { keyword: 'Modality', tag: '00080060', kind: 'CS', level: 'series' },
  { keyword: 'SeriesInstanceUID', tag: '0020000E', kind: 'UID', level: 'series' },
  { keyword: 'SeriesNumber', tag: '00200011', kind: 'IS', level: 'series' },
  { keyword: 'PerformedProcedureStepStartDate', tag: '00400244', kind: 'DA', level: 'series' },
  { keyword: 'SOPClassUID', tag: '00080016', kind: 'UID', level: 'instance' },
  { keyword: 'SOPInstanceUID', tag: '00080018', kind: 'UID', level: 'instance' },
  { keyword: 'InstanceNumber', tag: '00200013', kind: 'IS', level: 'instance' },
];

const BY_NAME = new Map(DEFS.flatMap((d) => [[d.keyword, d], [d.tag, d]] as [string, KeyDef][]));

/** A query at one level may match on its own keys and those of the levels above it (relational queries). */
const LEVELS: Record<QidoLevel, QidoLevel[]> = { study: ['study'], series: ['study', 'series'], instance: ['study', 'series', 'instance'] };

/** Parameters that are not matching keys: paging, and what to return or how to match (always exact here). */
const NOT_MATCHING = new Set(['limit', 'offset', 'includefield', 'fuzzymatching']);

export interface Matcher {
  tag: string;
  matches(dataset: DicomJsonDataset): boolean;
  /** FHIR ImagingStudy search parameters that narrow the store search to studies that can match (study keys only). */
  fhir?: [string, string][];
}

export interface QidoQuery {
  matchers: Matcher[];
  limit: number;
  offset: number;
  /** Parameters named that are not matching keys here, for the 299 Warning. */
  ignored: string[];
}

/** `limit` and `offset` (PS3.18 8.3.4.4) as non-negative integers; 400 otherwise. */
export function pagingOf(query: URLSearchParams): { limit: number; offset: number } {
  const number = (name: string, fallback: number) => {
    const raw = query.get(name);
    if (raw === null) return fallback;
    if (!/^\d{1,9}$/.test(raw)) throw badRequest(`${name} must be a non-negative integer`, name);
    return Number(raw);
  };
  return { limit: Math.min(number('limit', 100), 1000), offset: number('offset', 0) };
}

const DA = /^(\d{4})(\d{2})(\d{2})$/;
const CS = /^[A-Z0-9 _]{1,16}$/;
/** FHIR ids: a DICOM PatientID outside this syntax cannot name one of our patients (so no store narrowing). */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** A DA value, checked to be a real calendar date; 400 otherwise. */
function dateOf(value: string, key: string): string {
  const m = DA.exec(value);
  const iso = m ? `${m[1]}-${m[2]}-${m[3]}` : '';
  if (!m || Number.isNaN(Date.parse(`${iso}T00:00:00Z`)) || new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) !== iso) {
    throw badRequest(`${key} "${value.slice(0, 40)}" is not a DICOM date (YYYYMMDD) or range (YYYYMMDD-YYYYMMDD)`, key);
  }
  return value;
}

/** `YYYYMMDD`, `YYYYMMDD-YYYYMMDD`, `-YYYYMMDD` or `YYYYMMDD-` (PS3.4 C.2.2.2.5 range matching), as DA bounds. */
export function dateRangeOf(value: string, key: string): { from?: string; to?: string } {
  const dash = value.indexOf('-');
  if (dash < 0) {
    const day = dateOf(value, key);
    return { from: day, to: day };
  }
  const [from, to] = [value.slice(0, dash), value.slice(dash + 1)];
  if (!from && !to) throw badRequest(`${key} "-" names no date`, key);
  const range = { from: from ? dateOf(from, key) : undefined, to: to ? dateOf(to, key) : undefined };
  if (range.from && range.to && range.from > range.to) throw badRequest(`${key} range "${value.slice(0, 40)}" ends before it starts`, key);
  return range;
}

/** Values separated by commas or backslashes (multiple values, PS3.18 8.3.4.1). */
const listOf = (value: string) => value.split(/[,\\]/);

const iso = (da: string) => `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6)}`;

/** `*` and `?` wildcards (PS3.4 C.2.2.2.4) as an anchored regular expression. */
function wildcard(pattern: string, flags: string): RegExp {
  const body = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, flags);
}

const PN_GROUPS = ['Alphabetic', 'Ideographic', 'Phonetic'];

/** The values of an element as strings: a PN's component groups, anything else as written. */
function textsOf(dataset: DicomJsonDataset, tag: string): string[] {
  const values = dataset[tag]?.Value ?? [];
  return values.flatMap((v) => {
    if (v && typeof v === 'object') {
      // dcmjs's PN values are String objects (whose toJSON writes the Alphabetic group); JSON ones are plain objects.
      const text = v.valueOf();
      if (typeof text === 'string') return [text];
      return PN_GROUPS.map((g) => (v as Record<string, unknown>)[g]).filter((s): s is string => typeof s === 'string');
    }
    return v === null || v === undefined ? [] : [String(v)];
  });
}

function matcherOf(def: KeyDef, value: string): Matcher {
  const { tag, keyword } = def;
  const any = (test: (text: string) => boolean): Matcher => ({ tag, matches: (ds) => textsOf(ds, tag).some(test) });
  switch (def.kind) {
    case 'PN':
    case 'text': {
      const re = wildcard(value, def.kind === 'PN' ? 'iu' : 'u');
      const m = any((t) => re.test(t));
      if (keyword === 'PatientID' && FHIR_ID.test(value)) m.fhir = [['patient', `Patient/${value}`]];
      return m;
    }
    case 'CS': {
      if (!/^[A-Z0-9 _*?]{1,16}$/.test(value)) throw badRequest(`${keyword} "${value.slice(0, 40)}" is not a code string`, keyword);
      const re = wildcard(value, '');
      return any((t) => re.test(t));
    }
    case 'modalities': {
      const codes = listOf(value);
      for (const code of codes) if (!CS.test(code)) throw badRequest(`${keyword} "${value.slice(0, 40)}" is not a list of modality codes`, keyword);
      return { ...any((t) => codes.includes(t)), fhir: [['modality', codes.map((code) => `${DCM}|${code}`).join(',')]] };
    }
    case 'UID': {
      const uids = listOf(value).map((uid) => checkUid(uid, keyword));
      const m = any((t) => uids.includes(t));
      if (keyword === 'StudyInstanceUID') m.fhir = [['identifier', uids.map((uid) => `urn:dicom:uid|urn:oid:${uid}`).join(',')]];
      return m;
    }
    case 'DA': {
      const { from, to } = dateRangeOf(value, keyword);
      const m = any((t) => (!from || t >= from) && (!to || t <= to));
      if (keyword === 'StudyDate') m.fhir = [...(from ? [['started', `ge${iso(from)}`]] : []), ...(to ? [['started', `le${iso(to)}`]] : [])] as [string, string][];
      return m;
    }
    case 'IS': {
      const numbers = listOf(value).map((n) => {
        if (!/^[+-]?\d{1,12}$/.test(n.trim())) throw badRequest(`${keyword} "${value.slice(0, 40)}" is not an integer`, keyword);
        return Number(n);
      });
      return any((t) => numbers.includes(Number(t)));
    }
  }
}

/** The matching keys, paging and ignored parameters of a QIDO-RS query at `level`. */
export function qidoQueryOf(params: URLSearchParams, level: QidoLevel): QidoQuery {
  const query: QidoQuery = { ...pagingOf(params), matchers: [], ignored: [] };
  const ignored = new Set<string>();
  for (const [name, value] of params) {
    const def = BY_NAME.get(name) ?? BY_NAME.get(name.toUpperCase());
    if (def && LEVELS[level].includes(def.level)) {
      // An empty value, or `*` alone, is universal matching: it asks for the attribute, it filters nothing.
      if (value !== '' && value !== '*') query.matchers.push(matcherOf(def, value));
    } else if (!NOT_MATCHING.has(name)) ignored.add(name.slice(0, 64));
  }
  query.ignored = [...ignored];
  return query;
}
