/** Provenance per written batch: at most 1,000 versioned targets each, activity, agent, input and job. */
import { validateResource } from '../../src/validation/validate-resource.js';
import { JOB_EXTENSION, MAX_TARGETS, provenanceBatch, SHA256_SYSTEM } from '../../src/lineage/provenance-batch.js';
import { writtenTargets } from '../../src/lineage/record-lineage.js';
import type { StoredResource, WriteResult } from '../../src/store/resource-store.js';

const job = { id: 'job-1', kind: 'import', parameters: { mode: 'strict' } };
const targets = (n: number) => Array.from({ length: n }, (_, i) => `Patient/p${i}/_history/1`);

describe('provenanceBatch', () => {
  it('splits the targets by 1,000, in order, each Provenance whole', () => {
    const out = provenanceBatch({ job, activity: 'create', targets: targets(2001), source: 'urn:medgen:job:job-1/a.json', input: { file: 'a.json', sha256: 'ab'.repeat(32) }, recorded: '2026-01-02T03:04:05.000Z' });
    expect(out.map((p) => p.target.length)).toEqual([MAX_TARGETS, MAX_TARGETS, 1]);
    expect(out.flatMap((p) => p.target.map((t) => t.reference))).toEqual(targets(2001));
    const [first] = out;
    expect(first).toMatchObject({
      resourceType: 'Provenance',
      meta: { source: 'urn:medgen:job:job-1/a.json' },
      recorded: '2026-01-02T03:04:05.000Z',
      activity: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'CREATE' }] },
      agent: [{ who: { display: 'medgen-data', identifier: { value: 'job-1' } } }],
      entity: [{ role: 'source', what: { display: 'a.json', identifier: { system: SHA256_SYSTEM, value: 'ab'.repeat(32) } } }],
    });
    const ext = first.extension!.find((e) => e.url === JOB_EXTENSION)!;
    expect(ext.extension).toEqual([
      { url: 'id', valueString: 'job-1' },
      { url: 'kind', valueCode: 'import' },
      { url: 'parameters', valueString: '{"mode":"strict"}' },
    ]);
  });

  it('is valid R4, with no input and a job activity too', () => {
    const [p] = provenanceBatch({ job: { id: 'j', kind: 'dedupe' }, activity: 'merge', targets: targets(2), source: 'urn:medgen:job:j', recorded: new Date().toISOString() });
    expect(p.entity).toBeUndefined();
    expect(p.activity!.coding!.map((c) => c.code)).toEqual(['UPDATE', 'merge']);
    expect(validateResource(p).filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('no targets, no Provenance', () => {
    expect(provenanceBatch({ job, activity: 'update', targets: [], source: 's', recorded: '2026-01-01T00:00:00Z' })).toEqual([]);
  });
});

describe('writtenTargets', () => {
  const stored = (id: string, v: string) => ({ resourceType: 'Patient', id, meta: { versionId: v, lastUpdated: '2026-01-01T00:00:00Z' } }) as StoredResource;
  const results: WriteResult[] = [
    { index: 0, status: 'created', resource: stored('a', '1') },
    { index: 1, status: 'updated', resource: stored('b', '3') },
    { index: 2, status: 'unchanged', resource: stored('c', '2') },
    { index: 3, status: 'failed', error: { status: 400, outcome: { resourceType: 'OperationOutcome', issue: [] } } },
    { index: 4, status: 'deleted' },
  ];

  it('versioned references of created and updated versions only, by what the write did', () => {
    expect(writtenTargets(results)).toEqual([
      { activity: 'create', references: ['Patient/a/_history/1'] },
      { activity: 'update', references: ['Patient/b/_history/3'] },
    ]);
  });

  it('all under the job\'s own activity when it names one', () => {
    expect(writtenTargets(results, 'merge')).toEqual([{ activity: 'merge', references: ['Patient/a/_history/1', 'Patient/b/_history/3'] }]);
  });
});
