/**
 * Vital-sign values that follow age, sex, build and conditions: height along CDC growth-chart medians
 * (the person keeps their centile), BMI from the child BMI medians into the person's adult BMI (lower in the twenties, falling after 70), blood
 * pressure rising with age and BMI (and high when hypertension is diagnosed), heart and respiratory rates
 * falling through childhood.
 * @see https://www.cdc.gov/growthcharts/
 */
import { BMI_LOG_SD, BMI_MEDIAN, type Person } from './person.js';
import { interpolate, type Curve } from './tables.js';

const HEIGHT_CM: Record<Person['gender'], Curve> = {
  male: [[0, 50], [0.5, 68], [1, 76], [2, 87], [5, 110], [10, 139], [13, 156], [15, 170], [18, 176], [60, 176], [90, 172]],
  female: [[0, 49], [0.5, 66], [1, 74], [2, 86], [5, 109], [10, 138], [13, 157], [15, 162], [18, 163], [60, 163], [90, 158]],
};
const CHILD_BMI: Curve = [[0, 13.4], [0.5, 17.2], [1, 17.2], [2, 16.4], [5, 15.4], [8, 16], [12, 18.2], [15, 20], [18, 21.6], [20, 22.6]];
const HEART_RATE: Curve = [[0, 135], [1, 118], [5, 95], [10, 85], [15, 74], [80, 72]];
const RESP_RATE: Curve = [[0, 40], [1, 30], [5, 22], [10, 19], [15, 15], [80, 16]];

export const heightCm = (p: Person, age: number) => interpolate(HEIGHT_CM[p.gender], age) * (1 + 0.038 * p.heightZ);

/** Share of the peak adult BMI by age: NHANES finds adults in their twenties a little lighter (obesity 20-39: 39.8%, 40-59: 44.3%). */
const ADULT_BMI_SHARE: Curve = [[20, 0.93], [35, 1], [65, 1], [70, 1], [90, 0.92]];

/** BMI: children track the median with their adult tendency; from 15 they move towards the adult curve, reached at 20. */
export function bmi(p: Person, age: number): number {
  const child = (a: number) => interpolate(CHILD_BMI, a) * Math.exp(0.12 * (Math.log(p.adultBmi / BMI_MEDIAN) / BMI_LOG_SD));
  const adult = (a: number) => p.adultBmi * interpolate(ADULT_BMI_SHARE, a);
  if (age < 15) return child(age);
  if (age < 20) return child(15) + ((adult(20) - child(15)) * (age - 15)) / 5;
  return adult(age);
}

export interface Vitals {
  height: number;
  weight: number;
  bmi: number;
  systolic: number;
  diastolic: number;
  heartRate: number;
  respiratoryRate: number;
}

/** Vital signs at `age`; `noise` is a standard normal deviate per measurement (from the caller's PRNG). */
export function vitalsAt(p: Person, age: number, hypertensive: boolean, noise: () => number): Vitals {
  const height = heightCm(p, age);
  const b = bmi(p, age);
  const adult = Math.max(0, age - 18);
  let systolic = age < 18 ? 88 + age * 1.6 : 112 + 0.35 * adult + 0.5 * (b - 25) + p.bpOffset;
  if (hypertensive) systolic = Math.max(systolic, 134) + 6;
  else systolic = Math.min(systolic, 136);
  systolic += noise() * 5;
  const diastolic = (age < 18 ? 55 + age : 0.55 * systolic + 12) + noise() * 4;
  return {
    height,
    weight: b * (height / 100) ** 2,
    bmi: b,
    systolic,
    diastolic,
    heartRate: interpolate(HEART_RATE, age) + noise() * 7,
    respiratoryRate: interpolate(RESP_RATE, age) + noise() * 1.5,
  };
}
