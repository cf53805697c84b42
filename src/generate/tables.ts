/**
 * The generator's data tables (schemas/generate/*.json), loaded once: disease modules, lab panels and vital
 * signs, the immunization schedule, demographics, names, states and profiles. They are data, not code, so
 * users can tune prevalence, onset and codes without touching the generator.
 */
import { readFileSync } from 'node:fs';

export interface Code {
  code: string;
  display: string;
}

export interface MedicationEntry extends Code {
  /** Taken as needed (Synthea writes dosageInstruction.asNeededBoolean). */
  asNeeded?: boolean;
  /** Given once during the encounter rather than prescribed on. */
  once?: boolean;
}

export interface EncounterSpec extends Code {
  class: 'AMB' | 'EMER' | 'IMP';
  minutes: number;
}

export interface CarePlanSpec extends Code {
  activities: Code[];
}

export interface ModuleVariant {
  condition: Code;
  bodySite?: Code;
  medications: MedicationEntry[];
  procedures: Code[];
  carePlan?: CarePlanSpec;
}

export type PanelId = 'lipid' | 'hba1c' | 'cbc' | 'metabolic';
export type ModuleKind = 'chronic' | 'acute' | 'pregnancy';
/** Age (years) → value points, interpolated linearly and held flat beyond the ends. */
export type Curve = [number, number][];

export interface DiseaseModule {
  id: string;
  kind: ModuleKind;
  sex: 'any' | 'female';
  curve: Curve;
  sexMultiplier: { male: number; female: number };
  risk?: Partial<Record<'obese' | 'smoker', [number, number]>>;
  mortality?: number;
  resolveDays?: number;
  encounter: EncounterSpec;
  followUp?: Code & { months: number; labs: PanelId[] };
  labs: PanelId[];
  variants: ModuleVariant[];
  delivery?: { encounter: EncounterSpec; cesareanShare: number; normal: Code; cesarean: Code };
}

export interface LabMember extends Code {
  unit: string;
  mean: number;
  sd: number;
  decimals: number;
  shift: Record<string, number>;
}

export interface VitalSpec extends Code {
  unit: string;
  profile: string;
}

export interface Labs {
  panels: Record<PanelId, Code & { members: LabMember[] }>;
  vitals: Record<'height' | 'weight' | 'bmi' | 'bloodPressure' | 'systolic' | 'diastolic' | 'heartRate' | 'respiratoryRate', VitalSpec>;
  smoking: Code & { values: Record<'never' | 'former' | 'current', Code> };
  causeOfDeath: Code;
}

export interface Immunizations {
  doses: { cvx: string; display: string; ages: number[]; catchUp: number }[];
  influenza: { cvx: string; display: string; fromAge: number };
}

export type Weighted<T> = T & { weight: number };

export interface Demographics {
  ageBands: [number, number, number, number][];
  race: Weighted<Code>[];
  hispanicShare: number;
  ethnicity: { hispanic: Code; notHispanic: Code };
  marital: { codes: Record<string, string>; byAge: [number, Record<string, number>][] };
  languages: { default: Code; hispanic: Weighted<Code>[]; asian: Weighted<Code>[] };
  smoking: { current: number; former: number; startAge: number };
  payers: { senior: string[]; low: string[]; private: string[]; medicaidShare: number; uninsuredShare: number };
  lifeTable: Curve;
}

/** Each state's share of its population per age bin, and the nation's, in percent (state-ages.json). */
export interface StateAges {
  bins: [number, number][];
  nation: number[];
  shares: Record<string, number[]>;
}

export interface Names {
  female: string[];
  male: string[];
  family: string[];
  hispanicFamily: string[];
  streets: string[];
  streetSuffixes: string[];
  clinicKinds: string[];
  hospitalKinds: string[];
}

export interface Profile {
  minAge: number;
  maxAge: number;
  multipliers: Record<ModuleKind, number>;
}

export interface Profiles {
  profiles: Record<string, Profile>;
  wellness: { childAges: number[]; cadence: [number, number][]; child: Code; adult: Code; death: Code };
}

const load = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../../schemas/generate/${name}.json`, import.meta.url), 'utf8')) as T;

export const MODULES: DiseaseModule[] = load<{ modules: DiseaseModule[] }>('modules').modules;
export const LABS: Labs = load<Labs>('labs');
export const IMMUNIZATIONS: Immunizations = load<Immunizations>('immunizations');
export const DEMOGRAPHICS: Demographics = load<Demographics>('demographics');
export const NAMES: Names = load<Names>('names');
export const STATE_AGES: StateAges = load<StateAges>('state-ages');
export const STATES: [code: string, name: string, fips: string][] = load<{ states: [string, string, string][] }>('states').states;
export const PROFILES: Profiles = load<Profiles>('profiles');

/** Linear interpolation on a curve, flat beyond its ends. */
export function interpolate(curve: Curve, x: number): number {
  if (x <= curve[0][0]) return curve[0][1];
  for (let i = 1; i < curve.length; i++) {
    const [x1, y1] = curve[i];
    if (x <= x1) {
      const [x0, y0] = curve[i - 1];
      return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return curve[curve.length - 1][1];
}
