import { readFileSync, readdirSync } from 'node:fs';
import { isValidLoinc, isValidSctId } from '../../src/generate/code-checks.js';
import { generatePopulation } from '../../src/generate/population.js';

const SNOMED = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';

/**
 * Every {system?, code} pair in a JSON value. Table codes carry no system, so the keys that hold other
 * systems are skipped: RxNorm medications (no check digit) and OMB race/ethnicity codes.
 */
const OTHER_SYSTEMS = new Set(['medications', 'race', 'ethnicity']);
function codings(value: unknown, out: { system?: string; code: string }[] = []) {
  if (Array.isArray(value)) value.forEach((v) => codings(v, out));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.code === 'string') out.push({ system: o.system as string | undefined, code: o.code });
    for (const [k, v] of Object.entries(o)) if (!OTHER_SYSTEMS.has(k)) codings(v, out);
  }
  return out;
}

describe('check digits', () => {
  it('knows valid and invalid codes', () => {
    expect(['8302-2', '4548-4', '57698-3', '85354-9'].every(isValidLoinc)).toBe(true);
    expect(isValidLoinc('8302-3')).toBe(false);
    expect(['38341003', '22298006', '44054006', '1151000175103'].every(isValidSctId)).toBe(true);
    expect(isValidSctId('38341004')).toBe(false);
  });

  it('every LOINC and SNOMED CT code in the data tables passes its check digit', () => {
    const bad: string[] = [];
    for (const file of readdirSync('schemas/generate')) {
      for (const { code } of codings(JSON.parse(readFileSync(`schemas/generate/${file}`, 'utf8')))) {
        if (/^\d+-\d$/.test(code)) {
          if (!isValidLoinc(code)) bad.push(`${file}: LOINC ${code}`);
        } else if (/^\d{6,}$/.test(code)) {
          if (!isValidSctId(code)) bad.push(`${file}: SNOMED ${code}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('every LOINC and SNOMED CT code in generated records passes its check digit', () => {
    const pop = generatePopulation({ count: 40, seed: 3, profile: 'chronic_disease' });
    const bad = new Set<string>();
    for (const b of pop.patients) {
      for (const { system, code } of codings(b)) {
        if (system === SNOMED && !isValidSctId(code)) bad.add(`SNOMED ${code}`);
        if (system === LOINC && !isValidLoinc(code)) bad.add(`LOINC ${code}`);
      }
    }
    expect([...bad]).toEqual([]);
  });
});
