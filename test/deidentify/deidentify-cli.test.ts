/**
 * `medgen-data deidentify` over generated Bundles and NDJSON: no source name, identifier, phone, street or id
 * left (this test's own scan and `--check` agree), Safe Harbor leaves years, `shifted` keeps every patient's
 * birth-to-encounter intervals, the same key gives the same files, and the output imports strictly into an
 * empty store with no dangling reference. Refusals exit 2 and write nothing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { checkOutput } from '../../src/deidentify/check-output.js';
import { createDeidentifier } from '../../src/deidentify/deidentifier.js';
import { writePopulation } from '../../src/generate/write-population.js';
import { importFiles } from '../../src/import/import-files.js';
import { createLogger } from '../../src/logger.js';
import { openStore } from '../../src/store/open-store.js';
import { datesFinerThanYears, intervalsCompared, leaks, resourcesOf, sourceStrings, storedAndDangling, stringValues } from './leak-scan.js';

type Json = Record<string, unknown>;

const KEY = 'test-key-one';
const bin = path.resolve('bin/medgen-data.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-deid-cli-'));
const bundles = path.join(work, 'bundles');
const ndjson = path.join(work, 'ndjson');

/** Runs the command with `key` as MEDGEN_DEID_KEY (null: none). */
function run(args: string[], key: string | null = KEY) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.MEDGEN_DEID_KEY;
  if (key !== null) env.MEDGEN_DEID_KEY = key;
  return spawnSync(process.execPath, [bin, 'deidentify', ...args], { encoding: 'utf8', env });
}

const filesIn = (dir: string) => fs.readdirSync(dir).sort().map((f) => path.join(dir, f));
const documentsOf = (dir: string): Json[] => filesIn(dir).flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Json));

/** De-identifies every file of `input` into a new folder, with `--check`; the folder and the check's count. */
function deidentify(input: string, profile: string, name: string, key = KEY): { out: string; leaks: number } {
  const out = path.join(work, name);
  const result = run([...filesIn(input), '--profile', profile, '--out', out, '--check', '--json'], key);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return { out, leaks: (JSON.parse(result.stdout) as { check: { count: number } }).check.count };
}

/** Imports a folder strictly into an empty store: the failures, and the stored resources' dangling references. */
async function importInto(dir: string): Promise<{ failed: number; dangling: string[]; stored: number }> {
  const store = await openStore(loadConfig({}, { dataDir: fs.mkdtempSync(path.join(work, 'store-')) }));
  try {
    // Without lineage, so the store holds exactly the files' resources (no Provenance of this import).
    const summary = await importFiles(store, [dir], { mode: 'strict', logger: createLogger('silent'), lineage: false });
    const { resources, dangling } = await storedAndDangling(store);
    return { failed: summary.failed, dangling, stored: resources.length };
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  await writePopulation({ count: 5, seed: 23, yearsOfHistory: 3 }, bundles);
  await writePopulation({ count: 3, seed: 29, yearsOfHistory: 2 }, ndjson, 'ndjson');
}, 60_000);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('medgen-data deidentify', () => {
  it('safe-harbor: nothing identifying left by either scan, only years, and a strict import with no dangling reference', async () => {
    const { out, leaks: checked } = deidentify(bundles, 'safe-harbor', 'safe-harbor');
    const output = filesIn(out).flatMap((f) => stringValues(fs.readFileSync(f, 'utf8')));
    const sources = sourceStrings(documentsOf(bundles));
    expect(sources.size).toBeGreaterThan(100);
    expect(leaks(sources, output)).toEqual([]);
    expect(checked).toBe(0);
    expect(datesFinerThanYears(output)).toEqual([]);
    const patient = resourcesOf(documentsOf(out)).find((r) => r.resourceType === 'Patient')!;
    const extensions = (patient.extension as Json[]).map((e) => e.url);
    expect(extensions).toEqual(expect.arrayContaining(['http://hl7.org/fhir/us/core/StructureDefinition/us-core-race', 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity']));
    expect(patient.name).toBeUndefined();
    const imported = await importInto(out);
    expect(imported).toEqual({ failed: 0, dangling: [], stored: resourcesOf(documentsOf(bundles)).length });
  }, 60_000);

  it('shifted: every patient within the age limit keeps their birth-to-encounter intervals; the same key gives the same files, another key others', async () => {
    const { out, leaks: checked } = deidentify(bundles, 'shifted', 'shifted');
    expect(checked).toBe(0);
    expect(leaks(sourceStrings(documentsOf(bundles)), filesIn(out).flatMap((f) => stringValues(fs.readFileSync(f, 'utf8'))))).toEqual([]);
    const compared = intervalsCompared(resourcesOf(documentsOf(bundles)), resourcesOf(documentsOf(out)), createDeidentifier({ profile: 'shifted', key: KEY }));
    expect(compared.changed).toEqual([]);
    expect(compared.kept).toBeGreaterThan(2);
    const again = deidentify(bundles, 'shifted', 'shifted-again').out;
    for (const file of fs.readdirSync(out)) expect(fs.readFileSync(path.join(again, file), 'utf8')).toBe(fs.readFileSync(path.join(out, file), 'utf8'));
    const otherKey = deidentify(bundles, 'shifted', 'shifted-other-key', 'test-key-two').out;
    const ids = (dir: string) => resourcesOf(documentsOf(dir)).filter((r) => r.resourceType === 'Patient').map((r) => r.id);
    expect(ids(otherKey).filter((id) => ids(out).includes(id))).toEqual([]);
    expect((await importInto(out)).failed).toBe(0);
  }, 90_000);

  it('NDJSON is streamed: shifted per patient compartment, nothing identifying left, imports strictly', async () => {
    const { out, leaks: checked } = deidentify(ndjson, 'shifted', 'ndjson-shifted');
    expect(checked).toBe(0);
    expect(leaks(sourceStrings(documentsOf(ndjson)), filesIn(out).flatMap((f) => stringValues(fs.readFileSync(f, 'utf8'))))).toEqual([]);
    const compared = intervalsCompared(documentsOf(ndjson), documentsOf(out), createDeidentifier({ profile: 'shifted', key: KEY }));
    expect(compared).toMatchObject({ changed: [], kept: expect.any(Number) });
    expect(compared.kept + compared.aggregated).toBe(3);
    expect(await importInto(out)).toMatchObject({ failed: 0, dangling: [] });
  }, 60_000);

  it('--check and the own scan agree on a leak planted in the output', () => {
    const sources = documentsOf(bundles);
    const patient = resourcesOf(sources).find((r) => r.resourceType === 'Patient')!;
    const family = String((patient.name as Json[])[0].family);
    const phone = String((patient.telecom as Json[])[0].value);
    const planted = JSON.stringify({ resourceType: 'Observation', id: 'x', status: 'final', code: { text: `seen with ${family}` }, note: [{ text: `call ${phone}` }] });
    expect(leaks(sourceStrings(sources), stringValues(planted)).sort()).toEqual([family, phone].sort());
    const check = checkOutput(sources, [{ file: 'planted.json', text: planted }]);
    expect(check.leaks.map((l) => l.value).sort()).toEqual([family, phone].sort());
    expect(check.leaks.find((l) => l.value === phone)).toMatchObject({ kind: 'telecom', path: 'note[0].text', resource: 'Observation/x' });
  });

  it('refuses without a key, with an unknown profile, into a folder in use, or on a file that is no FHIR: exit 2, nothing written', () => {
    const out = path.join(work, 'refused');
    const broken = path.join(work, 'broken.ndjson');
    fs.writeFileSync(broken, '{"resourceType":"Basic","id":"b","code":{"text":"x"}}\nnot json\n');
    const first = filesIn(bundles)[0];
    const cases: [string[], string | null, RegExp][] = [
      [[first, '--profile', 'safe-harbor', '--out', out], null, /a key is required: --key or MEDGEN_DEID_KEY/],
      [[first, '--profile', 'no-such-profile', '--out', out], KEY, /unknown de-identification profile "no-such-profile" \(known: safe-harbor, shifted\)/],
      [[first, '--profile', 'shifted', '--out', bundles], KEY, /must be empty or new/],
      [[first, broken, '--profile', 'shifted', '--out', out], KEY, /broken\.ndjson line 2: not JSON/],
    ];
    for (const [args, key, message] of cases) {
      const result = run(args, key);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^medgen-data deidentify: /);
      expect(result.stderr).toMatch(message);
      expect(fs.existsSync(out)).toBe(false);
    }
  });
});
