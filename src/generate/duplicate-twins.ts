/**
 * Twins: the hardest non-duplicates for a matcher. A twin shares surname, address, phone, parents (mother's
 * maiden name), birthplace, race, ethnicity and language with their sibling and differs in first name and in
 * one digit of the birth date, so a matcher that forgives a mistyped birth date must still tell the two
 * apart. Everything else (identifiers, body, health, the life that follows) is the twin's own.
 */
import { YEAR, date, parseDate } from './clock.js';
import type { ResolvedOptions } from './options.js';
import { createPerson, type Person } from './person.js';
import type { Random } from './prng.js';
import { DEMOGRAPHICS, NAMES } from './tables.js';

/** Positions of `YYYY-MM-DD` a twin's birth date may differ in: the last digit of the year, the month and the day. */
const DIGITS = [3, 5, 6, 8, 9];

/**
 * A birth (epoch ms, same time of day) whose date differs from `birth`'s in exactly one digit, is a real date,
 * and keeps the age inside the run's age range; undefined in the rare case none does.
 */
export function birthOneDigitApart(rng: Random, birth: number, options: ResolvedOptions): number | undefined {
  const day = date(birth);
  const timeOfDay = birth - parseDate(day);
  const candidates: number[] = [];
  for (const i of DIGITS) {
    for (const digit of '0123456789') {
      if (digit === day[i]) continue;
      const t = parseDate(day.slice(0, i) + digit + day.slice(i + 1)) + timeOfDay;
      const age = (options.referenceTime - t) / YEAR;
      if (!Number.isNaN(t) && t < options.referenceTime && age >= options.minAge && age < options.maxAge + 1) candidates.push(t);
    }
  }
  return candidates.length ? rng.pick(candidates) : undefined;
}

/** Twins are of the same sex about two times in three (all identical twins and half of fraternal ones). */
const SAME_SEX = 2 / 3;

/**
 * The twin of `sibling`, born at `birth`: a new person drawn from `rng` (own identifiers, body, smoking) who
 * takes over what twins share. Unmarried: the twin keeps the surname the sibling has today.
 */
export function twinPerson(rng: Random, options: ResolvedOptions, sibling: Person, birth: number): Person {
  const own = createPerson(rng, options);
  const gender = options.gender ?? (rng.chance(SAME_SEX) ? sibling.gender : sibling.gender === 'male' ? 'female' : 'male');
  const siblingName = /^\D*/.exec(sibling.given)![0];
  const given = `${rng.pick((gender === 'female' ? NAMES.female : NAMES.male).filter((n) => n !== siblingName))}${rng.int(1, 999)}`;
  const age = (options.referenceTime - birth) / YEAR;
  return {
    ...own,
    gender,
    birth,
    given,
    family: sibling.family,
    maidenFamily: undefined,
    race: sibling.race,
    hispanic: sibling.hispanic,
    mothersMaidenName: sibling.mothersMaidenName,
    place: sibling.place,
    birthCity: sibling.birthCity,
    phone: sibling.phone,
    language: sibling.language,
    // The twin's own draw was for another age; a child is never a smoker.
    smoking: age < DEMOGRAPHICS.smoking.startAge ? 'never' : own.smoking,
  };
}
