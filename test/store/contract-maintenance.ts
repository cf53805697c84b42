/** Contract: what backup, restore, the task lock and migrations need: raw history, restoreVersions, leases, system documents. */
import type { Patient } from 'fhir/r4.js';
import { MRN, observation, organization, patient } from '../fixtures/store-resources.js';
import type { RawVersionRecord } from '../../src/store/resource-store.js';
import type { StoreGetter } from './contract.js';
import { collect, criterion, expectOutcome, expectVersions, query, tick } from './contract-helpers.js';

const male = query('Patient', [criterion('gender', 'token', { kind: 'token', value: 'male' })]);
const female = query('Patient', [criterion('gender', 'token', { kind: 'token', value: 'female' })]);

export function maintenanceContract(get: StoreGetter): void {
  /** pat-1: 3 versions (last male, no organization); pat-2: created then deleted; obs-1: one version; org-1 live. */
  async function seed(): Promise<void> {
    await get().write([{ op: 'create', resource: organization('org-1') }, { op: 'create', resource: patient('pat-1') }, { op: 'create', resource: patient('pat-2') }]);
    await tick();
    await get().update({ ...patient('pat-1'), birthDate: '1981-01-01' } as Patient & { id: string });
    await tick();
    await get().update({ ...patient('pat-1', { gender: 'male', managingOrganization: undefined }) } as Patient & { id: string });
    await get().delete('Patient', 'pat-2');
    await get().create(observation('obs-1'));
  }

  const rawAll = async (): Promise<RawVersionRecord[]> =>
    (await Promise.all(['Observation', 'Organization', 'Patient'].map((t) => collect(get().streamHistoryRaw(t))))).flat();

  it('streamHistoryRaw gives the records of streamHistory with the stored JSON text', async () => {
    await seed();
    const parsed = await collect(get().streamHistory('Patient'));
    const raw = await collect(get().streamHistoryRaw('Patient'));
    expect(raw.map(({ json, ...head }) => head)).toEqual(parsed.map(({ resource, ...head }) => head));
    expect(raw.map((r) => (r.json === null ? null : JSON.parse(r.json)))).toEqual(parsed.map((r) => r.resource ?? null));
    expect(raw.find((r) => r.id === 'pat-2' && r.versionId === '2')).toMatchObject({ deleted: true, json: null });
    const mark = await get().markHistory();
    expect((await collect(get().streamHistoryRaw('Patient', { through: mark }))).map(({ json, ...head }) => head)).toEqual(parsed.map(({ resource, ...head }) => head));
    await get().update({ ...patient('pat-1', { gender: 'other' }) } as Patient & { id: string });
    expectVersions((await collect(get().streamHistoryRaw('Patient', { after: mark }))).map((r) => `${r.id}/${r.versionId}`), ['pat-1/4'], ['pat-1/3']);
  });

  it('restoreVersions reproduces every version byte for byte and indexes only current live versions', async () => {
    await seed();
    const before = await rawAll();
    const counts = await get().countByType();
    await get().clear();
    expect(await get().restoreVersions(before)).toBe(before.length);
    expect(await rawAll()).toEqual(before);
    expect(await get().countByType()).toEqual(counts);
    expect((await get().read('Patient', 'pat-1')).meta.versionId).toBe('3');
    expect(((await get().vread('Patient', 'pat-1', '1')) as Patient).birthDate).toBe('1980-05-17');
    await expectOutcome(get().read('Patient', 'pat-2'), 410);
    // Version 1 of pat-1 was female and referenced org-1; only the current version may be found.
    expect((await get().search(male)).resources.map((r) => r.id)).toEqual(['pat-1']);
    expect((await get().search(female)).total).toBe(0);
    expect(await get().referencesTo('Organization', 'org-1')).toEqual([]);
    expect(await get().referencesTo('Patient', 'pat-1')).toEqual([{ resourceType: 'Observation', id: 'obs-1', path: 'Observation.subject' }]);
    expect(await get().findByIdentifier('Patient', MRN, 'mrn-pat-2')).toEqual([]);
    expect(await get().findByIdentifier('Patient', MRN, 'mrn-pat-1')).toEqual(['pat-1']);
    const next = await get().update({ ...patient('pat-1', { gender: 'other' }) } as Patient & { id: string });
    expect(next.resource.meta.versionId).toBe('4');
    expect((await get().search(male)).total).toBe(0);
  });

  it('restoreVersions across calls: later versions move the current row and replace its index rows', async () => {
    await seed();
    const before = await rawAll();
    await get().clear();
    const first = before.filter((r) => !(r.id === 'pat-1' && r.versionId === '3') && !(r.id === 'pat-2' && r.versionId === '2'));
    await get().restoreVersions(first);
    expect((await get().search(female)).resources.map((r) => r.id).sort()).toEqual(['pat-1', 'pat-2']);
    await get().restoreVersions(before.filter((r) => !first.includes(r)));
    expect(await rawAll()).toEqual(before);
    expect((await get().search(female)).total).toBe(0);
    expect((await get().search(male)).resources.map((r) => r.id)).toEqual(['pat-1']);
    expect(await get().countByType()).toEqual({ Observation: 1, Organization: 1, Patient: 1 });
  });

  it('restoreVersions refuses an existing or repeated version with 409 and writes nothing of that call', async () => {
    await seed();
    const before = await rawAll();
    const fresh: RawVersionRecord = { ...before.find((r) => r.id === 'org-1')!, id: 'org-9', json: null, deleted: true };
    const existing = before.find((r) => r.id === 'pat-1' && r.versionId === '2')!;
    await expectOutcome(get().restoreVersions([fresh, existing]), 409, 'Patient/pat-1/_history/2');
    await expectOutcome(get().history('Organization', 'org-9'), 404);
    await get().clear();
    await expectOutcome(get().restoreVersions([fresh, fresh]), 409, 'given twice');
    expect(await rawAll()).toEqual([]);
  });

  it('restoreVersions refuses malformed records with 400 before writing', async () => {
    await seed();
    const [record] = await collect(get().streamHistoryRaw('Organization'));
    await get().clear();
    await expectOutcome(get().restoreVersions([{ ...record, id: 'org-2' }]), 400, 'disagrees');
    await expectOutcome(get().restoreVersions([{ ...record, lastUpdated: 'yesterday' }]), 400);
    await expectOutcome(get().restoreVersions([{ ...record, versionId: '0' }]), 400);
    await expectOutcome(get().restoreVersions([{ ...record, deleted: true }]), 400);
    await expectOutcome(get().restoreVersions([{ ...record, json: '{not json' }]), 400);
    expect(await rawAll()).toEqual([]);
    expect(await get().restoreVersions([])).toBe(0);
  });

  it('leases: one owner at a time, renewable by its owner, released only by its owner, taken over once expired', async () => {
    const name = `lease-${Math.random()}`;
    expect(await get().acquireLock(name, 'a', 60_000)).toBe(true);
    expect(await get().acquireLock(name, 'b', 60_000)).toBe(false);
    expect(await get().acquireLock(name, 'a', 60_000)).toBe(true);
    await get().releaseLock(name, 'b');
    expect(await get().acquireLock(name, 'b', 60_000)).toBe(false);
    await get().clear();
    expect(await get().acquireLock(name, 'b', 60_000)).toBe(false);
    await get().releaseLock(name, 'a');
    expect(await get().acquireLock(name, 'b', 1)).toBe(true);
    await tick();
    expect(await get().acquireLock(name, 'c', 60_000)).toBe(true);
    expect(await get().acquireLock(name, 'b', 60_000)).toBe(false);
    await get().releaseLock(name, 'c');
    await expectOutcome(get().acquireLock(name, 'a', Number.NaN), 400);
  });

  it('leases: of many owners racing for a free lease, exactly one gets it', async () => {
    const name = `race-${Math.random()}`;
    const won = await Promise.all(Array.from({ length: 8 }, (_, i) => get().acquireLock(name, `owner-${i}`, 60_000)));
    expect(won.filter(Boolean)).toHaveLength(1);
    await get().releaseLock(name, `owner-${won.indexOf(true)}`);
    expect(await get().acquireLock(name, 'late', 60_000)).toBe(true);
    await get().releaseLock(name, 'late');
  });

  it('system documents: absent is null, put replaces, keys with odd characters round-trip, clear keeps them', async () => {
    const key = `migrations-${Math.random()}`;
    expect(await get().getSystem(key)).toBeNull();
    await get().putSystem(key, { '0001-x': { applied: '2024-01-01T00:00:00.000Z', changed: 3 } });
    await get().putSystem(key, { '0001-x': { applied: '2024-01-01T00:00:00.000Z', changed: 3 }, 'a.$b': { n: null } });
    await get().clear();
    expect(await get().getSystem(key)).toEqual({ '0001-x': { applied: '2024-01-01T00:00:00.000Z', changed: 3 }, 'a.$b': { n: null } });
    await expectOutcome(get().getSystem(''), 400);
  });

  it('jobs: put replaces by id, get, list newest first and by status, delete; clear keeps them', async () => {
    const tag = `${Math.random()}`.slice(2, 10);
    const job = (n: number, status: string, extra: Record<string, unknown> = {}) => ({ id: `job-${tag}-${n}`, status, created: `2031-01-0${n}T00:00:00.000Z`, kind: 'import', ...extra });
    expect(await get().getJob(`job-${tag}-1`)).toBeNull();
    await get().putJob(job(1, 'queued'));
    await get().putJob(job(2, 'running', { progress: { done: 5 } }));
    await get().putJob(job(3, 'completed', { 'a.$b': [1, null] }));
    await get().putJob(job(1, 'failed', { failure: 'x' }));
    await get().clear();
    expect(await get().getJob(`job-${tag}-1`)).toEqual(job(1, 'failed', { failure: 'x' }));
    const mine = (jobs: { id: string }[]) => jobs.map((j) => j.id).filter((id) => id.includes(tag));
    expect(mine(await get().listJobs({ limit: 1000 }))).toEqual([3, 2, 1].map((n) => `job-${tag}-${n}`));
    expect(mine(await get().listJobs({ statuses: ['running', 'failed'], limit: 1000 }))).toEqual([`job-${tag}-2`, `job-${tag}-1`]);
    expect((await get().listJobs({ statuses: ['completed'], limit: 1000 })).find((j) => j.id === `job-${tag}-3`)).toEqual(job(3, 'completed', { 'a.$b': [1, null] }));
    expect(await get().listJobs({ limit: 0 })).toEqual([]);
    await get().deleteJob(`job-${tag}-2`);
    await get().deleteJob(`job-${tag}-2`);
    expect(await get().getJob(`job-${tag}-2`)).toBeNull();
    await expectOutcome(get().putJob({ id: '', status: 'queued', created: 'x' }), 400);
    await expectOutcome(get().listJobs({ limit: -1 }), 400);
  });

  it('a system document written with an atomic write lands with its ops, and not when an op fails', async () => {
    const key = `record-${Math.random()}`;
    const withId = (id: string, overrides: Partial<Patient> = {}) => patient(id, overrides) as Patient & { id: string };
    await get().write([{ op: 'put', resource: withId('sys-1') }], { atomic: true, system: { key, doc: { step: 1 } } });
    expect(await get().getSystem(key)).toEqual({ step: 1 });
    expect((await get().read('Patient', 'sys-1')).meta.versionId).toBe('1');
    const failing = get().write(
      [{ op: 'put', resource: withId('sys-2') }, { op: 'put', resource: withId('sys-1', { gender: 'male' }), ifMatch: 'W/"7"' }],
      { atomic: true, system: { key, doc: { step: 2 } } },
    );
    await expectOutcome(failing, 412);
    expect(await get().getSystem(key)).toEqual({ step: 1 });
    await expectOutcome(get().read('Patient', 'sys-2'), 404);
    await get().write([], { atomic: true, system: { key, doc: { step: 3 } } });
    expect(await get().getSystem(key)).toEqual({ step: 3 });
    await expectOutcome(get().write([{ op: 'put', resource: withId('sys-3') }], { system: { key, doc: { step: 4 } } }), 400);
    await expectOutcome(get().read('Patient', 'sys-3'), 404);
    expect(await get().getSystem(key)).toEqual({ step: 3 });
  });
}
