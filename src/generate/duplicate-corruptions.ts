/**
 * How a second registration of the same person differs from the first: the errors and changes that make
 * duplicate records hard to find (typos, nicknames, day and month swapped, a move, a new phone, a field left
 * empty, a married name). Each corruption works on a copy of the Patient resource and says whether it
 * applies; `corruptPatient` applies one to three of them and names them for the ground truth, so a matcher's
 * recall can be measured per kind (issue 19).
 */
import type { HumanName, Patient } from 'fhir/r4.js';
import { YEAR, parseDate } from './clock.js';
import { nicknameOf, nicknamesOf } from './duplicate-nicknames.js';
import { typo, typoKinds } from './duplicate-typos.js';
import type { ResolvedOptions } from './options.js';
import { randomPlace } from './places.js';
import type { Random } from './prng.js';
import { DEMOGRAPHICS, NAMES } from './tables.js';

export const CORRUPTION_KINDS = [
  'typo:given',
  'typo:family',
  'nickname',
  'day-month-transposed',
  'moved',
  'new-phone',
  'missing:phone',
  'missing:address',
  'missing:ssn',
  'married-name',
] as const;
export type CorruptionKind = (typeof CORRUPTION_KINDS)[number];

export const SSN_SYSTEM = 'http://hl7.org/fhir/sid/us-ssn';
const MARITAL_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus';

/** `YYYY-MM-DD` with day and month swapped, when that is another real date (both 12 or less and unequal). */
export function transposeDayMonth(value: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m || m[2] === m[3] || Number(m[3]) > 12 || Number(m[3]) < 1) return undefined;
  const swapped = `${m[1]}-${m[3]}-${m[2]}`;
  return Number.isNaN(parseDate(swapped)) ? undefined : swapped;
}

const official = (p: Patient) => p.name!.find((n) => n.use === 'official') ?? p.name![0];
const maiden = (p: Patient) => p.name!.find((n) => n.use === 'maiden');

/** Sets the given name on every name of the record: a clerk types it once. */
function setGiven(p: Patient, given: string): void {
  for (const n of p.name!) n.given = [given];
}

function setMarital(p: Patient, code: string): void {
  const display = DEMOGRAPHICS.marital.codes[code];
  p.maritalStatus = { coding: [{ system: MARITAL_SYSTEM, code, display }], text: display };
}

/** Age today, or at death: a girl who died at 16 never married. */
const ageOf = (p: Patient, options: ResolvedOptions) => ((p.deceasedDateTime ? Date.parse(p.deceasedDateTime) : options.referenceTime) - parseDate(p.birthDate!)) / YEAR;

/**
 * A woman's surname before or after marriage. A married woman registered again under her maiden name (a
 * record from before the wedding); an unmarried one under a new surname, half the time with the old one kept
 * as her maiden name.
 */
function marriedName(rng: Random, p: Patient): void {
  const name = official(p);
  const before = maiden(p);
  // Only adults carry a prefix (patient-resource.ts); a changed status changes it.
  const retitle = (n: HumanName, prefix: string): HumanName => (n.prefix ? { ...n, prefix: [prefix] } : n);
  if (before) {
    p.name = [retitle({ ...name, family: before.family }, 'Ms.')];
    setMarital(p, 'S');
    return;
  }
  const old = name.family!;
  // The husband's surname, numbered as every generated surname is (person.ts): its own suffix, not hers.
  let family = old;
  while (family === old) family = `${rng.pick(NAMES.family)}${rng.int(1, 999)}`;
  const married = retitle({ ...name, family }, 'Mrs.');
  p.name = rng.chance(0.5) ? [married, { ...married, use: 'maiden', family: old }] : [married];
  setMarital(p, 'M');
}

interface Corruption {
  kind: CorruptionKind;
  /** Relative frequency among the corruptions that apply. */
  weight: number;
  /** Kinds that cannot both describe one record (a nickname with a typo of the first name would blur both). */
  excludes?: CorruptionKind[];
  applies(p: Patient, options: ResolvedOptions): boolean;
  apply(rng: Random, p: Patient, options: ResolvedOptions): void;
}

const hasPhone = (p: Patient) => (p.telecom ?? []).some((t) => t.system === 'phone');
const hasSsn = (p: Patient) => (p.identifier ?? []).some((i) => i.system === SSN_SYSTEM);

/**
 * The corruptions and their weights: misspellings are the commonest cause of missed duplicates, then
 * changed contact details and missing fields, then date and surname changes.
 */
const CORRUPTIONS: Corruption[] = [
  {
    kind: 'typo:given',
    weight: 3,
    excludes: ['nickname'],
    applies: (p) => typoKinds(official(p).given![0]).length > 0,
    apply: (rng, p) => setGiven(p, typo(rng, official(p).given![0])!.value),
  },
  {
    kind: 'typo:family',
    weight: 3,
    excludes: ['married-name'],
    applies: (p) => typoKinds(official(p).family!).length > 0,
    apply: (rng, p) => void (official(p).family = typo(rng, official(p).family!)!.value),
  },
  {
    kind: 'nickname',
    weight: 2,
    excludes: ['typo:given'],
    applies: (p) => nicknamesOf(official(p).given![0]).length > 0,
    apply: (rng, p) => setGiven(p, nicknameOf(rng, official(p).given![0])!),
  },
  {
    kind: 'day-month-transposed',
    weight: 1.5,
    // A swap that lands after "today" is not a plausible entry error, it is an impossible birth.
    applies: (p, o) => {
      const swapped = transposeDayMonth(p.birthDate!);
      return swapped !== undefined && parseDate(swapped) <= o.referenceTime;
    },
    apply: (_rng, p) => void (p.birthDate = transposeDayMonth(p.birthDate!)),
  },
  {
    kind: 'moved',
    weight: 2,
    excludes: ['missing:address'],
    applies: (p) => (p.address ?? []).length > 0,
    apply: (rng, p, o) => {
      const line = p.address![0].line![0];
      let place = randomPlace(rng, o.state.code, o.city);
      while (place.line === line) place = randomPlace(rng, o.state.code, o.city);
      p.address = [{
        extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/geolocation', extension: [{ url: 'latitude', valueDecimal: place.latitude }, { url: 'longitude', valueDecimal: place.longitude }] }],
        line: [place.line],
        city: place.city,
        state: place.state,
        postalCode: place.postalCode,
        country: 'US',
      }];
    },
  },
  {
    kind: 'new-phone',
    weight: 2,
    excludes: ['missing:phone'],
    applies: hasPhone,
    apply: (rng, p) => {
      const old = p.telecom!.find((t) => t.system === 'phone')!;
      let phone = old.value;
      while (phone === old.value) phone = `555-${rng.digits(3)}-${rng.digits(4)}`;
      old.value = phone;
    },
  },
  {
    kind: 'missing:phone',
    weight: 1,
    excludes: ['new-phone'],
    applies: hasPhone,
    apply: (_rng, p) => void delete p.telecom,
  },
  {
    kind: 'missing:address',
    weight: 0.7,
    excludes: ['moved'],
    applies: (p) => (p.address ?? []).length > 0,
    apply: (_rng, p) => void delete p.address,
  },
  {
    kind: 'missing:ssn',
    weight: 1,
    applies: hasSsn,
    apply: (_rng, p) => void (p.identifier = p.identifier!.filter((i) => i.system !== SSN_SYSTEM)),
  },
  {
    kind: 'married-name',
    weight: 1.5,
    excludes: ['typo:family'],
    applies: (p, o) => p.gender === 'female' && ageOf(p, o) >= 18,
    apply: (rng, p) => marriedName(rng, p),
  },
];

/** How many corruptions a duplicate carries: most differ from the first record in one or two ways. */
const HOW_MANY = [
  { n: 1, weight: 0.5 },
  { n: 2, weight: 0.35 },
  { n: 3, weight: 0.15 },
];

/** Applies one to three corruptions that apply to `p` (changing it in place) and returns their kinds, in CORRUPTION_KINDS order. */
export function corruptPatient(rng: Random, p: Patient, options: ResolvedOptions): CorruptionKind[] {
  const wanted = rng.weighted(HOW_MANY).n;
  const kinds: CorruptionKind[] = [];
  while (kinds.length < wanted) {
    const open = CORRUPTIONS.filter((c) => !kinds.includes(c.kind) && !kinds.some((k) => c.excludes?.includes(k)) && c.applies(p, options));
    if (!open.length) break;
    const chosen = rng.weighted(open);
    chosen.apply(rng, p, options);
    kinds.push(chosen.kind);
  }
  return kinds.sort((a, b) => CORRUPTION_KINDS.indexOf(a) - CORRUPTION_KINDS.indexOf(b));
}
