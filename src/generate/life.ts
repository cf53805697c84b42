/**
 * The course of a life before any record is written: which disease modules strike and when (chronic:
 * diagnosed share by age, so a population matches the curve; acute and pregnancy: a chance per year of
 * age), and whether the person dies within the records' window (life table times the hazard of their
 * conditions relative to the population's). Everything is clipped to [birth, death or reference date], so
 * no event can fall outside a life.
 */
import { DAY, YEAR, ageAt } from './clock.js';
import type { ResolvedOptions } from './options.js';
import { DEATH_SPAN_YEARS, annualDeathRisk, type Person } from './person.js';
import type { Random } from './prng.js';
import { SPREAD } from './spread.js';
import { MODULES, interpolate, type Code, type DiseaseModule, type EncounterSpec, type ModuleVariant } from './tables.js';

export interface Diagnosis {
  id: string;
  module: DiseaseModule;
  variant: ModuleVariant;
  /** When it is diagnosed (epoch ms). */
  onset: number;
  /** When it resolves; undefined while active. */
  abatement?: number;
  /** Pregnancy: the delivery time, when it falls within the life. */
  delivery?: number;
  cesarean?: boolean;
}

/** An encounter a cohort requires (cohort-life.ts), at a set time, for the diagnosis it treats if any. */
export interface RequiredVisit {
  at: number;
  minutes: number;
  type: Code;
  class: EncounterSpec['class'];
  diagnosis?: Diagnosis;
}

export interface Life {
  /** Start of the exported records: birth, or `yearsOfHistory` before the reference date. */
  windowStart: number;
  /** Death, or the reference date. */
  end: number;
  death?: number;
  causeOfDeath?: Diagnosis;
  diagnoses: Diagnosis[];
  /** Encounters a cohort requires, beside those the diagnoses and the preventive schedule bring. */
  required?: RequiredVisit[];
}

/**
 * What a cohort fixes before the life is drawn (cohort-life.ts): diagnoses with their onsets, and a time the
 * person is alive at (their last required event). Death is drawn only after it: conditioning on the
 * requirements, where rejecting lives that miss them would cost time in proportion to their rarity.
 */
export interface LifeGivens {
  diagnoses: Diagnosis[];
  aliveAt: number;
}

/** From a pregnancy's diagnosis, about 8 weeks in, to delivery at 280 days. */
export const TO_DELIVERY = 280 * DAY - 8 * 7 * DAY;

/**
 * The population's mean hazard ratio by whole year of age, from the chronic curves. The life table already
 * counts the sick, so a person's hazard is taken relative to this mean; multiplying the table by raw
 * hazard ratios killed twice as many old people as the table says.
 */
const MEAN_HAZARD = Array.from({ length: 121 }, (_, age) =>
  MODULES.filter((m) => m.kind === 'chronic').reduce((h, m) => h * (1 + interpolate(m.curve, age) * ((m.mortality ?? 1) - 1)), 1),
);
const meanHazard = (age: number) => MEAN_HAZARD[Math.max(0, Math.min(120, Math.round(age)))];

function moduleChance(module: DiseaseModule, person: Person, options: ResolvedOptions, age: number): number {
  if (module.sex === 'female' && person.gender !== 'female') return 0;
  let p = interpolate(module.curve, age) * module.sexMultiplier[person.gender] * options.profileSpec.multipliers[module.kind];
  const risk = module.risk ?? {};
  if (risk.obese) p *= person.adultBmi >= 30 ? risk.obese[0] : risk.obese[1];
  if (risk.smoker) p *= person.smoking !== 'never' ? risk.smoker[0] : risk.smoker[1];
  return Math.min(p, 0.95);
}

/** The age at which the diagnosed share first reaches `share` (the inverse of the curve). */
function onsetAge(module: DiseaseModule, share: number, maxAge: number): number {
  for (let a = 0; a <= maxAge; a += 0.25) if (interpolate(module.curve, a) >= share) return a;
  return maxAge;
}

export function planLife(rng: Random, person: Person, options: ResolvedOptions, givens?: LifeGivens): Life {
  const ref = options.referenceTime;
  const windowStart = options.yearsOfHistory === 0 ? person.birth : Math.max(person.birth, ref - options.yearsOfHistory * YEAR);
  const ageNow = ageAt(person.birth, ref);
  const diagnoses: Diagnosis[] = [];
  const variant = (m: DiseaseModule) => rng.pick(m.variants);

  for (const m of options.modules.filter((x) => x.kind === 'chronic')) {
    if (rng.spread(SPREAD.chronic + MODULES.findIndex((x) => x.id === m.id)) >= moduleChance(m, person, options, ageNow)) continue;
    const age = Math.min(ageNow, onsetAge(m, rng.next() * interpolate(m.curve, ageNow), ageNow) + rng.range(0, 0.25));
    const onset = person.birth + age * YEAR;
    diagnoses.push({ id: rng.uuid(), module: m, variant: variant(m), onset, abatement: m.resolveDays ? onset + m.resolveDays * DAY : undefined });
  }
  if (givens) diagnoses.push(...givens.diagnoses);

  // Death by inverting the survival curve at one spread draw: the year in which survival falls below it.
  let death: number | undefined;
  const deathDraw = 1 - rng.spread(SPREAD.death);
  let survival = 1;
  for (let t = Math.max(windowStart, ref - DEATH_SPAN_YEARS * YEAR, givens?.aliveAt ?? -Infinity); t < ref && death === undefined; t += YEAR) {
    const hazard = diagnoses.filter((d) => d.onset <= t).reduce((h, d) => h * (d.module.mortality ?? 1), 1);
    const age = ageAt(person.birth, t);
    survival *= 1 - Math.min(1, (annualDeathRisk(age) * hazard) / meanHazard(age));
    if (survival < deathDraw) death = Math.min(t + rng.next() * YEAR, ref - DAY);
  }
  const end = death ?? ref;
  const living = diagnoses.filter((d) => d.onset < end);

  for (const m of options.modules.filter((x) => x.kind !== 'chronic')) {
    let blockedUntil = windowStart;
    for (let year = windowStart; year < end; year += YEAR) {
      const t = year + rng.next() * YEAR;
      if (t >= end || t < blockedUntil || !rng.chance(moduleChance(m, person, options, ageAt(person.birth, t)))) continue;
      if (m.kind === 'pregnancy') {
        const delivery = t + TO_DELIVERY;
        // A pregnancy is recorded only if the mother lives through it (or it is still ongoing today).
        if (death !== undefined && delivery >= death) continue;
        const delivered = delivery < end;
        living.push({ id: rng.uuid(), module: m, variant: variant(m), onset: t, abatement: delivered ? delivery : undefined, delivery: delivered ? delivery : undefined, cesarean: rng.chance(m.delivery?.cesareanShare ?? 0) });
        blockedUntil = delivery + 90 * DAY;
      } else {
        const abatement = t + (m.resolveDays ?? 14) * DAY;
        living.push({ id: rng.uuid(), module: m, variant: variant(m), onset: t, abatement: abatement < end ? abatement : undefined });
      }
    }
  }
  for (const d of living) if (d.abatement !== undefined && d.abatement >= end) d.abatement = undefined;
  living.sort((a, b) => a.onset - b.onset);
  const lethal = death === undefined ? [] : living.filter((d) => ((d.module.mortality ?? 1) > 1 && d.abatement === undefined) || d.module.id === 'stroke');
  const causeOfDeath = lethal.sort((a, b) => (b.module.mortality ?? 1) - (a.module.mortality ?? 1))[0];
  return { windowStart, end, death, causeOfDeath, diagnoses: living };
}
