/**
 * The imaging table (schemas/imaging/studies.json) loaded once and indexed by condition code: which study a
 * Condition calls for, with modality, SOP class, procedure, body site and series layout.
 * @see https://hl7.org/fhir/R4/imagingstudy.html
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part04/sect_B.5.html (SOP classes)
 */
import fs from 'node:fs';
import type { Finding } from './phantoms/phantom-input.js';

export interface Code {
  code: string;
  display: string;
}

export type Modality = 'DX' | 'CR' | 'CT' | 'MR' | 'US';
export type PhantomName = 'chest' | 'limb' | 'head-mr' | 'chest-ct' | 'head-ct' | 'obstetric-us';

export interface SeriesSpec {
  description: string;
  instances: number;
  /** Radiographic view (DX/CR View Position). */
  view?: string;
  /** MR contrast: T1 | T2 | FLAIR | DWI. */
  sequence?: string;
  /** CT reconstruction kernel. */
  kernel?: string;
}

export interface StudySpec {
  id: string;
  modality: Modality;
  sopClass: string;
  phantom: PhantomName;
  procedure: Code;
  bodySite: Code;
  bodyPart: string;
  description: string;
  rows: number;
  columns: number;
  bitsStored: number;
  pixelSpacing: number;
  sliceThickness?: number;
  siteFromCondition?: boolean;
  series: SeriesSpec[];
}

export interface BodySiteSpec {
  display: string;
  bodyPart: string;
  /** Long bones drawn by the limb phantom (radius and ulna, tibia and fibula: 2; clavicle: 1). */
  bones: number;
  procedure: Code;
}

/** What a condition calls for: a study, and the finding its images show. */
export interface StudyRule {
  study: StudySpec;
  finding: Finding;
}

interface StudyFile {
  rules: { conditions: string[]; study: string; finding?: Finding }[];
  studies: Record<string, Omit<StudySpec, 'id'>>;
  bodySites: Record<string, BodySiteSpec>;
}

export interface StudyTable {
  /** The study a condition code calls for, if any. */
  forCondition(code: string): StudyRule | undefined;
  bodySite(code: string): BodySiteSpec | undefined;
  study(id: string): StudySpec;
  studies(): StudySpec[];
}

/** Reads and checks the table; every rule must name a defined study. */
export function loadStudyTable(file = new URL('../../schemas/imaging/studies.json', import.meta.url)): StudyTable {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as StudyFile;
  const studies = new Map(Object.entries(data.studies).map(([id, spec]) => [id, { id, ...spec }]));
  const byCode = new Map<string, StudyRule>();
  for (const rule of data.rules) {
    const spec = studies.get(rule.study);
    if (!spec) throw new Error(`imaging table: rule names unknown study "${rule.study}"`);
    for (const code of rule.conditions) byCode.set(code, { study: spec, finding: rule.finding ?? 'none' });
  }
  return {
    forCondition: (code) => byCode.get(code),
    bodySite: (code) => data.bodySites[code],
    study(id) {
      const spec = studies.get(id);
      if (!spec) throw new Error(`imaging table: no study "${id}"`);
      return spec;
    },
    studies: () => [...studies.values()],
  };
}
