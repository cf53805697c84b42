/** Contract: write() with per-op results, and atomic all-or-nothing including every index. */
import type { Patient, Resource } from 'fhir/r4.js';
import type { WriteOp, WriteResult } from '../../src/store/resource-store.js';
import { OperationOutcomeError } from '../../src/fhir/outcomes.js';
import { MRN, observation, organization, patient } from '../fixtures/store-resources.js';
import type { StoreGetter } from './contract.js';
import { criterion, expectOutcome, idSet, query } from './contract-helpers.js';

export function writeContract(get: StoreGetter): void {
  it('follow: ops derived from the results are written with them; only the call\'s own results come back', async () => {
    const follow = (results: WriteResult[]): WriteOp[] => [
      { op: 'create', resource: { resourceType: 'Basic', id: 'log-1', code: { text: results.map((r) => `${r.resource?.id}:${r.status}`).join(',') } } as Resource },
    ];
    const results = await get().write([{ op: 'create', resource: patient('pat-f1') }, { op: 'create', resource: patient('pat-f2') }], { follow });
    expect(results.map((r) => r.status)).toEqual(['created', 'created']);
    const log = (await get().read('Basic', 'log-1')) as Resource & { code?: { text?: string } };
    expect(log.code?.text).toBe('pat-f1:created,pat-f2:created');
  });

  it('non-atomic: each op succeeds or fails alone, results in op order', async () => {
    await get().create(patient('pat-1'));
    const results = await get().write([
      { op: 'create', resource: patient('pat-2') },
      { op: 'create', resource: patient('pat-1') },
      { op: 'put', resource: { ...patient('pat-1'), gender: 'male' } as Patient & { id: string }, ifMatch: '9' },
      { op: 'put', resource: { ...patient('pat-1'), gender: 'other' } as Patient & { id: string } },
      { op: 'delete', resourceType: 'Patient', id: 'pat-2' },
      { op: 'delete', resourceType: 'Patient', id: 'absent' },
    ]);
    expect(results.map((r) => [r.index, r.status])).toEqual([
      [0, 'created'], [1, 'failed'], [2, 'failed'], [3, 'updated'], [4, 'deleted'], [5, 'unchanged'],
    ]);
    expect(results[1].error?.status).toBe(409);
    expect(results[1].error?.outcome.resourceType).toBe('OperationOutcome');
    expect(results[2].error?.status).toBe(412);
    expect(results[0].resource?.meta.versionId).toBe('1');
    expect(results[3].resource?.meta.versionId).toBe('2');
    expect(results[4].resource).toBeUndefined();
    expect(((await get().read('Patient', 'pat-1')) as Patient).gender).toBe('other');
    await expectOutcome(get().read('Patient', 'pat-2'), 410);
  });

  it('one write() shares one instant; ops see the effect of earlier ops', async () => {
    const results = await get().write([
      { op: 'create', resource: patient('pat-1') },
      { op: 'put', resource: { ...patient('pat-1'), gender: 'male' } as Patient & { id: string } },
      { op: 'create', resource: organization('org-1') },
    ]);
    expect(results.map((r) => r.status)).toEqual(['created', 'updated', 'created']);
    expect(results[1].resource?.meta.versionId).toBe('2');
    expect(new Set(results.map((r) => r.resource?.meta.lastUpdated)).size).toBe(1);
  });

  it('atomic: a failure rejects with that op error and leaves no trace in resources, versions or indexes', async () => {
    await get().create(organization('org-1'));
    await get().create(patient('pat-1'));
    const before = await get().countByType();
    let error: unknown;
    try {
      await get().write(
        [
          { op: 'create', resource: patient('pat-2') },
          { op: 'put', resource: { ...patient('pat-1'), identifier: [{ system: MRN, value: 'changed' }] } as Patient & { id: string } },
          { op: 'create', resource: observation('obs-1', 'pat-2') },
          { op: 'create', resource: organization('org-1') },
        ],
        { atomic: true },
      );
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(OperationOutcomeError);
    expect((error as OperationOutcomeError).status).toBe(409);
    expect((error as { index?: number }).index).toBe(3);
    await expectOutcome(get().read('Patient', 'pat-2'), 404);
    await expectOutcome(get().history('Observation', 'obs-1'), 404);
    expect((await get().read('Patient', 'pat-1')).meta.versionId).toBe('1');
    expect(await get().countByType()).toEqual(before);
    expect(await get().findByIdentifier('Patient', MRN, 'mrn-pat-2')).toEqual([]);
    expect(await get().findByIdentifier('Patient', MRN, 'changed')).toEqual([]);
    expect(await get().findByIdentifier('Patient', MRN, 'mrn-pat-1')).toEqual(['pat-1']);
    expect(await get().referencesTo('Patient', 'pat-2')).toEqual([]);
    expect((await get().referencesTo('Organization', 'org-1')).map((r) => r.id)).toEqual(['pat-1']);
    expect(await idSet(get(), query('Patient', [criterion('gender', 'token', { kind: 'token', value: 'female' })]))).toEqual(['pat-1']);
    expect(await idSet(get(), query('Observation'))).toEqual([]);
  });

  it('atomic: success applies every op', async () => {
    const results = await get().write(
      [
        { op: 'create', resource: patient('pat-1') },
        { op: 'create', resource: observation('obs-1') },
      ],
      { atomic: true },
    );
    expect(results.map((r) => r.status)).toEqual(['created', 'created']);
    expect(await get().countByType()).toEqual({ Observation: 1, Patient: 1 });
  });

  it('an empty write is a no-op', async () => {
    expect(await get().write([])).toEqual([]);
    expect(await get().write([], { atomic: true })).toEqual([]);
  });
}
