/**
 * `medgen-data export` on a generated population: a system export whose files hold what the store counts, a
 * manifest in the Bulk Data shape, `--type`, and the refusals (missing Group, bad `--since`, non-empty
 * `--out`), each exit 2 with one message and nothing written.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { generatePopulation } from '../../src/generate/population.js';
import { unitsOfDocument } from '../../src/import/bundle-units.js';
import { createImportContext } from '../../src/import/import-context.js';
import { runImport } from '../../src/import/run-import.js';
import { createLogger } from '../../src/logger.js';
import { openStore } from '../../src/store/open-store.js';
import { refusedBy } from './refusal.js';

type Files = { type: string; url: string; count: number }[];
type Manifest = { transactionTime: string; request: string; requiresAccessToken: boolean; output: Files; deleted?: Files; error: unknown[] };

const bin = path.resolve('bin/medgen-data.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-export-cli-'));
const dataDir = path.join(work, 'data');
let counts: Record<string, number>;

const run = (args: string[]) => spawnSync(process.execPath, [bin, 'export', ...args, '--data-dir', dataDir], { encoding: 'utf8' });
const lines = (file: string) => fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');

const refused = (result: ReturnType<typeof run>) => refusedBy('export', result);

beforeAll(async () => {
  const store = await openStore(loadConfig({}, { dataDir }));
  const population = generatePopulation({ count: 3, seed: 7, yearsOfHistory: 2 });
  const documents = [population.hospitalInformation, population.practitionerInformation, ...population.patients];
  const summary = await runImport(createImportContext({ store, mode: 'none', logger: createLogger('silent') }), documents.flatMap((d) => [...unitsOfDocument(d)]));
  expect(summary.failed).toBe(0);
  counts = await store.countByType();
  await store.close();
}, 60_000);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('medgen-data export', () => {
  it('a system export writes one NDJSON file per type holding every current resource, and a Bulk Data manifest', () => {
    const out = path.join(work, 'all');
    const result = run(['--out', out, '--json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect((JSON.parse(result.stdout) as { manifest: Manifest }).manifest).toEqual(manifest);
    expect(Object.fromEntries(manifest.output.map((f) => [f.type, f.count]))).toEqual(counts);
    for (const f of manifest.output) {
      expect(f.url).toBe(`${f.type}.ndjson`);
      const resources = lines(path.join(out, f.url)).map((l) => JSON.parse(l) as { resourceType: string });
      expect(resources).toHaveLength(counts[f.type]);
      expect(resources.every((r) => r.resourceType === f.type)).toBe(true);
    }
    expect(fs.readdirSync(out).sort()).toEqual([...manifest.output.map((f) => f.url), 'manifest.json'].sort());
    expect(manifest).toMatchObject({ request: 'medgen-data export', requiresAccessToken: false, error: [] });
    expect(manifest.deleted).toBeUndefined();
    expect(Date.parse(manifest.transactionTime)).not.toBeNaN();
  });

  it('--type Patient writes Patient.ndjson alone; --since adds the (empty) deletions; the summary names the counts', () => {
    const out = path.join(work, 'patients');
    fs.mkdirSync(out);
    const result = run(['--type', 'Patient', '--since', '2000-01-01T00:00:00Z', '--out', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`exported ${counts.Patient} resources of 1 types`));
    expect(fs.readdirSync(out).sort()).toEqual(['Patient.ndjson', 'manifest.json']);
    expect(lines(path.join(out, 'Patient.ndjson'))).toHaveLength(counts.Patient);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.request).toBe('medgen-data export --type Patient --since 2000-01-01T00:00:00Z');
    expect(manifest.deleted).toEqual([]);
  });

  it('refuses a missing Group, a bad --since and a non-empty --out with exit 2, writing nothing', () => {
    const out = path.join(work, 'refused');
    expect(refused(run(['--group', 'missing', '--out', out]))).toMatch(/--group: Group\/missing does not exist/);
    expect(refused(run(['--since', 'yesterday', '--out', out]))).toMatch(/--since: _since must be a FHIR instant/);
    expect(refused(run(['--type-filter', 'Observation?_sort=date', '--out', out]))).toMatch(/--type-filter: _typeFilter may not use _sort/);
    expect(fs.existsSync(out)).toBe(false);

    const full = path.join(work, 'full');
    fs.mkdirSync(full);
    fs.writeFileSync(path.join(full, 'keep.txt'), 'mine');
    expect(refused(run(['--out', full]))).toMatch(/--out .*full is not empty/);
    expect(fs.readdirSync(full)).toEqual(['keep.txt']);
    expect(fs.readFileSync(path.join(full, 'keep.txt'), 'utf8')).toBe('mine');
  });
});
