/** Contract: stream (incl. `since`), streamHistory (incl. history marks), countByType and clear. */
import type { Patient } from 'fhir/r4.js';
import { MRN, observation, organization, patient } from '../fixtures/store-resources.js';
import type { HistoryStreamOptions } from '../../src/store/resource-store.js';
import type { StoreGetter } from './contract.js';
import { collect, criterion, expectOutcome, expectVersions, query, tick } from './contract-helpers.js';

export function streamContract(get: StoreGetter): void {
  it('historyPage: a type\'s and every type\'s versions newest first, paged, with since and a total', async () => {
    const label = (v: { resourceType: string; id: string; versionId: string }) => `${v.resourceType}/${v.id}/${v.versionId}`;
    await get().create(patient('pat-1'));
    await tick();
    await get().create(organization('org-1'));
    await tick();
    const second = await get().update({ ...patient('pat-1'), gender: 'male' } as Patient & { id: string });
    await tick();
    await get().delete('Organization', 'org-1');
    const all = await get().historyPage(null, { count: 10, offset: 0 });
    expect(all.total).toBe(4);
    expect(all.versions.map(label)).toEqual(['Organization/org-1/2', 'Patient/pat-1/2', 'Organization/org-1/1', 'Patient/pat-1/1']);
    expect(all.versions[0].deleted).toBe(true);
    expect((all.versions[1].resource as Patient | undefined)?.gender).toBe('male');
    const page = await get().historyPage(null, { count: 2, offset: 1 });
    expect(page).toMatchObject({ total: 4 });
    expect(page.versions.map(label)).toEqual(['Patient/pat-1/2', 'Organization/org-1/1']);
    const patients = await get().historyPage('Patient', { count: 10, offset: 0 });
    expect(patients.versions.map(label)).toEqual(['Patient/pat-1/2', 'Patient/pat-1/1']);
    expect(patients.total).toBe(2);
    const since = await get().historyPage(null, { since: Date.parse(second.resource.meta.lastUpdated), count: 10, offset: 0 });
    expect(since.versions.map(label)).toEqual(['Organization/org-1/2', 'Patient/pat-1/2']);
    expect(since.total).toBe(2);
    expect(await get().historyPage('Encounter', { count: 10, offset: 0 })).toEqual({ versions: [], total: 0 });
  });

  it('stream yields every live current resource of the type in id order, across chunk boundaries', async () => {
    const n = 1203;
    const ops = Array.from({ length: n }, (_, i) => ({ op: 'create' as const, resource: organization(`org-${String(n - i).padStart(5, '0')}`) }));
    await get().write(ops);
    await get().delete('Organization', 'org-00007');
    await get().create(patient('pat-1'));
    const streamed = await collect(get().stream('Organization'));
    expect(streamed).toHaveLength(n - 1);
    const idsOut = streamed.map((r) => r.id);
    expect(idsOut).toEqual([...idsOut].sort());
    expect(new Set(idsOut).size).toBe(n - 1);
    expect(idsOut).not.toContain('org-00007');
    expect(streamed[0].meta.versionId).toBe('1');
  });

  it('stream with since gives what was written at or after that instant', async () => {
    await get().create(patient('pat-1'));
    await get().create(patient('pat-2'));
    await tick();
    const later = await get().update({ ...patient('pat-1'), gender: 'male' } as Patient & { id: string });
    const streamed = await collect(get().stream('Patient', { since: later.resource.meta.lastUpdated }));
    expect(streamed.map((r) => [r.id, r.meta.versionId])).toEqual([['pat-1', '2']]);
  });

  it('streamHistory yields every version, tombstones included, by id then oldest first', async () => {
    await get().create(patient('pat-2'));
    await get().create(patient('pat-1'));
    await tick();
    await get().update({ ...patient('pat-1'), gender: 'male' } as Patient & { id: string });
    await get().delete('Patient', 'pat-1');
    const records = await collect(get().streamHistory('Patient'));
    expect(records.map((r) => [r.id, r.versionId, r.deleted])).toEqual([
      ['pat-1', '1', false], ['pat-1', '2', false], ['pat-1', '3', true], ['pat-2', '1', false],
    ]);
    expect(records[2].resource).toBeUndefined();
    expect((records[1].resource as Patient).gender).toBe('male');
  });

  it('history marks outlive clear(): what is written after it comes after every earlier mark', async () => {
    const versions = async (options: HistoryStreamOptions) => (await collect(get().streamHistory('Patient', options))).map((r) => `${r.id}/${r.versionId}`);
    await get().create(patient('pat-1'));
    await get().update({ ...patient('pat-1'), gender: 'male' } as Patient & { id: string });
    const before = await get().markHistory();
    await get().clear();
    await get().create(patient('pat-2'));
    const after = await get().markHistory();
    expect(await versions({ after: before })).toEqual(['pat-2/1']);
    expect(await versions({ after: before, through: after })).toEqual(['pat-2/1']);
    expect(await versions({ after })).toEqual([]);
  });

  it('history marks: versions before, between and after two marks; a foreign `after` bounds nothing; malformed or foreign `through` is a 400', async () => {
    const versions = async (options: HistoryStreamOptions) => (await collect(get().streamHistory('Patient', options))).map((r) => `${r.id}/${r.versionId}`);
    await get().write([{ op: 'create', resource: patient('pat-1') }, { op: 'create', resource: patient('pat-2') }]);
    const first = await get().markHistory();
    expect(await versions({ through: first })).toEqual(['pat-1/1', 'pat-2/1']);
    // Stamped an hour back, as by a writer whose clock lags or that planned its write long before it committed.
    const lagging = { ...patient('pat-0'), meta: { versionId: '1', lastUpdated: new Date(Date.now() - 3_600_000).toISOString() } };
    await get().restoreVersions([{ resourceType: 'Patient', id: 'pat-0', versionId: '1', lastUpdated: lagging.meta.lastUpdated, deleted: false, json: JSON.stringify(lagging) }]);
    await get().update({ ...patient('pat-1'), gender: 'male' } as Patient & { id: string });
    const second = await get().markHistory();
    expectVersions(await versions({ after: first, through: second }), ['pat-0/1', 'pat-1/2'], ['pat-1/1']);
    await get().delete('Patient', 'pat-1');
    expectVersions(await versions({ after: second }), ['pat-1/3'], ['pat-1/2']);
    expect(await versions({ after: second, through: second })).toEqual([]);
    expect(await versions({ through: second })).toContain('pat-2/1');
    const foreign = `${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}:7`;
    expect(await versions({ after: foreign })).toEqual(['pat-0/1', 'pat-1/1', 'pat-1/2', 'pat-1/3', 'pat-2/1']);
    await expectOutcome(collect(get().streamHistory('Patient', { through: foreign })), 400);
    await expectOutcome(collect(get().streamHistoryRaw('Patient', { after: 'yesterday' })), 400);
  });

  it('streamHistory crosses chunk boundaries, even inside one resource\'s versions, without losing or repeating versions', async () => {
    // 167 resources of 3 versions: 501 records, so both stores' 500-record chunk ends between org-0166's v2 and v3.
    const ops = Array.from({ length: 167 }, (_, i) => ({ op: 'create' as const, resource: organization(`org-${String(i).padStart(4, '0')}`) }));
    await get().write(ops);
    for (const name of ['renamed', 'renamed again']) await get().write(ops.map((o) => ({ op: 'put' as const, resource: { ...o.resource, name } as never })));
    const records = await collect(get().streamHistory('Organization'));
    expect(records).toHaveLength(501);
    expect(new Set(records.map((r) => `${r.id}/${r.versionId}`)).size).toBe(501);
    expect(records.slice(0, 2).map((r) => `${r.id}/${r.versionId}`)).toEqual(['org-0000/1', 'org-0000/2']);
    expect(records.slice(498, 501).map((r) => `${r.id}/${r.versionId}`)).toEqual(['org-0166/1', 'org-0166/2', 'org-0166/3']);
    // 501 versions through FerretDB v1, where each guarded update scans its collection: slow, not stuck.
  }, 120_000);

  it('countByType counts live current resources per type', async () => {
    expect(await get().countByType()).toEqual({});
    await get().write([
      { op: 'create', resource: patient('pat-1') },
      { op: 'create', resource: patient('pat-2') },
      { op: 'create', resource: observation('obs-1') },
      { op: 'put', resource: { ...patient('pat-1'), gender: 'male' } as Patient & { id: string } },
    ]);
    await get().delete('Patient', 'pat-2');
    expect(await get().countByType()).toEqual({ Observation: 1, Patient: 1 });
  });

  it('clear removes resources, versions and index rows', async () => {
    await get().create(organization('org-1'));
    await get().create(patient('pat-1'));
    await get().delete('Organization', 'org-1');
    await get().clear();
    await expectOutcome(get().read('Patient', 'pat-1'), 404);
    await expectOutcome(get().read('Organization', 'org-1'), 404);
    await expectOutcome(get().history('Organization', 'org-1'), 404);
    expect(await get().countByType()).toEqual({});
    expect(await get().findByIdentifier('Patient', MRN, 'mrn-pat-1')).toEqual([]);
    expect(await get().referencesTo('Organization', 'org-1')).toEqual([]);
    expect((await get().search(query('Patient', [criterion('gender', 'token', { kind: 'token', value: 'female' })]))).total).toBe(0);
    expect(await collect(get().streamHistory('Patient'))).toEqual([]);
    const again = await get().create(patient('pat-1'));
    expect(again.meta.versionId).toBe('1');
  });
}
