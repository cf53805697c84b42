/**
 * A planned study: everything $enhance-imaging needs to write both the ImagingStudy and its DICOM files,
 * derived only from the Condition (and its Encounter and Patient) and a seed made of their ids. The same
 * inputs always give the same plan (UIDs included), which is what makes re-runs no-ops.
 * @see https://hl7.org/fhir/R4/imagingstudy.html
 */
import type { Condition, Encounter, Patient } from 'fhir/r4.js';
import { Random } from '../generate/prng.js';
import { dicomPatient, type DicomPatient } from './dicom-patient.js';
import type { Finding } from './phantoms/phantom-input.js';
import type { Code, SeriesSpec, StudySpec, StudyTable } from './study-table.js';
import { dicomUid, seedFromText } from './uid.js';

export interface SeriesPlan {
  uid: string;
  number: number;
  spec: SeriesSpec;
  instanceUids: string[];
}

export interface StudyPlan {
  /** The ImagingStudy's id (a UUID from the study's stream). */
  id: string;
  uid: string;
  accession: string;
  /** FHIR dateTime in UTC, inside the encounter's period. */
  started: string;
  study: StudySpec;
  /** Limb phantom: how many long bones. */
  bones: number;
  finding: Finding;
  /** Paired structures (limbs): the side imaged. */
  laterality?: 'L' | 'R';
  patient: DicomPatient;
  condition: { id: string; display: string };
  encounterId?: string;
  frameOfReferenceUid: string;
  /** Seeds the phantom, so anatomy varies between patients but not between runs. */
  pixelSeed: number;
  series: SeriesPlan[];
}

const SNOMED = 'http://snomed.info/sct';

/** The study spec for this Condition, with body site and procedure taken from the Condition where the table says so. */
function resolveSpec(table: StudyTable, condition: Condition): { study: StudySpec; bones: number; finding: Finding } | undefined {
  const coding = condition.code?.coding?.find((c) => c.system === SNOMED && c.code && table.forCondition(c.code));
  const rule = coding?.code ? table.forCondition(coding.code) : undefined;
  if (!rule) return undefined;
  const { study, finding } = rule;
  if (!study.siteFromCondition) return { study, bones: 2, finding };
  const siteCode = condition.bodySite?.flatMap((b) => b.coding ?? []).find((c) => c.system === SNOMED && c.code && table.bodySite(c.code))?.code;
  const site = siteCode ? table.bodySite(siteCode) : undefined;
  if (!siteCode || !site) return { study, bones: 2, finding };
  const bodySite: Code = { code: siteCode, display: site.display };
  return { study: { ...study, bodySite, bodyPart: site.bodyPart, procedure: site.procedure }, bones: site.bones, finding };
}

/** Study start: a seeded point in the first half of the encounter (else the condition's onset). */
function startedAt(rng: Random, condition: Condition, encounter?: Encounter): string | undefined {
  const start = Date.parse(encounter?.period?.start ?? condition.onsetDateTime ?? condition.recordedDate ?? '');
  if (Number.isNaN(start)) return undefined;
  const end = Date.parse(encounter?.period?.end ?? '');
  const span = Number.isNaN(end) || end <= start ? 0 : end - start;
  const at = start + Math.floor((span * rng.range(0.1, 0.5)) / 1000) * 1000;
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** The plan for the study a Condition calls for, or undefined when it calls for none (or has no date). */
export function planStudy(table: StudyTable, patient: Patient & { id: string }, condition: Condition & { id: string }, encounter?: Encounter & { id: string }): StudyPlan | undefined {
  const resolved = resolveSpec(table, condition);
  if (!resolved) return undefined;
  const { study, bones, finding } = resolved;
  const rng = new Random(seedFromText(`${patient.id}|${condition.id}|${study.id}`));
  const id = rng.uuid();
  const started = startedAt(rng, condition, encounter);
  if (!started) return undefined;
  const uid = dicomUid(rng);
  const series = study.series.map((spec, i) => ({ uid: dicomUid(rng), number: i + 1, spec, instanceUids: [] as string[] }));
  for (const s of series) for (let i = 0; i < s.spec.instances; i++) s.instanceUids.push(dicomUid(rng));
  return {
    id,
    uid,
    accession: `MG${rng.digits(10)}`,
    started,
    study,
    bones,
    finding,
    ...(study.phantom === 'limb' ? { laterality: rng.chance(0.5) ? ('L' as const) : ('R' as const) } : {}),
    patient: dicomPatient(patient),
    condition: { id: condition.id, display: condition.code?.text ?? condition.code?.coding?.[0]?.display ?? '' },
    encounterId: encounter?.id,
    frameOfReferenceUid: dicomUid(rng),
    pixelSeed: rng.uint32(),
    series,
  };
}
