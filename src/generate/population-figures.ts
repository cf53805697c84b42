/**
 * Figures of a generated population read back from its FHIR output (not from the generator's internals),
 * so they measure what an importer would see: diagnosed shares among living adults, obesity from each
 * adult's latest BMI Observation, the living population's age/sex shape, and counts of impossible records.
 * scripts/compare-cdc.ts compares them with published CDC and Census figures.
 */
import type { Bundle, Condition, Observation, Patient, Resource } from 'fhir/r4.js';
import { YEAR } from './clock.js';
import { countImpossible, noImpossibleRecords, type ImpossibleCounts } from './impossible-records.js';

/** Conditions counted as "diagnosed": SNOMED CT code → figure name. */
export const DIAGNOSED = { hypertension: '59621000', diabetes: '44054006', asthma: '195967001' } as const;
const BMI_LOINC = '39156-5';

export interface PopulationFigures {
  patients: number;
  living: number;
  /** Living people aged 18 or more at the reference date. */
  adults: number;
  /** Percent of living adults with an active diagnosis; obesity: latest BMI >= 30 among living adults of 20+ with a BMI. */
  rates: Record<keyof typeof DIAGNOSED | 'obesity', number>;
  /** Percent of the living in each age band [from, to) (both sexes), and the male percent. */
  ageShares: number[];
  malePercent: number;
  /** Per check of impossible-records.ts, the records that fail it. */
  impossible: ImpossibleCounts;
}

const hasCode = (r: { code?: { coding?: { code?: string }[] } }, code: string) => r.code?.coding?.some((c) => c.code === code) ?? false;

/** Accumulates figures one patient Bundle at a time, so 1,000 patients need not sit in memory together. */
export class FigureTally {
  private patients = 0;
  private living = 0;
  private adults = 0;
  private readonly diagnosed = { hypertension: 0, diabetes: 0, asthma: 0 };
  private bmiAdults = 0;
  private obese = 0;
  private males = 0;
  private readonly bandCounts: number[];
  private readonly impossible = noImpossibleRecords();

  /** `bands`: age bands [from, to) in years, as the census table gives them. */
  constructor(private readonly referenceTime: number, private readonly bands: [number, number][]) {
    this.bandCounts = bands.map(() => 0);
  }

  add(bundle: Bundle): void {
    const resources = (bundle.entry ?? []).map((e) => e.resource as Resource);
    const patient = resources.find((r): r is Patient => r.resourceType === 'Patient');
    if (!patient?.birthDate) return;
    this.patients++;
    const birth = Date.parse(patient.birthDate);
    const death = patient.deceasedDateTime ? Date.parse(patient.deceasedDateTime) : undefined;
    const end = death ?? this.referenceTime;
    const ageAtEnd = (end - birth) / YEAR;
    countImpossible(patient, resources, this.referenceTime, this.impossible);
    if (death !== undefined) return;

    this.living++;
    if (patient.gender === 'male') this.males++;
    const band = this.bands.findIndex(([from, to]) => ageAtEnd >= from && ageAtEnd < to);
    this.bandCounts[band === -1 ? this.bands.length - 1 : band]++;
    if (ageAtEnd < 18) return;
    this.adults++;
    const conditions = resources.filter((r): r is Condition => r.resourceType === 'Condition').filter((c) => !c.abatementDateTime);
    for (const [name, code] of Object.entries(DIAGNOSED) as [keyof typeof DIAGNOSED, string][]) {
      if (conditions.some((c) => hasCode(c, code))) this.diagnosed[name]++;
    }
    // NHANES counts adults from 20; the latest measurement is the person's current BMI.
    const bmis = resources.filter((r): r is Observation => r.resourceType === 'Observation').filter((o) => hasCode(o, BMI_LOINC));
    const latest = bmis.sort((a, b) => Date.parse(a.effectiveDateTime!) - Date.parse(b.effectiveDateTime!)).at(-1);
    if (ageAtEnd >= 20 && latest?.valueQuantity?.value !== undefined) {
      this.bmiAdults++;
      if (latest.valueQuantity.value >= 30) this.obese++;
    }
  }

  result(): PopulationFigures {
    const pct = (n: number, of: number) => (of === 0 ? 0 : (100 * n) / of);
    return {
      patients: this.patients,
      living: this.living,
      adults: this.adults,
      rates: {
        hypertension: pct(this.diagnosed.hypertension, this.adults),
        diabetes: pct(this.diagnosed.diabetes, this.adults),
        asthma: pct(this.diagnosed.asthma, this.adults),
        obesity: pct(this.obese, this.bmiAdults),
      },
      ageShares: this.bandCounts.map((n) => pct(n, this.living)),
      malePercent: pct(this.males, this.living),
      impossible: { ...this.impossible },
    };
  }
}
