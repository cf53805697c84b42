/**
 * Safe Harbor's ages over 89: "all elements of dates (including year) indicative of such age" go, and the ages
 * may be "aggregated into a single category of age 90 or older". Two places say an age: a birth date, and an
 * Age value.
 * - birthDate: when the person is over the limit at the reference date (the date of death when recorded, else
 *   the de-identification date), the output's birth date becomes the year that makes them exactly limit + 1 at
 *   the output's reference year (90 in Safe Harbor). Every such person then reads as 90 whatever their true age;
 *   intervals from birth are not kept for them, in any profile.
 * - Age: more than the limit in years becomes `>= limit + 1 a`.
 * @see https://www.hhs.gov/hipaa/for-professionals/privacy/special-topics/de-identification/index.html
 */
import { yearOf, yearsBetween } from './dates.js';

type Json = Record<string, unknown>;

const UCUM = 'http://unitsofmeasure.org';

/** Days in one UCUM time unit, for the units an age is given in. */
const DAYS_PER: Record<string, number> = { a: 365.25, mo: 30.4375, wk: 7, d: 1, h: 1 / 24, min: 1 / 1440 };

/** The output's birth date for an over-limit person, or undefined when `source`'s person is within the limit. */
export function aggregatedBirthDate(source: Json, output: Json, limit: number, now: Date): string | undefined {
  const birth = source.birthDate;
  if (typeof birth !== 'string') return undefined;
  const died = typeof source.deceasedDateTime === 'string' ? source.deceasedDateTime : undefined;
  const age = yearsBetween(birth, died ?? now.toISOString().slice(0, 10));
  if (age === undefined || age <= limit) return undefined;
  const outputDeath = typeof output.deceasedDateTime === 'string' ? yearOf(output.deceasedDateTime) : undefined;
  const referenceYear = outputDeath ?? now.getUTCFullYear();
  return String(referenceYear - limit - 1).padStart(4, '0');
}

/** An Age over the limit as the open category `>= limit + 1` years; undefined when within it or not in time units. */
export function aggregatedAge(age: Json, limit: number): Json | undefined {
  const days = typeof age.code === 'string' ? DAYS_PER[age.code] : undefined;
  if (typeof age.value !== 'number' || days === undefined || (age.system !== undefined && age.system !== UCUM)) return undefined;
  if ((age.value * days) / DAYS_PER.a <= limit) return undefined;
  return { value: limit + 1, comparator: '>=', unit: 'years', system: UCUM, code: 'a' };
}
