/**
 * Acceptance check (issue 5) and the engines side by side (issue 18): default-profile patients compared with
 * published US figures. Prints each figure and exits 1 when any is more than 2 points off, or when any
 * impossible record appears (src/generate/impossible-records.ts: events outside the life or after the reference
 * date, encounters past death, orders still active after death, pregnancy in men or outside childbearing ages,
 * ages over 120, periods ending before they start, conditions resolved before onset, impossible vital signs,
 * a licence under 16). The built-in engine spreads its figure-shaping draws (src/generate/spread.ts), so 1,000
 * patients land within about a point of the model whatever the seed.
 *   node --import tsx scripts/compare-cdc.ts [count] [seed] [state]   1,000 built-in patients, generated here
 *   node --import tsx scripts/compare-cdc.ts DIR [DIR…]                bundles already written, a column each
 * A DIR is what `medgen-data generate --out DIR` wrote with either engine (with `--engine synthea`, DIR or its
 * `fhir/` folder). Its patient bundles are read back one at a time; the reference date comes from the
 * `hospitalInformation<epoch ms>.json` name both engines write, the state from the patients' addresses (all
 * folders must be of one state). Every column is judged, so Synthea's figures are held to the same marks.
 * The age shape is compared with the chosen state's census shape (src/generate/state-ages.ts: the 2020
 * national pyramid scaled bin by bin by the state's 2008 Census Bureau age structure); the sex share with
 * the national figure, the state tables having no sex split.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Bundle, Patient } from 'fhir/r4.js';
import { resolveOptions } from '../src/generate/options.js';
import { FigureTally, type PopulationFigures } from '../src/generate/population-figures.js';
import { measurePopulation } from '../src/generate/population.js';
import { stateAgeShape } from '../src/generate/state-ages.js';
import { STATE_AGES } from '../src/generate/tables.js';

const TOLERANCE = 2;
const BANDS = STATE_AGES.bins;

interface Column {
  label: string;
  figures: PopulationFigures;
  state: string;
  about: string;
}

/** The patient bundles of a folder read back into figures; the reference date and state as the files give them. */
function measureFolder(dir: string): Column {
  const fhir = fs.existsSync(path.join(dir, 'fhir')) ? path.join(dir, 'fhir') : dir;
  const files = fs.readdirSync(fhir).filter((f) => f.endsWith('.json')).sort();
  const stamp = files.map((f) => /^hospitalInformation(\d+)\.json$/.exec(f)?.[1]).find(Boolean);
  if (!stamp) throw new Error(`${fhir} holds no hospitalInformation<time>.json: not a folder of generated bundles`);
  const tally = new FigureTally(Number(stamp), BANDS);
  const states = new Map<string, number>();
  for (const f of files) {
    if (/^(hospital|practitioner)Information/.test(f)) continue;
    const bundle = JSON.parse(fs.readFileSync(path.join(fhir, f), 'utf8')) as Bundle;
    if (bundle.resourceType !== 'Bundle') continue;
    tally.add(bundle);
    const state = (bundle.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource as Patient | undefined)?.address?.[0]?.state;
    if (state) states.set(state, (states.get(state) ?? 0) + 1);
  }
  const figures = tally.result();
  if (figures.patients === 0) throw new Error(`${fhir} holds no patient bundles (NDJSON output is not read here)`);
  const state = resolveOptions({ state: [...states].sort((a, b) => b[1] - a[1])[0]?.[0] }).state.code;
  return { label: path.basename(path.resolve(dir)), figures, state, about: `reference date ${new Date(Number(stamp)).toISOString().slice(0, 10)}, ${fhir}` };
}

function columns(args: string[]): Column[] {
  if (args.length > 0 && args.every((a) => fs.existsSync(a) && fs.statSync(a).isDirectory())) return args.map(measureFolder);
  const [count = '1000', seed = '20240101', state] = args;
  const input = { count: Number(count), seed: Number(seed), profile: 'default', referenceDate: '2024-01-01', state };
  return [{ label: 'built-in', figures: measurePopulation(input, BANDS), state: resolveOptions(input).state.code, about: `seed ${seed}` }];
}

const cols = columns(process.argv.slice(2));
const stateCode = cols[0].state;
if (cols.some((c) => c.state !== stateCode)) {
  process.stderr.write(`the folders hold patients of different states (${cols.map((c) => `${c.label}: ${c.state}`).join(', ')}); compare populations of one state\n`);
  process.exit(2);
}
const state = resolveOptions({ state: stateCode }).state;
const shape = stateAgeShape(state.code, BANDS);
const bandName = ([from, to]: [number, number]) => (to >= 200 ? `${from} and over` : `${from}-${to - 1}`);

interface Row {
  figure: string;
  measured: (f: PopulationFigures) => number;
  published: number;
  source: string;
}

const rows: Row[] = [
  {
    figure: 'diagnosed hypertension, adults',
    measured: (f) => f.rates.hypertension,
    published: 32,
    source: 'CDC BRFSS 2019 / NHIS 2019: ~32% of US adults report being told they have high blood pressure',
  },
  {
    figure: 'diagnosed diabetes, adults',
    measured: (f) => f.rates.diabetes,
    published: 11.3,
    source: 'CDC National Diabetes Statistics Report 2021/2023: 11.3% of US adults have diagnosed diabetes (2017-2020 data)',
  },
  {
    figure: 'current asthma, adults',
    measured: (f) => f.rates.asthma,
    published: 8.0,
    source: 'CDC Most Recent National Asthma Data (NHIS 2021): 8.0% of US adults currently have asthma',
  },
  {
    figure: 'obesity (latest BMI >= 30), adults 20+',
    measured: (f) => f.rates.obesity,
    published: 41.9,
    source: 'CDC NHANES 2017-March 2020 (NCHS Health E-Stat / NHSR 158, 2021): 41.9% of US adults 20+ are obese',
  },
  ...BANDS.map((band, i) => ({
    figure: `${state.code} age ${bandName(band)}`,
    measured: (f: PopulationFigures) => f.ageShares[i],
    published: shape[i],
    source: `US Census Bureau: 2020 national pyramid, scaled by ${state.name}'s 2008 age structure (schemas/generate/state-ages.json)`,
  })),
  { figure: 'male', measured: (f) => f.malePercent, published: 49.5, source: 'US Census Bureau, 2020 Census: about 49.5% of the population is male' },
];

for (const c of cols) {
  const f = c.figures;
  process.stdout.write(`${cols.length > 1 ? `${c.label}: ` : ''}${f.patients} patients (${c.about}) in ${state.name}, ${f.living} living, ${f.adults} living adults\n`);
}
// Each measured cell is `value% (off)`, with `!` after the ones more than TOLERANCE points off.
const CELL = 16;
if (cols.length > 1) process.stdout.write(`${''.padEnd(48)}${cols.map((c) => c.label.slice(0, CELL - 1).padEnd(CELL)).join('').trimEnd()}\n`);
let failed = false;
for (const r of rows) {
  const cells = cols.map((c) => {
    const measured = r.measured(c.figures);
    const off = measured - r.published;
    const bad = Math.abs(off) > TOLERANCE;
    failed ||= bad;
    return { bad, text: `${measured.toFixed(1).padStart(5)}% (${off >= 0 ? '+' : ''}${off.toFixed(1)})${bad ? '!' : ''}`.padEnd(CELL) };
  });
  const status = cells.some((c) => c.bad) ? 'FAIL' : 'ok  ';
  process.stdout.write(`${status} ${r.figure.padEnd(42)} ${cells.map((c) => c.text).join('')}published ${r.published.toFixed(1).padStart(5)}%  ${r.source}\n`);
}
for (const check of Object.keys(cols[0].figures.impossible) as (keyof PopulationFigures['impossible'])[]) {
  const counts = cols.map((c) => c.figures.impossible[check]);
  failed ||= counts.some((n) => n > 0);
  process.stdout.write(`${counts.some((n) => n > 0) ? 'FAIL' : 'ok  '} ${`impossible records: ${check}`.padEnd(42)} ${counts.map((n) => String(n).padEnd(CELL)).join('').trimEnd()}\n`);
}
process.exit(failed ? 1 : 0);
