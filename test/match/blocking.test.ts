/**
 * Blocking: every corrupted second record still shares a key with its original (so it is compared at all),
 * records with nothing in common are never paired, the number of pairs grows about linearly with the
 * records, and a key held by too many records is skipped.
 */
import { MAX_BLOCK, blockingKeys, candidatePairs } from '../../src/match/blocking.js';
import { patientFeatures } from '../../src/match/patient-features.js';
import { corruptions, duplicateOf, person, strangers, twinOf } from './corrupted-patients.js';

const features = (patients: Parameters<typeof patientFeatures>[0][]) => patients.map(patientFeatures);
const shared = (a: string[], b: string[]) => a.filter((k) => b.includes(k));

describe('blocking', () => {
  const p = person();
  const kinds = Object.keys(corruptions);

  it('a duplicate with any one or two corruptions shares a key with its original', () => {
    for (const a of kinds) {
      for (const b of kinds) {
        const d = duplicateOf(p, 'd', a === b ? [a] : [a, b]);
        expect({ kinds: [a, b], shared: shared(blockingKeys(patientFeatures(p)), blockingKeys(patientFeatures(d))).length > 0 }).toEqual({ kinds: [a, b], shared: true });
      }
    }
  });

  it('survives a new surname, a mistyped first name, a move and a new phone, without an SSN: by the birth date', () => {
    const d = duplicateOf(p, 'd', ['missing:ssn', 'moved', 'new-phone']);
    d.name = [{ family: 'Barrett', given: ['Nargaret'] }];
    d.telecom = [];
    expect(shared(blockingKeys(patientFeatures(p)), blockingKeys(patientFeatures(d)))).toEqual([expect.stringMatching(/^bd:/)]);
  });

  it('pairs the duplicate and the twin with the original, and no stranger with any of them', () => {
    const records = [p, duplicateOf(p, 'd', ['typo:given', 'moved']), twinOf(p, 't'), ...strangers(200)];
    const pairs = candidatePairs(features(records));
    const ids = [...pairs.left].map((l, k) => [records[l].id, records[pairs.right[k]].id].sort().join(' '));
    expect(ids).toEqual(expect.arrayContaining(['d p1', 'p1 t']));
    expect(ids.filter((pair) => /\bs\d+\b/.test(pair) && /\b(p1|d|t)\b/.test(pair))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    for (let k = 0; k < pairs.left.length; k++) expect(pairs.left[k]).toBeLessThan(pairs.right[k]);
  });

  it('takes extra pairs (the deterministic ones), each once, in either order', () => {
    const records = features(strangers(10));
    const pairs = candidatePairs(records, [[3, 7], [7, 3], [2, 2]]);
    expect([...pairs.left].map((l, k) => [l, pairs.right[k]])).toEqual([[3, 7]]);
  });

  it('stays near-linear: 10,000 records spread over names and birth dates bring fewer pairs than records (not 50 million)', () => {
    const letters = (k: number) => [0, 1, 2, 3].map((d) => 'bcdfghjklmnprstvz'[Math.floor(k / 17 ** d) % 17]).join('');
    const records = strangers(10000).map((s, i) => ({
      ...s,
      birthDate: `${1930 + (i % 90)}-${String(1 + (Math.floor(i / 90) % 12)).padStart(2, '0')}-${String(1 + (Math.floor(i / 1080) % 28)).padStart(2, '0')}`,
      name: [{ family: `Ka${letters(i % 2500)}`, given: [s.name![0].given![0]] }],
    }));
    expect(candidatePairs(features(records)).left.length).toBeLessThan(records.length);
  });

  it('skips a key more than MAX_BLOCK records hold', () => {
    const records = strangers(MAX_BLOCK + 1).map((s) => ({ ...s, telecom: [{ system: 'phone' as const, value: '000-000-0000' }] }));
    const pairs = candidatePairs(features(records));
    expect(pairs.skippedBlocks).toBe(1);
    expect(pairs.left.length).toBeLessThan(1000);
  });
});
