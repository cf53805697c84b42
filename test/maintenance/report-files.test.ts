/**
 * The reports of the maintenance tasks `validate` and `statistics` go through the file store: the data folder's
 * `reports/` by default, as before, and the bucket when MEDGEN_FILES_URL names one, so that every replica reads
 * the report of a task another one ran.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { parseFilesUrl } from '../../src/files/open-file-store.js';
import { S3FileStore } from '../../src/files/s3-file-store.js';
import { readAll } from '../../src/files/file-store.js';
import { runTask } from '../../src/maintenance/run-task.js';
import { type TestFn, skipped } from '../external-tool.js';
import { fixture, patient, type Fixture } from './fixture.js';

describe('maintenance reports through the file store', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = fixture();
    await f.store.write([{ op: 'put', resource: patient('p1', 'A') }]);
  });
  afterEach(() => f.close());

  it('in the data folder by default: validate and statistics write reports/ there, as before', async () => {
    const validation = await runTask(f.deps, 'validate');
    const statistics = await runTask(f.deps, 'statistics');
    const reports = path.join(f.dir, 'reports');
    expect((validation.result as { files: string[] }).files).toEqual([path.join(reports, 'validation-report.json'), path.join(reports, 'validation-report.txt')]);
    expect((statistics.result as { files: string[] }).files).toEqual([path.join(reports, 'quality-report.json'), path.join(reports, 'quality-report.html')]);
    expect(JSON.parse(fs.readFileSync(path.join(reports, 'validation-report.json'), 'utf8'))).toMatchObject({ resources: 1 });
    expect(JSON.parse(fs.readFileSync(path.join(reports, 'quality-report.json'), 'utf8'))).toMatchObject({ resources: 1 });
    expect(fs.readFileSync(path.join(reports, 'quality-report.html'), 'utf8')).toContain('<html');
  });

  const s3Url = process.env.MEDGEN_TEST_S3_URL;
  const s3Test: TestFn = s3Url ? test : skipped('MEDGEN_TEST_S3_URL not set; tools/seaweedfs/start.sh starts an S3 server and sets it');

  s3Test('in the bucket when MEDGEN_FILES_URL names one, and nothing in the data folder', async () => {
    const base = parseFilesUrl(s3Url, '.');
    if (base.kind !== 's3') throw new Error(`MEDGEN_TEST_S3_URL must be s3://bucket[/prefix], not ${s3Url}`);
    const prefix = [base.prefix, `reports-${randomUUID()}`].filter(Boolean).join('/');
    const bucket = new S3FileStore({ bucket: base.bucket, prefix });
    try {
      const deps = { ...f.deps, config: { ...f.deps.config, filesUrl: `s3://${base.bucket}/${prefix}` } };
      const statistics = await runTask(deps, 'statistics');
      await runTask(deps, 'validate');
      expect((statistics.result as { files: string[] }).files).toEqual([`s3://${base.bucket}/${prefix}/reports/quality-report.json`, `s3://${base.bucket}/${prefix}/reports/quality-report.html`]);
      const keys: string[] = [];
      for await (const file of bucket.list('reports/')) keys.push(file.key);
      expect(keys).toEqual(['reports/quality-report.html', 'reports/quality-report.json', 'reports/validation-report.json', 'reports/validation-report.txt']);
      expect(JSON.parse((await readAll(bucket, 'reports/validation-report.json'))!.toString('utf8'))).toMatchObject({ resources: 1 });
      expect(fs.existsSync(path.join(f.dir, 'reports'))).toBe(false);
    } finally {
      await bucket.deletePrefix('');
    }
  }, 60_000);
});
