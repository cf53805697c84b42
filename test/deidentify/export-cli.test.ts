/**
 * `medgen-data export --deidentify P`: the store's export written through a profile, with the key from `--key`
 * or MEDGEN_DEID_KEY (never into the manifest); without a key, or with an unknown profile, exit 2 and nothing
 * written.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createDeidentifier } from '../../src/deidentify/deidentifier.js';
import { generatePopulation } from '../../src/generate/population.js';
import { unitsOfDocument } from '../../src/import/bundle-units.js';
import { createImportContext } from '../../src/import/import-context.js';
import { runImport } from '../../src/import/run-import.js';
import { createLogger } from '../../src/logger.js';
import { openStore } from '../../src/store/open-store.js';
import { intervalsCompared, leaks, sourceStrings, storedAndDangling, stringValues } from './leak-scan.js';

type Json = Record<string, unknown>;

const KEY = 'cli-export-key';
const bin = path.resolve('bin/medgen-data.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-deid-export-'));
const dataDir = path.join(work, 'data');
let sources: Json[];

function run(args: string[], key: string | null) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.MEDGEN_DEID_KEY;
  if (key !== null) env.MEDGEN_DEID_KEY = key;
  return spawnSync(process.execPath, [bin, 'export', ...args, '--data-dir', dataDir], { encoding: 'utf8', env });
}

const linesIn = (dir: string) =>
  fs.readdirSync(dir).filter((f) => f.endsWith('.ndjson')).flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter((l) => l !== ''));

beforeAll(async () => {
  const store = await openStore(loadConfig({}, { dataDir }));
  const population = generatePopulation({ count: 3, seed: 31, yearsOfHistory: 2 });
  const documents = [population.hospitalInformation, population.practitionerInformation, ...population.patients];
  const summary = await runImport(createImportContext({ store, mode: 'strict', logger: createLogger('silent') }), documents.flatMap((d) => [...unitsOfDocument(d)]));
  expect(summary.failed).toBe(0);
  sources = (await storedAndDangling(store)).resources;
  await store.close();
}, 60_000);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('medgen-data export --deidentify', () => {
  it('writes the export through the profile, the key from MEDGEN_DEID_KEY or --key alike, and names no key in the manifest', () => {
    const fromEnv = path.join(work, 'env');
    const result = run(['--out', fromEnv, '--deidentify', 'shifted', '--json'], KEY);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = linesIn(fromEnv);
    expect(lines).toHaveLength(sources.length);
    expect(leaks(sourceStrings(sources), stringValues(lines.join('\n')))).toEqual([]);
    const compared = intervalsCompared(sources, lines.map((l) => JSON.parse(l) as Json), createDeidentifier({ profile: 'shifted', key: KEY }));
    expect(compared.changed).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(fromEnv, 'manifest.json'), 'utf8')) as { request: string };
    expect(manifest.request).toBe('medgen-data export --deidentify shifted');

    const fromFlag = path.join(work, 'flag');
    expect(run(['--out', fromFlag, '--deidentify', 'shifted', '--key', KEY, '--json'], null).status).toBe(0);
    expect(linesIn(fromFlag).sort()).toEqual([...lines].sort());
    expect(fs.readFileSync(path.join(fromFlag, 'manifest.json'), 'utf8')).not.toContain(KEY);
  }, 60_000);

  it('refuses without a key or with an unknown profile: exit 2, one line naming --deidentify, nothing written', () => {
    const out = path.join(work, 'refused');
    for (const [profile, key, message] of [
      ['safe-harbor', null, /MEDGEN_DEID_KEY/],
      ['k-anonymity', KEY, /one of safe-harbor, shifted/],
    ] as const) {
      const result = run(['--out', out, '--deidentify', profile], key);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^medgen-data export: --deidentify: /);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(fs.existsSync(out)).toBe(false);
    }
  });
});
