/** Contract: create / read / update / delete, versions and history, with their FHIR HTTP statuses. */
import type { Patient } from 'fhir/r4.js';
import { US_CORE_PATIENT, patient } from '../fixtures/store-resources.js';
import type { StoreGetter } from './contract.js';
import { expectOutcome, tick } from './contract-helpers.js';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function crudContract(get: StoreGetter): void {
  it('create assigns a UUID id when missing, versionId 1 and an ms-precision lastUpdated', async () => {
    const { id: _omit, ...noId } = patient();
    const before = Date.now();
    const stored = await get().create(noId as Patient);
    expect(stored.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(stored.meta.versionId).toBe('1');
    expect(stored.meta.lastUpdated).toMatch(ISO_MS);
    expect(Date.parse(stored.meta.lastUpdated)).toBeGreaterThanOrEqual(before - 1000);
    expect(stored.meta.profile).toEqual([US_CORE_PATIENT]);
    expect(await get().read('Patient', stored.id)).toEqual(stored);
  });

  it('create keeps a client id and does not modify its argument', async () => {
    const input = patient('pat-1');
    const copy = structuredClone(input);
    const stored = await get().create(input);
    expect(stored.id).toBe('pat-1');
    expect(input).toEqual(copy);
    expect(((await get().read('Patient', 'pat-1')) as Patient).name).toEqual(copy.name);
  });

  it('create answers 409 when a live resource has the id', async () => {
    await get().create(patient('pat-1'));
    await expectOutcome(get().create(patient('pat-1', { gender: 'male' })), 409, 'Patient/pat-1');
    expect(((await get().read('Patient', 'pat-1')) as Patient).gender).toBe('female');
  });

  it('read answers 404 naming Type/id for an absent resource', async () => {
    await expectOutcome(get().read('Patient', 'nope'), 404, 'Patient/nope');
  });

  it('update creates with a client id, then updates with a new version', async () => {
    const first = await get().update(patient('pat-1') as Patient & { id: string });
    expect(first.status).toBe('created');
    expect(first.resource.meta.versionId).toBe('1');
    await tick();
    const second = await get().update({ ...patient('pat-1'), gender: 'male' } as Patient & { id: string });
    expect(second.status).toBe('updated');
    expect(second.resource.meta.versionId).toBe('2');
    expect(Date.parse(second.resource.meta.lastUpdated)).toBeGreaterThanOrEqual(Date.parse(first.resource.meta.lastUpdated));
    expect(((await get().read('Patient', 'pat-1')) as Patient).gender).toBe('male');
    expect(((await get().vread('Patient', 'pat-1', '1')) as Patient).gender).toBe('female');
  });

  it('identical content (store meta aside, any key order) is unchanged and writes no version', async () => {
    const created = await get().create(patient('pat-1'));
    const { name, gender, ...rest } = patient('pat-1');
    const reordered = { gender, ...rest, name, meta: { ...rest.meta, versionId: '7', lastUpdated: '2001-01-01T00:00:00Z' } };
    const result = await get().update(reordered as Patient & { id: string });
    expect(result.status).toBe('unchanged');
    expect(result.resource.meta.versionId).toBe('1');
    expect(result.resource.meta.lastUpdated).toBe(created.meta.lastUpdated);
    expect(await get().history('Patient', 'pat-1')).toHaveLength(1);
  });

  it('a change in other meta fields is a change', async () => {
    await get().create(patient('pat-1'));
    const result = await get().update({ ...patient('pat-1'), meta: { profile: [US_CORE_PATIENT], tag: [{ code: 'x' }] } } as Patient & { id: string });
    expect(result.status).toBe('updated');
    expect(result.resource.meta.tag).toEqual([{ code: 'x' }]);
  });

  it('ifMatch: a matching version updates, a stale one answers 412 and changes nothing', async () => {
    await get().create(patient('pat-1'));
    const ok = await get().update({ ...patient('pat-1'), gender: 'male' } as Patient & { id: string }, '1');
    expect(ok.resource.meta.versionId).toBe('2');
    await expectOutcome(get().update({ ...patient('pat-1'), gender: 'other' } as Patient & { id: string }, '1'), 412);
    await expectOutcome(get().delete('Patient', 'pat-1', '1'), 412);
    expect(((await get().read('Patient', 'pat-1')) as Patient).gender).toBe('male');
    await expectOutcome(get().update(patient('pat-9') as Patient & { id: string }, '1'), 412);
    await expectOutcome(get().read('Patient', 'pat-9'), 404);
  });

  it('delete writes a tombstone: read 410 naming Type/id, vread of the deletion 410, old versions readable', async () => {
    await get().create(patient('pat-1'));
    await get().delete('Patient', 'pat-1');
    await expectOutcome(get().read('Patient', 'pat-1'), 410, 'Patient/pat-1');
    await expectOutcome(get().vread('Patient', 'pat-1', '2'), 410);
    expect((await get().vread('Patient', 'pat-1', '1')).meta.versionId).toBe('1');
    await expectOutcome(get().vread('Patient', 'pat-1', '3'), 404);
    await expectOutcome(get().vread('Patient', 'pat-1', 'abc'), 404);
  });

  it('history lists every version newest first, tombstones without a resource', async () => {
    await get().create(patient('pat-1'));
    await get().update({ ...patient('pat-1'), gender: 'male' } as Patient & { id: string });
    await get().delete('Patient', 'pat-1');
    const history = await get().history('Patient', 'pat-1');
    expect(history.map((h) => [h.versionId, h.deleted])).toEqual([['3', true], ['2', false], ['1', false]]);
    expect(history[0].resource).toBeUndefined();
    expect(history[0]).toMatchObject({ resourceType: 'Patient', id: 'pat-1' });
    expect(history[0].lastUpdated).toMatch(ISO_MS);
    expect((history[1].resource as Patient).gender).toBe('male');
    expect(history[2].resource?.meta.versionId).toBe('1');
    await expectOutcome(get().history('Patient', 'never'), 404, 'Patient/never');
  });

  it('deleting what is absent or already deleted succeeds; a deleted id can be created or put again', async () => {
    await get().delete('Patient', 'ghost');
    await get().create(patient('pat-1'));
    await get().delete('Patient', 'pat-1');
    await get().delete('Patient', 'pat-1');
    expect(await get().history('Patient', 'pat-1')).toHaveLength(2);
    const again = await get().create(patient('pat-1'));
    expect(again.meta.versionId).toBe('3');
    await get().delete('Patient', 'pat-1');
    const put = await get().update(patient('pat-1') as Patient & { id: string });
    expect(put).toMatchObject({ status: 'created', resource: { meta: { versionId: '5' } } });
    expect((await get().read('Patient', 'pat-1')).meta.versionId).toBe('5');
  });

  it('rejects ids FHIR does not allow with 400', async () => {
    await expectOutcome(get().create(patient('bad id!')), 400);
    await expectOutcome(get().update({ ...patient(), id: 'x'.repeat(65) } as Patient & { id: string }), 400);
  });
}
