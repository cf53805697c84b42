/**
 * `dedupe` with the matcher, on every store: certain matches merged as before (survivor rule, references
 * repointed, Patient.link both ways), twins and other possible matches listed for review and never merged,
 * a pair the identifier rule finds but the scores contradict left apart, a dry run changing nothing, and the
 * learned model kept for `$match` by a real run only.
 */
import type { Patient } from 'fhir/r4.js';
import { dedupePatients } from '../../src/maintenance/dedupe-patients.js';
import { MATCH_MODEL_KEY } from '../../src/match/match-model.js';
import { load, matchBackends, population } from '../match/match-stores.js';

describe.each(matchBackends('dedupe with the matcher'))('dedupe with the matcher on %s', (_, open) => {
  it('dry run: plans the merge of p1, d1 and d2, lists the twin for review, changes nothing', async () => {
    const { store, close } = await open();
    try {
      await load(store, population());
      const dry = await dedupePatients(store, { dryRun: true });
      expect(dry.merges.map((m) => [m.survivor, ...m.merged].sort())).toEqual([['d1', 'd2', 'p1']]);
      expect(dry.merges[0].survivor).toBe('d1');
      expect(dry.review.map((r) => [r.left, r.right].sort().join(' '))).toEqual(expect.arrayContaining(['p1 t1']));
      for (const r of dry.review) expect(r.grade === 'probable' || r.grade === 'possible').toBe(true);
      expect(dry.contradicted.map((c) => [c.left, c.right].sort())).toEqual([['s10', 's20']]);
      expect(dry.contradicted[0].rules).toEqual(['identifier urn:oid:2.16.840.1.113883.4.3.25|S99912345']);
      expect(dry.matching).toMatchObject({ patients: 304, thresholds: { match: 0.99, possible: 0.2 } });
      for (const id of ['p1', 'd1', 'd2', 't1']) expect((await store.read('Patient', id)).meta.versionId).toBe('1');
      expect(await store.getSystem(MATCH_MODEL_KEY)).toBeNull();
    } finally {
      await close();
    }
  }, 60_000);

  it('merges certain matches into the most referenced, repoints references, links both ways; the twin and the colliding pair stay', async () => {
    const { store, close } = await open();
    try {
      await load(store, population());
      const result = await dedupePatients(store);
      expect(result.merges).toEqual([{ survivor: 'd1', merged: ['d2', 'p1'], reasons: expect.any(Array), repointed: ['Observation/o-p1'] }]);
      const survivor = (await store.read('Patient', 'd1')) as Patient;
      expect(survivor.link).toEqual([
        { other: { reference: 'Patient/d2' }, type: 'replaces' },
        { other: { reference: 'Patient/p1' }, type: 'replaces' },
      ]);
      for (const id of ['p1', 'd2']) {
        expect(await store.read('Patient', id)).toMatchObject({ active: false, link: [{ other: { reference: 'Patient/d1' }, type: 'replaced-by' }] });
        // The merge's Provenance targets the merged patient's new version: a record, not a reference to repoint.
        expect((await store.referencesTo('Patient', id)).filter((r) => r.resourceType !== 'Provenance')).toEqual([{ resourceType: 'Patient', id: 'd1', path: expect.stringContaining('link') }]);
      }
      expect((await store.referencesTo('Patient', 'd1')).filter((r) => r.resourceType === 'Observation').map((r) => r.id).sort()).toEqual(['o-d1a', 'o-d1b', 'o-p1']);
      for (const id of ['t1', 's10', 's20']) expect((await store.read('Patient', id)).meta.versionId).toBe('1');
      expect(await store.getSystem(MATCH_MODEL_KEY)).toMatchObject({ patients: 304, converged: true });

      // Again: nothing left to merge, and the merged-away records take no part.
      const again = await dedupePatients(store);
      expect(again.merges).toEqual([]);
      expect(again.matching.patients).toBe(302);
      expect(again.review.flatMap((r) => [r.left, r.right]).filter((id) => id === 'p1' || id === 'd2')).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('a higher match threshold turns certain merges into review, never the other way', async () => {
    const { store, close } = await open();
    try {
      await load(store, population());
      const strict = await dedupePatients(store, { dryRun: true, thresholds: { match: 0.999999999, possible: 0.2 } });
      const lax = await dedupePatients(store, { dryRun: true });
      expect(strict.merges.length).toBeLessThanOrEqual(lax.merges.length);
      const reviewed = new Set(strict.review.map((r) => [r.left, r.right].sort().join(' ')));
      expect(reviewed.has('p1 t1')).toBe(true);
    } finally {
      await close();
    }
  }, 60_000);
});
