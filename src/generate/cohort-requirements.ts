/**
 * What a cohort spec asks of every patient, resolved against the generator before anything is generated:
 * one forced diagnosis (an episode) per required condition, with the window its onset must fall in; the
 * conditions the required medications treat (a prescription comes with its condition, at the diagnosis);
 * the encounters to add; the modules that still run as usual (forced ones and excluded codes taken out);
 * the ages at the reference date at which every requirement can be met; and the share of women.
 * Contradictions (an excluded code also required, pregnancy for men, windows no age range can reach) are
 * refused here with the path of the requirement at fault.
 */
import { badRequest } from '../fhir/outcomes.js';
import { DAY, MINUTE, YEAR } from './clock.js';
import { CONDITION_CODES, KNOWN_CONDITIONS, KNOWN_MEDICATIONS, MEDICATION_CODES, onsetAges, type Carrier } from './cohort-codes.js';
import type { CohortSpec, EncounterClassName } from './cohort-spec.js';
import { overlap, show, windowOf, type Interval } from './cohort-windows.js';
import type { ResolvedOptions } from './options.js';
import type { Code, DiseaseModule, EncounterSpec } from './tables.js';

/** A diagnosis every patient gets: its onset falls in `onset`; `paths` are the requirements it meets. */
export interface Episode extends Carrier {
  onset: Interval;
  paths: string[];
}

export interface EncounterNeed {
  type: Code;
  class: EncounterSpec['class'];
  /** Shortest and longest stay, in minutes. */
  minutes: [number, number];
  atLeast: number;
  within: Interval;
  path: string;
}

export interface Cohort {
  episodes: Episode[];
  encounters: EncounterNeed[];
  /** The modules drawn as usual: those not forced, without excluded variants. */
  natural: DiseaseModule[];
  /** Ages (fractional years at the reference date) at which every requirement can be met. */
  ages: Interval;
  /** Share of women, dealt exactly by patient index; undefined leaves sex to the census shares. */
  femaleShare?: number;
}

/** What a required encounter is: Synthea's encounter types for each class, and how long it lasts. */
const ENCOUNTERS: Record<EncounterClassName, Omit<EncounterNeed, 'atLeast' | 'within' | 'path'>> = {
  inpatient: { type: { code: '32485007', display: 'Hospital admission (procedure)' }, class: 'IMP', minutes: [2 * 1440, 7 * 1440] },
  emergency: { type: { code: '50849002', display: 'Emergency room admission (procedure)' }, class: 'EMER', minutes: [120, 360] },
  ambulatory: { type: { code: '185347001', display: 'Encounter for problem (procedure)' }, class: 'AMB', minutes: [30, 30] },
};

/** Room one required encounter takes: its longest stay, and two days to move it to office hours and apart from the next. */
export const SLACK = 2 * DAY;
export const slotOf = (need: EncounterNeed) => need.minutes[1] * MINUTE + SLACK;

const name = (c: Carrier) => c.variant.condition.display;

export function resolveCohort(spec: CohortSpec, options: ResolvedOptions): Cohort {
  const ref = options.referenceTime;
  const history = options.yearsOfHistory === 0 ? -Infinity : ref - options.yearsOfHistory * YEAR;
  const historyNote = `the records' ${options.yearsOfHistory} years of history (yearsOfHistory), from ${show(history)}`;

  const excluded = new Set<string>();
  spec.exclude.forEach((code, i) => {
    if (!CONDITION_CODES.has(code)) throw badRequest(`cohort.exclude[${i}]: unknown condition code "${code}"; known: ${KNOWN_CONDITIONS}`, `cohort.exclude[${i}]`);
    excluded.add(code);
  });
  let femaleShare = typeof spec.sex === 'object' ? spec.sex.female : options.gender && (options.gender === 'female' ? 1 : 0);
  if (typeof spec.sex === 'object' && Math.abs(spec.sex.female + spec.sex.male - 1) > 1e-9) {
    throw badRequest(`cohort.sex: the shares must add up to 1, got ${spec.sex.female + spec.sex.male}`, 'cohort.sex');
  }

  /** The onset window of a diagnosis: a non-chronic one (or one whose prescription must fall in a window) is recorded only inside the history; its visit must end before the reference date. */
  const onsetWindow = (carrier: Carrier, window: Interval, path: string, inHistory: boolean): Interval => {
    const from = inHistory ? Math.max(window.from, history + DAY) : window.from;
    const to = Math.min(window.to, ref - DAY - carrier.module.encounter.minutes * MINUTE);
    if (from >= to) {
      const why = window.to <= history + DAY ? `it ends before ${historyNote}` : 'it leaves no time for the visit before the reference date';
      throw badRequest(`${path}: ${name(carrier)} cannot be recorded in this window: ${why}`, path);
    }
    return { from, to };
  };

  const episodes: Episode[] = [];
  /**
   * A chronic condition or a pregnancy happens once, so a further requirement of it narrows its window; an
   * acute one recurs, so a further condition is another episode, while a prescription joins one it fits.
   */
  const add = (carrier: Carrier, onset: Interval, path: string, prescription: boolean) => {
    const same = episodes.find((e) => e.variant === carrier.variant && (carrier.module.kind !== 'acute' || (prescription && overlap(e.onset, onset))));
    if (!same) {
      episodes.push({ ...carrier, onset, paths: [path] });
      return;
    }
    const both = overlap(same.onset, onset);
    const why = prescription ? ' (a drug is prescribed when the condition it treats is diagnosed)' : '';
    if (!both) throw badRequest(`${path} cannot hold together with ${same.paths.join(' and ')}: their windows for ${name(carrier)} do not overlap${why}`, path);
    same.onset = both;
    same.paths.push(path);
  };

  spec.conditions.forEach((c, i) => {
    const path = `cohort.conditions[${i}]`;
    const carrier = CONDITION_CODES.get(c.code);
    if (!carrier) throw badRequest(`${path}.code: unknown condition code "${c.code}"; known: ${KNOWN_CONDITIONS}`, `${path}.code`);
    if (excluded.has(c.code)) throw badRequest(`${path}: ${c.code} (${name(carrier)}) is both required and excluded (cohort.exclude)`, path);
    add(carrier, onsetWindow(carrier, windowOf(c.onset, `${path}.onset`, ref), `${path}.onset`, carrier.module.kind !== 'chronic'), path, false);
  });

  spec.medications.forEach((m, i) => {
    const path = `cohort.medications[${i}]`;
    const carriers = MEDICATION_CODES.get(m.code);
    if (!carriers) throw badRequest(`${path}.code: unknown medication code "${m.code}"; known: ${KNOWN_MEDICATIONS}`, `${path}.code`);
    const usable = carriers.filter((c) => !excluded.has(c.variant.condition.code) && !(c.module.sex === 'female' && femaleShare === 0));
    if (!usable.length) throw badRequest(`${path}: ${m.code} is prescribed only for ${carriers.map(name).join(', ')}, which the cohort rules out`, path);
    // Prefer a condition the cohort already requires; else the first module that prescribes it.
    const carrier = usable.find((c) => episodes.some((e) => e.variant === c.variant)) ?? usable[0];
    const window = m.prescribed ? windowOf(m.prescribed, `${path}.prescribed`, ref) : { from: -Infinity, to: ref };
    add(carrier, onsetWindow(carrier, window, m.prescribed ? `${path}.prescribed` : path, m.prescribed !== undefined || carrier.module.kind !== 'chronic'), path, true);
  });

  const femaleOnly = episodes.find((e) => e.module.sex === 'female');
  if (femaleOnly) {
    if (femaleShare !== undefined && femaleShare < 1) {
      const men = typeof spec.sex === 'object' ? `cohort.sex gives men a share of ${spec.sex.male}` : spec.sex !== undefined ? 'cohort.sex is male' : 'gender is male';
      throw badRequest(`${femaleOnly.paths[0]}: ${name(femaleOnly)} is for women only, but ${men}`, femaleOnly.paths[0]);
    }
    femaleShare = 1;
  }

  const encounters = spec.encounters.map((n, i): EncounterNeed => {
    const path = `cohort.encounters[${i}]`;
    const window = windowOf(n.within, `${path}.within`, ref);
    const need: EncounterNeed = { ...ENCOUNTERS[n.class], atLeast: n.atLeast, within: { from: Math.max(window.from, history), to: window.to - DAY }, path };
    if (need.within.to - need.within.from < n.atLeast * slotOf(need)) {
      const where = window.to <= history ? `the window ends before ${historyNote}` : `they do not fit between ${show(need.within.from)} and ${show(need.within.to)}`;
      throw badRequest(`${path}: ${n.atLeast} ${n.class} encounters of up to ${duration(need.minutes[1])}: ${where}`, n.within ? `${path}.within` : path);
    }
    return need;
  });

  const ages = feasibleAges(options, episodes, encounters);
  const forced = new Set(episodes.filter((e) => e.module.kind !== 'acute').map((e) => e.module.id));
  const natural = options.modules
    .filter((m) => !forced.has(m.id))
    .map((m) => (m.variants.some((v) => excluded.has(v.condition.code)) ? { ...m, variants: m.variants.filter((v) => !excluded.has(v.condition.code)) } : m))
    .filter((m) => m.variants.length > 0);
  return { episodes, encounters, natural, ages, femaleShare };
}

const duration = (minutes: number) => (minutes >= 1440 ? `${minutes / 1440} days` : minutes >= 60 ? `${minutes / 60} hours` : `${minutes} minutes`);
const years = (n: number) => String(Math.round(n * 10) / 10);
/** Ages [from, to) as people say them: "60 to 99" for whole years, "25 or over". */
const span = (ages: Interval) => (Number.isFinite(ages.to) ? `${years(ages.from)} to ${Number.isInteger(ages.to) ? ages.to - 1 : years(ages.to)}` : `${years(ages.from)} or over`);
const between = (w: Interval) => (Number.isFinite(w.from) ? `between ${show(w.from)} and ${show(w.to)}` : `before ${show(w.to)}`);

/**
 * Ages A (at the reference date) at which each requirement can be met: a diagnosis at onset ages [lo, hi]
 * within [from, to) needs lo + (ref - to)/YEAR <= A <= hi + (ref - from)/YEAR; encounters need the person
 * born early enough for all of them to fit in their window. Each narrows the cohort's own range.
 */
function feasibleAges(options: ResolvedOptions, episodes: Episode[], encounters: EncounterNeed[]): Interval {
  const ref = options.referenceTime;
  let ages: Interval = { from: options.minAge, to: options.maxAge + 1 };
  const narrow = (need: Interval, path: string, what: string) => {
    const left = overlap(ages, need);
    if (!left) throw badRequest(`${path}: ${what} needs patients aged ${span(need)} at the reference date, but the cohort's ages are ${span(ages)}`, path);
    ages = left;
  };
  for (const e of episodes) {
    const [lo, hi] = onsetAges(e.module);
    const ages = lo > 0 || Number.isFinite(hi) ? ` (at ages ${span({ from: lo, to: hi + 1 })})` : '';
    narrow({ from: lo + (ref - e.onset.to) / YEAR, to: hi + (ref - e.onset.from) / YEAR }, e.paths[0], `${name(e)}${ages} with onset ${between(e.onset)}`);
  }
  for (const n of encounters) {
    narrow({ from: (ref - (n.within.to - n.atLeast * slotOf(n))) / YEAR, to: Infinity }, n.path, `${n.atLeast} encounters before ${show(n.within.to)}`);
  }
  return ages;
}
