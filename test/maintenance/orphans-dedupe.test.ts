import { cleanupOrphans } from '../../src/maintenance/cleanup-orphans.js';
import { dedupePatients } from '../../src/maintenance/dedupe-patients.js';
import { fixture, observation, patient, type Fixture } from './fixture.js';

describe('orphans and duplicates', () => {
  let f: Fixture;
  beforeEach(() => (f = fixture()));
  afterEach(() => f.close());

  it('cleanup finds exactly the 5 Observations whose Patient was deleted; dry run changes nothing', async () => {
    const ops = [];
    for (let i = 0; i < 10; i++) ops.push({ op: 'put' as const, resource: patient(`p${i}`, `F${i}`, { birthDate: `19${50 + i}-01-01` }) }, { op: 'put' as const, resource: observation(`o${i}`, `p${i}`) });
    await f.store.write(ops);
    for (let i = 0; i < 5; i++) await f.store.delete('Patient', `p${i}`);
    const dry = await cleanupOrphans(f.store, { dryRun: true });
    expect(dry.orphans.map((o) => o.id).sort()).toEqual(['o0', 'o1', 'o2', 'o3', 'o4']);
    expect(dry.orphans[0].missing[0]).toMatchObject({ target: 'Patient/p0', path: expect.stringContaining('subject') });
    expect((await f.store.countByType()).Observation).toBe(10);
    const done = await cleanupOrphans(f.store);
    expect(done.deleted).toBe(5);
    expect((await f.store.countByType()).Observation).toBe(5);
    expect((await cleanupOrphans(f.store)).orphans).toEqual([]);
  });

  it('dedupe merges exactly the 3 duplicate pairs and leaves no reference to a merged patient', async () => {
    const addr = (line: string) => ({ address: [{ line: [line], city: 'Boston', postalCode: '02110' }] });
    const ops = [];
    for (let i = 0; i < 6; i++) ops.push({ op: 'put' as const, resource: patient(`u${i}`, `Unique${i}`, { birthDate: `19${60 + i}-05-05`, ...addr(`${i} Main St`) }) });
    // Pair A: same identifier, the surname misspelt and the address moved. Pair B: same demographics, spelled
    // differently. Pair C: both. (Records sharing an identifier but little else are not merged: dedupe-matching.test.ts.)
    const mrn = (v: string) => ({ identifier: [{ system: 'urn:mrn', value: v }] });
    ops.push({ op: 'put' as const, resource: patient('a1', 'Smith', { birthDate: '1970-01-01', ...mrn('A'), ...addr('1 Elm') }) });
    ops.push({ op: 'put' as const, resource: patient('a2', 'Smyth', { birthDate: '1970-01-01', ...mrn('A'), ...addr('9 Oak') }) });
    ops.push({ op: 'put' as const, resource: patient('b1', "O'Brien", { birthDate: '1980-02-02', ...addr('2 Pine Rd') }) });
    ops.push({ op: 'put' as const, resource: patient('b2', 'obrien', { birthDate: '1980-02-02', ...addr('2 Pine Rd.') }) });
    ops.push({ op: 'put' as const, resource: patient('c1', 'Lee', { birthDate: '1990-03-03', ...mrn('C'), ...addr('3 Ash') }) });
    ops.push({ op: 'put' as const, resource: patient('c2', 'Lee', { birthDate: '1990-03-03', ...mrn('C'), ...addr('3 Ash') }) });
    for (const id of ['a1', 'a2', 'a2', 'b2', 'c1', 'u1']) ops.push({ op: 'put' as const, resource: observation(`obs-${ops.length}`, id) });
    await f.store.write(ops);
    const dry = await dedupePatients(f.store, { dryRun: true });
    expect(dry.merges.map((m) => [m.survivor, ...m.merged].sort())).toEqual([['a1', 'a2'], ['b1', 'b2'], ['c1', 'c2']]);
    expect((await f.store.read('Patient', 'a1')).meta.versionId).toBe('1');

    const result = await dedupePatients(f.store);
    // Survivor rule: most referenced first (a2 has 2 observations, b2 and c1 have 1).
    expect(result.merges.map((m) => m.survivor)).toEqual(['a2', 'b2', 'c1']);
    for (const { survivor, merged } of result.merges) {
      for (const id of merged) {
        // The merge's Provenance targets the merged patient's new version: a record, not a reference to repoint.
        const refs = (await f.store.referencesTo('Patient', id)).filter((r) => r.resourceType !== 'Provenance');
        expect(refs).toEqual([{ resourceType: 'Patient', id: survivor, path: expect.stringContaining('link') }]);
        expect(await f.store.read('Patient', id)).toMatchObject({ active: false, link: [{ other: { reference: `Patient/${survivor}` }, type: 'replaced-by' }] });
      }
    }
    expect((await f.store.referencesTo('Patient', 'a2')).filter((r) => r.resourceType === 'Observation')).toHaveLength(3);
    expect((await dedupePatients(f.store)).merges).toEqual([]);
  });
});
