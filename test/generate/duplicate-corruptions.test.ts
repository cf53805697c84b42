import type { Patient } from 'fhir/r4.js';
import { parseDate } from '../../src/generate/clock.js';
import { CORRUPTION_KINDS, corruptPatient, transposeDayMonth } from '../../src/generate/duplicate-corruptions.js';
import { NICKNAMES, nicknameOf, nicknamesOf } from '../../src/generate/duplicate-nicknames.js';
import { parseDuplicateRate } from '../../src/generate/duplicate-rate.js';
import { birthOneDigitApart } from '../../src/generate/duplicate-twins.js';
import { ADJACENT_KEYS, typo, typoKinds } from '../../src/generate/duplicate-typos.js';
import { exactSample } from '../../src/generate/duplicates.js';
import { resolveOptions } from '../../src/generate/options.js';
import { Random } from '../../src/generate/prng.js';
import { NAMES } from '../../src/generate/tables.js';
import { digitsApart, levenshtein, optimalStringAlignment } from './edit-distance.js';

const draws = <T>(n: number, f: (rng: Random, i: number) => T) => Array.from({ length: n }, (_, i) => f(new Random(42, i), i));

describe('typos', () => {
  it('are one keying error: Levenshtein 1 or 2 (a transposition), one Damerau edit, the digits kept', () => {
    const words = ['William123', 'Smith45', 'Rodriguez7', 'Lee940', 'Al12'];
    const seen = new Set<string>();
    for (const word of words) {
      for (const [i, t] of draws(200, (rng) => typo(rng, word)).entries()) {
        expect(t).toBeDefined();
        const { value, kind } = t!;
        seen.add(kind);
        expect(value).not.toBe(word);
        expect(value).toMatch(new RegExp(`^[A-Za-z]+${/\d+$/.exec(word)![0]}$`));
        const [a, b] = [word.toLowerCase(), value.toLowerCase()];
        expect(optimalStringAlignment(a, b)).toBe(1);
        expect(levenshtein(a, b)).toBe(kind === 'transposition' ? 2 : 1);
        expect(value[0]).toBe(value[0].toUpperCase());
        if (kind === 'substitution') {
          const at = [...a].findIndex((ch, j) => ch !== b[j]);
          expect(ADJACENT_KEYS[a[at]]).toContain(b[at]);
        }
        expect(typo(new Random(42, i), word)).toEqual(t);
      }
    }
    expect([...seen].sort()).toEqual(['deletion', 'substitution', 'transposition']);
  });

  it('keys are adjacent both ways, and a name too short to misspell has no deletion', () => {
    for (const [key, near] of Object.entries(ADJACENT_KEYS)) for (const other of near) expect(ADJACENT_KEYS[other]).toContain(key);
    expect(ADJACENT_KEYS.g.split('').sort().join('')).toBe('bfhtvy');
    expect(typoKinds('Al12')).not.toContain('deletion');
    expect(typoKinds('123')).toEqual([]);
    expect(typo(new Random(1), '123')).toBeUndefined();
  });
});

describe('nicknames', () => {
  it('come from the table, keep the suffix, and cover only names the generator uses', () => {
    const known = new Set([...NAMES.female, ...NAMES.male]);
    for (const formal of Object.keys(NICKNAMES)) expect(known).toContain(formal);
    expect(NICKNAMES.William).toContain('Bill');
    expect(NICKNAMES.Elizabeth).toContain('Liz');
    for (const nick of draws(50, (rng) => nicknameOf(rng, 'William7'))) expect(NICKNAMES.William.map((n) => `${n}7`)).toContain(nick);
    expect(nicknamesOf('Mark12')).toEqual([]);
    expect(nicknameOf(new Random(1), 'Mark12')).toBeUndefined();
  });
});

describe('day and month transposed', () => {
  it('is a real date with day and month swapped, only when both are months and differ', () => {
    expect(transposeDayMonth('1980-03-05')).toBe('1980-05-03');
    expect(transposeDayMonth('1980-12-01')).toBe('1980-01-12');
    expect(transposeDayMonth('1980-03-13')).toBeUndefined();
    expect(transposeDayMonth('1980-04-04')).toBeUndefined();
    for (let t = Date.parse('2000-01-01'); t < Date.parse('2001-01-01'); t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      const swapped = transposeDayMonth(day);
      if (swapped) expect(parseDate(swapped)).not.toBeNaN();
    }
  });
});

describe('twin birth dates', () => {
  it('differ in exactly one digit, are real dates before the reference date, and keep the age range', () => {
    const options = resolveOptions({ referenceDate: '2025-01-01', minAge: 20, maxAge: 40 });
    for (const [i, t] of draws(300, (rng) => birthOneDigitApart(rng, parseDate('1990-07-15') + 3_600_000 * 5, options)).entries()) {
      expect(t).toBeDefined();
      const date = new Date(t!).toISOString().slice(0, 10);
      expect(digitsApart(date, '1990-07-15')).toBe(1);
      expect(t! % 86_400_000).toBe(3_600_000 * 5);
      const age = (options.referenceTime - t!) / (365.2425 * 86_400_000);
      expect(age).toBeGreaterThanOrEqual(20);
      expect(age).toBeLessThan(41);
      expect(birthOneDigitApart(new Random(42, i), parseDate('1990-07-15') + 3_600_000 * 5, options)).toBe(t);
    }
    // Born on the reference day: every one-digit change is in the future or out of the age range.
    const newborn = resolveOptions({ referenceDate: '2025-01-01', minAge: 0, maxAge: 0 });
    expect(birthOneDigitApart(new Random(1), parseDate('2025-01-01'), newborn)).toBeUndefined();
  });
});

describe('exact sampling', () => {
  it('chooses exactly the wanted number of indices, the same for a seed', () => {
    for (const [total, wanted] of [[1000, 100], [200, 20], [10, 10], [5, 0], [1, 0]]) {
      const chosen = exactSample(new Random(3, 9), total, wanted);
      expect(chosen.size).toBe(wanted);
      for (const i of chosen) expect(i).toBeGreaterThanOrEqual(0);
      for (const i of chosen) expect(i).toBeLessThan(total);
      expect([...exactSample(new Random(3, 9), total, wanted)]).toEqual([...chosen]);
    }
    expect([...exactSample(new Random(4, 9), 1000, 100)]).not.toEqual([...exactSample(new Random(3, 9), 1000, 100)]);
  });
});

describe('corruptPatient', () => {
  const options = resolveOptions({ referenceDate: '2025-01-01' });
  const base = (): Patient => ({
    resourceType: 'Patient',
    id: 'p',
    identifier: [{ system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-12-3456' }],
    name: [{ use: 'official', family: 'Smith12', given: ['Elizabeth34'], prefix: ['Ms.'] }],
    telecom: [{ system: 'phone', value: '555-123-4567', use: 'home' }],
    gender: 'female',
    birthDate: '1980-03-05',
    address: [{ line: ['1 Main Street'], city: 'Boston', state: 'MA', postalCode: '02118', country: 'US' }],
    maritalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'S' }] },
  });

  it('applies one to three known kinds, each changing what it names, the same for a seed', () => {
    const counts = new Map<string, number>();
    for (const [i, { p, kinds }] of draws(400, (rng) => {
      const p = base();
      return { p, kinds: corruptPatient(rng, p, options) };
    }).entries()) {
      expect(kinds.length).toBeGreaterThanOrEqual(1);
      expect(kinds.length).toBeLessThanOrEqual(3);
      for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
      expect(kinds).toEqual([...kinds].sort((a, b) => CORRUPTION_KINDS.indexOf(a) - CORRUPTION_KINDS.indexOf(b)));
      const again = base();
      expect(corruptPatient(new Random(42, i), again, options)).toEqual(kinds);
      expect(again).toEqual(p);
      expect(p).not.toEqual(base());
      const has = (k: string) => kinds.includes(k as never);
      const name = p.name!.find((n) => n.use === 'official')!;
      if (has('nickname')) expect(NICKNAMES.Elizabeth.map((n) => `${n}34`)).toContain(name.given![0]);
      else if (has('typo:given')) expect(optimalStringAlignment(name.given![0].toLowerCase(), 'elizabeth34')).toBe(1);
      else expect(name.given).toEqual(['Elizabeth34']);
      if (has('married-name')) {
        expect(name.family).not.toBe('Smith12');
        expect(p.maritalStatus!.coding![0].code).toBe('M');
      } else if (has('typo:family')) expect(optimalStringAlignment(name.family!.toLowerCase(), 'smith12')).toBe(1);
      else expect(name.family).toBe('Smith12');
      expect(p.birthDate).toBe(has('day-month-transposed') ? '1980-05-03' : '1980-03-05');
      if (has('missing:phone')) expect(p.telecom).toBeUndefined();
      else if (has('new-phone')) expect(p.telecom![0].value).toMatch(/^555-\d{3}-\d{4}$/);
      else expect(p.telecom).toEqual(base().telecom);
      if (has('new-phone')) expect(p.telecom![0].value).not.toBe('555-123-4567');
      if (has('missing:address')) expect(p.address).toBeUndefined();
      else if (has('moved')) expect(p.address![0].line).not.toEqual(['1 Main Street']);
      else expect(p.address).toEqual(base().address);
      expect(p.identifier!.length).toBe(has('missing:ssn') ? 0 : 1);
    }
    expect([...counts.keys()].sort()).toEqual([...CORRUPTION_KINDS].sort());
  });

  it('leaves a man\'s surname alone and never transposes a day past 12', () => {
    for (const rng of draws(200, (r) => r)) {
      const p = { ...base(), gender: 'male' as const, birthDate: '1980-03-25' };
      const kinds = corruptPatient(rng, p, options);
      expect(kinds).not.toContain('married-name');
      expect(kinds).not.toContain('day-month-transposed');
    }
  });
});

describe('the duplicates rate', () => {
  it('is a number from 0 to 1; anything else is a 400 naming duplicates', () => {
    expect(parseDuplicateRate(undefined)).toBeUndefined();
    expect(parseDuplicateRate('0.1')).toBe(0.1);
    expect(parseDuplicateRate('.25')).toBe(0.25);
    expect(parseDuplicateRate(1)).toBe(1);
    expect(parseDuplicateRate('0')).toBe(0);
    for (const bad of ['-0.1', '1.5', 'abc', '1e-1', '0x1', 'NaN', Infinity, -1]) {
      expect(() => parseDuplicateRate(bad)).toThrow(/duplicates must be a number from 0 to 1/);
    }
    expect(() => resolveOptions({ duplicates: '2' })).toThrow(expect.objectContaining({ status: 400 }));
  });
});
