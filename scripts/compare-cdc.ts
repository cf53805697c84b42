/**
 * Acceptance check (issue 5): 1,000 default-profile patients from the built-in generator, compared with
 * published US figures. Prints each figure and exits 1 when any is more than 5 points off, or when any
 * impossible record appears (an event before birth or after death, a male pregnancy, a licence under 16).
 *   node --import tsx scripts/compare-cdc.ts [count] [seed]
 * The age/sex shape is compared with US-wide Census figures: the generator's tables hold the national
 * pyramid only (schemas/generate/demographics.json), so every state gets that shape.
 */
import { measurePopulation } from '../src/generate/population.js';

const count = Number(process.argv[2] ?? 1000);
const seed = Number(process.argv[3] ?? 20240101);
const TOLERANCE = 5;
const BANDS: [number, number][] = [[0, 18], [18, 65], [65, 200]];

const figures = measurePopulation({ count, seed, profile: 'default', referenceDate: '2024-01-01' }, BANDS);

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
  { figure: 'age under 18', measured: figures.ageShares[0], published: 22.1, source: 'US Census Bureau, 2020 Census: 22.1% of the population is under 18' },
  { figure: 'age 18-64', measured: figures.ageShares[1], published: 61.1, source: 'US Census Bureau, 2020 Census: 61.1% is 18 to 64 (the remainder of the two figures around it)' },
  { figure: 'age 65 and over', measured: figures.ageShares[2], published: 16.8, source: 'US Census Bureau, 2020 Census: 16.8% is 65 or over' },
  { figure: 'male', measured: figures.malePercent, published: 49.5, source: 'US Census Bureau, 2020 Census: about 49.5% of the population is male' },
];

process.stdout.write(`${figures.patients} patients (seed ${seed}), ${figures.living} living, ${figures.adults} living adults; state shape: US-wide\n`);
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
