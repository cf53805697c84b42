/**
 * Acceptance check (issue 5): 1,000 default-profile patients from the built-in generator, compared with
 * published US figures. Prints each figure and exits 1 when any is more than 5 points off, or when any
 * impossible record appears (an event before birth or after death, a male pregnancy, a licence under 16).
 *   node --import tsx scripts/compare-cdc.ts [count] [seed] [state]
 * The age shape is compared with the chosen state's census shape (src/generate/state-ages.ts: the 2020
 * national pyramid scaled bin by bin by the state's 2008 Census Bureau age structure); the sex share with
 * the national figure, the state tables having no sex split.
 */
import { resolveOptions } from '../src/generate/options.js';
import { measurePopulation } from '../src/generate/population.js';
import { stateAgeShape } from '../src/generate/state-ages.js';
import { STATE_AGES } from '../src/generate/tables.js';

const count = Number(process.argv[2] ?? 1000);
const seed = Number(process.argv[3] ?? 20240101);
const input = { count, seed, profile: 'default', referenceDate: '2024-01-01', state: process.argv[4] };
const state = resolveOptions(input).state;
const TOLERANCE = 5;
const BANDS = STATE_AGES.bins;

const figures = measurePopulation(input, BANDS);
const shape = stateAgeShape(state.code, BANDS);
const bandName = ([from, to]: [number, number]) => (to >= 200 ? `${from} and over` : `${from}-${to - 1}`);

interface Row {
  figure: string;
  measured: number;
  published: number;
  source: string;
}

const rows: Row[] = [
  {
    figure: 'diagnosed hypertension, adults',
    measured: figures.rates.hypertension,
    published: 32,
    source: 'CDC BRFSS 2019 / NHIS 2019: ~32% of US adults report being told they have high blood pressure',
  },
  {
    figure: 'diagnosed diabetes, adults',
    measured: figures.rates.diabetes,
    published: 11.3,
    source: 'CDC National Diabetes Statistics Report 2021/2023: 11.3% of US adults have diagnosed diabetes (2017-2020 data)',
  },
  {
    figure: 'current asthma, adults',
    measured: figures.rates.asthma,
    published: 8.0,
    source: 'CDC Most Recent National Asthma Data (NHIS 2021): 8.0% of US adults currently have asthma',
  },
  {
    figure: 'obesity (latest BMI >= 30), adults 20+',
    measured: figures.rates.obesity,
    published: 41.9,
    source: 'CDC NHANES 2017-March 2020 (NCHS Health E-Stat / NHSR 158, 2021): 41.9% of US adults 20+ are obese',
  },
  ...BANDS.map((band, i) => ({
    figure: `${state.code} age ${bandName(band)}`,
    measured: figures.ageShares[i],
    published: shape[i],
    source: `US Census Bureau: 2020 national pyramid, scaled by ${state.name}'s 2008 age structure (schemas/generate/state-ages.json)`,
  })),
  { figure: 'male', measured: figures.malePercent, published: 49.5, source: 'US Census Bureau, 2020 Census: about 49.5% of the population is male' },
];

process.stdout.write(`${figures.patients} patients (seed ${seed}) in ${state.name}, ${figures.living} living, ${figures.adults} living adults\n`);
let failed = false;
for (const r of rows) {
  const off = r.measured - r.published;
  const bad = Math.abs(off) > TOLERANCE;
  failed ||= bad;
  process.stdout.write(`${bad ? 'FAIL' : 'ok  '} ${r.figure.padEnd(42)} ${r.measured.toFixed(1).padStart(5)}%  published ${r.published.toFixed(1).padStart(5)}%  (${off >= 0 ? '+' : ''}${off.toFixed(1)})  ${r.source}\n`);
}
for (const [check, n] of Object.entries(figures.impossible)) {
  failed ||= n > 0;
  process.stdout.write(`${n > 0 ? 'FAIL' : 'ok  '} impossible records: ${check.padEnd(23)} ${n}\n`);
}
process.exit(failed ? 1 : 0);
