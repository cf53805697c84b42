/**
 * Lineage of the jobs that are no import: a dedupe merge and an orphan cleanup stamp `urn:medgen:job:{id}` on
 * what they write and record their own activity in Provenance (a cleanup's targets are the tombstones it wrote);
 * the maintenance job passes its id; $enhance-imaging does the same for its studies; a backup and restore
 * keeps every source and Provenance byte for byte.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Provenance } from 'fhir/r4.js';
import { enhanceImaging } from '../../src/imaging/enhance-imaging.js';
import { importFiles } from '../../src/import/import-files.js';
import { createLogger } from '../../src/logger.js';
import { cleanupOrphans } from '../../src/maintenance/cleanup-orphans.js';
import { dedupePatients } from '../../src/maintenance/dedupe-patients.js';
import { maintenanceWorker } from '../../src/maintenance/maintenance-worker.js';
import { restoreBackup } from '../../src/maintenance/restore-backup.js';
import { runBackup } from '../../src/maintenance/run-backup.js';
import type { JobRun } from '../../src/jobs/job-types.js';
import type { ResourceStore, StoredResource } from '../../src/store/resource-store.js';
import { makeImagingFixture } from '../imaging/imaging-fixture.js';
import { dumpHistory, fixture, observation, patient, type Fixture } from '../maintenance/fixture.js';

async function provenances(store: ResourceStore): Promise<(Provenance & StoredResource)[]> {
  const out: (Provenance & StoredResource)[] = [];
  for await (const p of store.stream('Provenance')) out.push(p as Provenance & StoredResource);
  return out;
}

const codes = (p: Provenance) => p.activity?.coding?.map((c) => c.code);

describe('job lineage', () => {
  let f: Fixture;
  beforeEach(() => (f = fixture()));
  afterEach(() => f.close());

  it('cleanup records the tombstones it wrote, as a cleanup by its job', async () => {
    await f.store.write([patient('p1', 'One'), patient('p2', 'Two'), observation('o1', 'p1'), observation('o2', 'p2')].map((resource) => ({ op: 'put' as const, resource })));
    await f.store.update({ ...observation('o1', 'p1'), status: 'amended' } as never);
    await f.store.delete('Patient', 'p1');
    const result = await cleanupOrphans(f.store, { lineage: { jobId: 'clean-1', parameters: { dryRun: false } } });
    expect(result.deleted).toBe(1);
    const [p] = await provenances(f.store);
    expect(p.target).toEqual([{ reference: 'Observation/o1/_history/3' }]);
    expect((await f.store.history('Observation', 'o1'))[0]).toMatchObject({ versionId: '3', deleted: true });
    expect(codes(p)).toEqual(['DELETE', 'cleanup']);
    expect(p.meta.source).toBe('urn:medgen:job:clean-1');
    expect(p.agent[0].who?.identifier?.value).toBe('clean-1');
  });

  it('a dedupe merge stamps what it rewrote and records a merge; the maintenance job passes its id', async () => {
    const same = { birthDate: '1970-01-01', identifier: [{ system: 'urn:mrn', value: 'A' }], address: [{ line: ['3 Ash'], city: 'Boston', postalCode: '02110' }] };
    const others = Array.from({ length: 6 }, (_, i) => patient(`u${i}`, `Unique${i}`, { birthDate: `19${60 + i}-05-05`, address: [{ line: [`${i} Main St`], city: 'Boston', postalCode: '02110' }] }));
    await f.store.write([patient('a1', 'Lee', same), patient('a2', 'Lee', same), observation('obs-a1a', 'a1'), observation('obs-a1b', 'a1'), observation('obs-a2', 'a2'), ...others].map((resource) => ({ op: 'put' as const, resource })));
    const run = { record: { id: 'maint-job-1', params: { task: 'dedupe' } }, signal: new AbortController().signal, progress: () => undefined, dir: f.dir } as unknown as JobRun;
    await maintenanceWorker(f.store, f.deps.config, createLogger('silent'))(run);
    const [p] = await provenances(f.store);
    expect(codes(p)).toEqual(['UPDATE', 'merge']);
    expect(p.meta.source).toBe('urn:medgen:job:maint-job-1');
    for (const t of p.target) {
      const [type, id, , version] = t.reference!.split('/');
      const stored = await f.store.read(type, id);
      expect([stored.meta.versionId, stored.meta.source]).toEqual([version, 'urn:medgen:job:maint-job-1']);
    }
    expect(p.target.map((t) => t.reference!.split('/_history')[0]).sort()).toEqual(['Observation/obs-a2', 'Patient/a1', 'Patient/a2']);
    const dry = await dedupePatients(f.store, { dryRun: true });
    expect(dry.merges).toEqual([]);
    expect(await provenances(f.store)).toHaveLength(1);
  });

  it('a full backup and restore keeps every meta.source and Provenance', async () => {
    const input = path.join(f.dir, 'input');
    fs.mkdirSync(input);
    fs.writeFileSync(path.join(input, 'people.ndjson'), [patient('r1', 'One'), patient('r2', 'Two'), observation('ro1', 'r1')].map((r) => JSON.stringify(r)).join('\n'));
    await importFiles(f.store, [input], { mode: 'strict', logger: createLogger('silent'), lineage: { jobId: 'restore-job' } });
    const before = await dumpHistory(f.store);
    expect(before.some((v) => v.includes('urn:medgen:job:restore-job/people.ndjson#line-3'))).toBe(true);
    expect(await provenances(f.store)).toHaveLength(1);
    const { manifest } = await runBackup(f.deps, { type: 'full' });
    await f.store.clear();
    await restoreBackup(f.deps, { id: manifest.id });
    expect(await dumpHistory(f.store)).toEqual(before);
    expect((await f.store.read('Observation', 'ro1')).meta.source).toBe('urn:medgen:job:restore-job/people.ndjson#line-3');
    expect((await provenances(f.store))[0].target).toHaveLength(3);
  });
});

describe('enhance-imaging lineage', () => {
  it('stamps its studies and Endpoint with its job and records them; a re-run records nothing', async () => {
    const fx = await makeImagingFixture();
    try {
      const options = { store: fx.store, fileStore: fx.fileStore, dicomwebBaseUrl: 'http://127.0.0.1:8080/dicomweb', lineage: { jobId: 'img-job' } };
      const r = await enhanceImaging(options);
      expect(r.created).toBeGreaterThan(0);
      for await (const s of fx.store.stream('ImagingStudy')) expect(s.meta.source).toBe('urn:medgen:job:img-job');
      for await (const e of fx.store.stream('Endpoint')) expect(e.meta.source).toBe('urn:medgen:job:img-job');
      const recorded = await provenances(fx.store);
      expect(recorded.flatMap((p) => p.target.map((t) => t.reference!.split('/')[0])).sort()).toEqual(['Endpoint', ...Array(r.created).fill('ImagingStudy')]);
      expect(recorded.every((p) => p.extension?.[0].extension?.find((x) => x.url === 'kind')?.valueCode === 'enhance-imaging')).toBe(true);
      await enhanceImaging({ ...options, lineage: { jobId: 'img-job-2' } });
      expect(await provenances(fx.store)).toHaveLength(recorded.length);
      for await (const s of fx.store.stream('ImagingStudy')) expect(s.meta.source).toBe('urn:medgen:job:img-job');
    } finally {
      await fx.close();
    }
  }, 120_000);
});
