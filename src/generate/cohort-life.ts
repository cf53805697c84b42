/**
 * One cohort patient, conditioned on the requirements rather than drawn until they happen to meet them:
 * the sex is dealt by index (exact shares), the age drawn from the census within the ages every requirement
 * can be met at, each required diagnosis given an onset inside its window (weighted by the module's own
 * curve), each required encounter a time inside its window; the rest of the life is then drawn as usual
 * (life.ts), alive until the last required event. Cost per patient is that of any patient, however rare
 * the condition.
 */
import { DAY, MINUTE, YEAR, ageAt } from './clock.js';
import { onsetAges } from './cohort-codes.js';
import { SLACK, type EncounterNeed, type Episode } from './cohort-requirements.js';
import { TO_DELIVERY, planLife, type Diagnosis, type Life, type RequiredVisit } from './life.js';
import type { ResolvedOptions } from './options.js';
import type { Person } from './person.js';
import type { Random } from './prng.js';
import { interpolate, type DiseaseModule } from './tables.js';

/** Whether patient `index` is a woman: the first n patients always hold round(n * share) women, evenly spread. */
export function isFemale(index: number, share: number): boolean {
  return Math.floor((index + 1) * share + 0.5) > Math.floor(index * share + 0.5);
}

/** The options createPerson draws patient `index` of a cohort with: the feasible ages, and the sex dealt to them. */
export function cohortPersonOptions(options: ResolvedOptions, index: number): ResolvedOptions {
  const { ages, femaleShare } = options.cohort!;
  const gender = femaleShare === undefined ? options.gender : isFemale(index, femaleShare) ? 'female' : 'male';
  return { ...options, minAge: ages.from, maxAge: ages.to - 1, gender };
}

const SLICES = 32;

/**
 * A time in [from, to) weighted as the module's curve has it: by the rise of the diagnosed share (chronic)
 * or the yearly chance (acute, pregnancy) over each slice, so forced onsets keep the module's age shape;
 * uniform where the curve is flat.
 */
export function drawOnset(rng: Random, module: DiseaseModule, birth: number, from: number, to: number): number {
  const step = (to - from) / SLICES;
  const slices = Array.from({ length: SLICES }, (_, i) => {
    const a = ageAt(birth, from + i * step);
    const b = ageAt(birth, from + (i + 1) * step);
    const weight = module.kind === 'chronic' ? interpolate(module.curve, b) - interpolate(module.curve, a) : interpolate(module.curve, (a + b) / 2) * (b - a);
    return { i, weight: Math.max(0, weight) };
  });
  const slice = slices.some((s) => s.weight > 0) ? rng.weighted(slices).i : rng.int(0, SLICES - 1);
  return from + (slice + rng.next()) * step;
}

function forceDiagnosis(rng: Random, e: Episode, birth: number, ref: number): Diagnosis {
  const [lo, hi] = onsetAges(e.module);
  const from = Math.max(e.onset.from, birth + Math.max(lo * YEAR, DAY));
  const to = Math.min(e.onset.to, birth + hi * YEAR);
  // The age range guarantees from < to up to rounding at its very ends; the window wins there.
  const onset = from < to ? drawOnset(rng, e.module, birth, from, to) : Math.min(from, e.onset.to - MINUTE);
  const m = e.module;
  const d: Diagnosis = { id: rng.uuid(), module: m, variant: e.variant, onset };
  if (m.kind === 'pregnancy') {
    const delivery = onset + TO_DELIVERY;
    if (delivery < ref) Object.assign(d, { delivery, abatement: delivery });
    d.cesarean = rng.chance(m.delivery?.cesareanShare ?? 0);
  } else if (m.kind === 'acute' || m.resolveDays) {
    d.abatement = onset + (m.resolveDays ?? 14) * DAY;
  }
  return d;
}

/** The end of the last visit a forced diagnosis brings about (its diagnosis, or the delivery). */
const lastMoment = (d: Diagnosis) =>
  (d.module.kind === 'pregnancy' ? d.onset + TO_DELIVERY : d.onset) + DAY + Math.max(d.module.encounter.minutes, d.module.delivery?.encounter.minutes ?? 0) * MINUTE;

/** `atLeast` encounters, one in each equal slot of the window, so they never overlap. */
function planEncounters(rng: Random, need: EncounterNeed, birth: number): Omit<RequiredVisit, 'diagnosis'>[] {
  const from = Math.max(need.within.from, birth + DAY);
  const slot = (need.within.to - from) / need.atLeast;
  return Array.from({ length: need.atLeast }, (_, i) => {
    const minutes = Math.round(rng.range(need.minutes[0], need.minutes[1]) / 15) * 15;
    const start = from + i * slot;
    let at = Math.ceil((start + rng.next() * Math.max(0, slot - minutes * MINUTE - SLACK)) / MINUTE) * MINUTE;
    // An office visit falls in office hours (08:00-17:00 UTC), as the engine's own do.
    if (need.class === 'AMB') {
      at = Math.floor(at / DAY) * DAY + 8 * 60 * MINUTE + rng.int(0, 35) * 15 * MINUTE;
      if (at < start) at += DAY;
    }
    return { at, minutes, type: need.type, class: need.class };
  });
}

/** The chronic diagnosis a required encounter is for: a forced one active then, else the gravest active one. */
function reasonFor(at: number, life: Life, forced: Set<Diagnosis>): Diagnosis | undefined {
  const active = life.diagnoses.filter((d) => d.module.kind === 'chronic' && d.onset + DAY <= at && (d.abatement === undefined || d.abatement > at));
  return active.find((d) => forced.has(d)) ?? active.sort((a, b) => (b.module.mortality ?? 1) - (a.module.mortality ?? 1))[0];
}

/** The life of a cohort patient: every requirement met, the rest drawn as for anyone. */
export function cohortLife(rng: Random, person: Person, options: ResolvedOptions): Life {
  const cohort = options.cohort!;
  const diagnoses = cohort.episodes.map((e) => forceDiagnosis(rng, e, person.birth, options.referenceTime));
  const visits = cohort.encounters.flatMap((n) => planEncounters(rng, n, person.birth));
  const aliveAt = Math.max(-Infinity, ...diagnoses.map(lastMoment), ...visits.map((v) => v.at + v.minutes * MINUTE + DAY));
  const life = planLife(rng, person, { ...options, modules: cohort.natural }, { diagnoses, aliveAt });
  const forced = new Set(diagnoses);
  life.required = visits.map((v) => ({ ...v, diagnosis: reasonFor(v.at, life, forced) }));
  return life;
}
