/**
 * Who a generated patient is: sex and age from the state's census pyramid (within the requested range), OMB race
 * and ethnicity, names, a real address of the state, language, smoking history, body build, payer and
 * identifiers. Their life (conditions, death, care) is drawn afterwards in life.ts.
 */
import { YEAR } from './clock.js';
import type { ResolvedOptions } from './options.js';
import { randomPlace, type Place } from './places.js';
import type { Random } from './prng.js';
import { SPREAD, normalQuantile } from './spread.js';
import { stateAgeFactor } from './state-ages.js';
import { DEMOGRAPHICS, NAMES, interpolate, type Code } from './tables.js';

export interface Person {
  id: string;
  gender: 'male' | 'female';
  /** Epoch ms of birth. */
  birth: number;
  race: Code;
  hispanic: boolean;
  given: string;
  family: string;
  maidenFamily?: string;
  mothersMaidenName: string;
  place: Place;
  birthCity: string;
  phone: string;
  language: Code;
  smoking: 'never' | 'former' | 'current';
  /** Height z-score: the person's centile, kept for life. */
  heightZ: number;
  /** Peak adult BMI, held from 35 to 65 (log-normal, BMI_MEDIAN and BMI_LOG_SD; growth.ts shapes the rest of life). */
  adultBmi: number;
  /** Personal offset of vital signs. */
  bpOffset: number;
  ssn: string;
  licence: string;
  passport?: string;
}

/**
 * Peak adult BMI: median and log-normal spread chosen so that, after the lower BMI of people in their
 * twenties and the loss after 70 (growth.ts), 41.9% of adults of 20+ are obese (NHANES 2017-March 2020).
 */
export const BMI_MEDIAN = 29.1;
export const BMI_LOG_SD = 0.22;

/** Deaths are drawn over at most this span (life.ts): the census pyramid describes the living, so a longer span would hollow it out. */
export const DEATH_SPAN_YEARS = 10;
/** Chance that someone aged `age` today survived the last `span` years (life table; life.ts keeps the population's mean on it). */
function survival(age: number, span: number): number {
  let s = 1;
  for (let k = 0.5; k < Math.min(span, age); k++) s *= 1 - Math.min(1, annualDeathRisk(age - k));
  return s;
}

/**
 * Age and sex from the state's census pyramid (state-ages.ts) in one-year slices. Each slice is weighted up
 * by 1 / survival over the death span: some of the people drawn die within the records' window, and the
 * census counts the living, so without this the living would come out younger than the census (65+ at 12%
 * instead of 17%). Age and sex are spread draws (spread.ts), so a run's patients fill the pyramid evenly.
 */
export function sampleAge(rng: Random, minAge: number, maxAge: number, span: number, stateCode: string, gender?: 'male' | 'female') {
  const top = maxAge + 1;
  const factor = stateAgeFactor(stateCode);
  const slices: { from: number; to: number; male: number; weight: number }[] = [];
  for (const [from, to, share, male] of DEMOGRAPHICS.ageBands) {
    const sexShare = gender === 'male' ? male : gender === 'female' ? 1 - male : 1;
    for (let a = Math.max(from, minAge); a < Math.min(to, top); a = Math.floor(a) + 1) {
      const b = Math.min(Math.floor(a) + 1, to, top);
      slices.push({ from: a, to: b, male, weight: (share * sexShare * (b - a) * factor((a + b) / 2)) / (to - from) / survival((a + b) / 2, span) });
    }
  }
  // Ages above the table's last band (100+) still fall in the last band's shape.
  if (!slices.length) slices.push({ from: minAge, to: top, male: 0.4, weight: 1 });
  // The inverse of the age distribution at one spread draw: where in its slice the draw falls gives the age too.
  const total = slices.reduce((sum, x) => sum + x.weight, 0);
  let u = rng.spread(SPREAD.age) * total;
  const slice = slices.find((x) => (u -= x.weight) < 0) ?? slices[slices.length - 1];
  const within = Math.min(1, Math.max(0, 1 + u / slice.weight));
  const age = slice.from + within * (slice.to - slice.from);
  return { age, gender: gender ?? (rng.spread(SPREAD.sex) < slice.male ? 'male' : 'female') };
}

const numbered = (rng: Random, name: string) => `${name}${rng.int(1, 999)}`;

export function createPerson(rng: Random, options: ResolvedOptions): Person {
  const span = options.yearsOfHistory === 0 ? DEATH_SPAN_YEARS : Math.min(DEATH_SPAN_YEARS, options.yearsOfHistory);
  const { age, gender } = sampleAge(rng, options.minAge, options.maxAge, span, options.state.code, options.gender);
  const birth = Math.floor(options.referenceTime - age * YEAR);
  const race = rng.weighted(DEMOGRAPHICS.race);
  const hispanic = rng.chance(DEMOGRAPHICS.hispanicShare);
  const families = hispanic ? NAMES.hispanicFamily : NAMES.family;
  const family = numbered(rng, rng.pick(families));
  const given = numbered(rng, rng.pick(gender === 'female' ? NAMES.female : NAMES.male));
  const married = gender === 'female' && age >= 20 && rng.chance(0.5);
  const languages = hispanic ? DEMOGRAPHICS.languages.hispanic : race.code === '2028-9' ? DEMOGRAPHICS.languages.asian : undefined;
  const language = languages ? rng.weighted(languages) : DEMOGRAPHICS.languages.default;
  const s = DEMOGRAPHICS.smoking;
  const u = rng.next();
  const smoking = age < s.startAge ? 'never' : u < s.current ? 'current' : u < s.current + s.former ? 'former' : 'never';
  const place = randomPlace(rng, options.state.code, options.city);
  return {
    id: rng.uuid(),
    gender,
    birth,
    race: { code: race.code, display: race.display },
    hispanic,
    given,
    family,
    maidenFamily: married ? numbered(rng, rng.pick(families)) : undefined,
    mothersMaidenName: `${numbered(rng, rng.pick(NAMES.female))} ${numbered(rng, rng.pick(families))}`,
    place,
    birthCity: rng.chance(0.7) ? place.city : randomPlace(rng, options.state.code).city,
    phone: `555-${rng.digits(3)}-${rng.digits(4)}`,
    language: { code: language.code, display: language.display },
    smoking,
    heightZ: Math.max(-2.5, Math.min(2.5, rng.normal())),
    adultBmi: Math.max(16, Math.min(60, BMI_MEDIAN * Math.exp(BMI_LOG_SD * normalQuantile(rng.spread(SPREAD.bmi))))),
    bpOffset: rng.normal(0, 6),
    // 999 is never issued as an SSN area number, so these cannot collide with real ones (Synthea does the same).
    ssn: `999-${rng.digits(2)}-${rng.digits(4)}`,
    licence: `S999${rng.digits(5)}`,
    passport: rng.chance(0.4) ? `X${rng.digits(8)}X` : undefined,
  };
}

/** Marital status at an age (v3-MaritalStatus code). */
export function maritalAt(rng: Random, age: number): string {
  const rows = DEMOGRAPHICS.marital.byAge.filter(([from]) => from <= age);
  if (!rows.length) return 'S';
  const dist = rows[rows.length - 1][1];
  return rng.weighted(Object.entries(dist).map(([code, weight]) => ({ code, weight }))).code;
}

/** Chance of dying within a year at `age` (SSA life table, interpolated). */
export const annualDeathRisk = (age: number) => interpolate(DEMOGRAPHICS.lifeTable, age);
