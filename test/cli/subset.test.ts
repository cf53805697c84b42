/**
 * `medgen-data subset` on a generated population: the same seed draws the same patients (and writes the same
 * files), another seed others; `--where` keeps only the patients a search selects; the folder holds no other
 * patient and no dangling reference, and `medgen-data import` loads it strictly into an empty store with 0
 * failures; refusals (as `$subset` answers them) exit 2 with one message and nothing written.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Condition, Resource } from 'fhir/r4.js';
import { loadConfig } from '../../src/config.js';
import { compartmentPatients } from '../../src/export/patient-compartment.js';
import { openStore } from '../../src/store/open-store.js';
import { dangling, type Json, populate } from '../export/export-fixture.js';
import { refusedBy } from './refusal.js';

type Manifest = { request: string; output: { type: string; url: string; count: number }[] };
type Printed = { patients: string[]; manifest: Manifest };

const bin = path.resolve('bin/medgen-data.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-subset-cli-'));
const dataDir = path.join(work, 'data');
let patients: string[];
let conditions: Condition[];

const cli = (args: string[], dir = dataDir) => spawnSync(process.execPath, [bin, ...args, '--data-dir', dir], { encoding: 'utf8' });
const run = (args: string[]) => cli(['subset', ...args]);

/** A subset that succeeded: what `--json` printed, and the resources of its files by type. */
function subset(args: string[], out: string): Printed & { byType: Map<string, Json[]> } {
  const result = run([...args, '--out', out, '--json']);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const printed = JSON.parse(result.stdout) as Printed;
  expect(JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'))).toEqual(printed.manifest);
  const byType = new Map<string, Json[]>();
  for (const f of printed.manifest.output) {
    const resources = fs.readFileSync(path.join(out, f.url), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Json);
    expect(resources).toHaveLength(f.count);
    byType.set(f.type, resources);
  }
  // De-identified, the Patients carry pseudonyms of the ids drawn.
  const ids = (byType.get('Patient') ?? []).map((p) => p.id).sort();
  if (args.includes('--deidentify')) expect(ids).toHaveLength(printed.patients.length);
  else expect(ids).toEqual(printed.patients);
  return { ...printed, byType };
}

const refused = (result: ReturnType<typeof run>) => refusedBy('subset', result);

const filesOf = (dir: string) => Object.fromEntries(fs.readdirSync(dir).filter((f) => f !== 'manifest.json').map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));

beforeAll(async () => {
  const store = await openStore(loadConfig({}, { dataDir }));
  try {
    await populate(store);
    patients = [];
    for await (const p of store.stream('Patient')) patients.push(p.id);
    conditions = [];
    for await (const c of store.stream('Condition')) conditions.push(c as Condition);
  } finally {
    await store.close();
  }
}, 120_000);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('medgen-data subset', () => {
  it('the same seed draws the same patients and writes the same files; another seed draws others', () => {
    const first = subset(['--count', '2', '--seed', '5'], path.join(work, 'seed5'));
    expect(first.patients).toHaveLength(2);
    expect(first.manifest.request).toBe('medgen-data subset --count 2 --seed 5');
    const again = subset(['--count', '2', '--seed', '5'], path.join(work, 'seed5-again'));
    expect(again.patients).toEqual(first.patients);
    expect(filesOf(path.join(work, 'seed5-again'))).toEqual(filesOf(path.join(work, 'seed5')));
    const other = subset(['--count', '2', '--seed', '6'], path.join(work, 'seed6'));
    expect(other.patients).toHaveLength(2);
    expect(other.patients).not.toEqual(first.patients);
  });

  it('holds no other patient and no dangling reference, and imports strictly into an empty store with 0 failures', () => {
    const out = path.join(work, 'closed');
    const { patients: chosen, byType } = subset(['--count', '2', '--seed', '3'], out);
    const resources = [...byType.values()].flat();
    for (const r of resources) expect(compartmentPatients(r as unknown as Resource).filter((p) => !chosen.includes(p))).toEqual([]);
    expect(dangling(resources)).toEqual([]);
    expect(byType.has('Practitioner') && byType.has('Organization')).toBe(true);
    const keys = resources.map((r) => `${String(r.resourceType)}/${String(r.id)}`);
    expect(new Set(keys).size).toBe(keys.length);

    const imported = cli(['import', out, '--mode', 'strict', '--json'], path.join(work, 'empty'));
    expect(imported.status).toBe(0);
    const summary = JSON.parse(imported.stdout) as { created: number; failed: number };
    expect(summary).toMatchObject({ created: resources.length, failed: 0 });
  });

  it('--where keeps only the patients with a matching resource; more than qualify gives all of them', () => {
    // The code held by the fewest patients, so that the search really narrows the draw.
    const holders = new Map<string, Set<string>>();
    for (const c of conditions) {
      for (const code of c.code?.coding ?? []) {
        const set = holders.get(code.code as string) ?? new Set<string>();
        for (const p of compartmentPatients(c)) set.add(p);
        holders.set(code.code as string, set);
      }
    }
    const [code, expected] = [...holders].sort(([, a], [, b]) => a.size - b.size)[0];
    expect(expected.size).toBeLessThan(patients.length);
    const where = `Condition?code=${code}`;
    const { patients: chosen, manifest, byType } = subset(['--count', '50', '--where', where], path.join(work, 'where'));
    expect(chosen).toEqual([...expected].sort());
    expect(manifest.request).toBe(`medgen-data subset --count 50 --seed 1 --where '${where}'`);
    for (const id of chosen) {
      const theirs = (byType.get('Condition') ?? []).filter((c) => compartmentPatients(c as unknown as Resource).includes(id));
      expect(theirs.some((c) => JSON.stringify(c.code).includes(`"${code}"`))).toBe(true);
    }

    expect(subset(['--count', '50'], path.join(work, 'everyone')).patients).toEqual([...patients].sort());
  });

  it('--deidentify writes the same draw through the profile: no source patient id left, references intact; refused without a key', () => {
    const plain = subset(['--count', '2', '--seed', '5'], path.join(work, 'deid-plain'));
    const out = path.join(work, 'deid');
    const { patients: drawn, manifest, byType } = subset(['--count', '2', '--seed', '5', '--deidentify', 'safe-harbor', '--key', 'subset-key'], out);
    expect(manifest.request).toBe('medgen-data subset --count 2 --seed 5 --deidentify safe-harbor');
    expect(drawn).toEqual(plain.patients);
    const text = fs.readdirSync(out).map((f) => fs.readFileSync(path.join(out, f), 'utf8')).join('\n');
    for (const id of plain.patients) expect(text).not.toContain(id);
    expect(text).not.toContain('subset-key');
    expect(dangling([...byType.values()].flat())).toEqual([]);
    const none = path.join(work, 'deid-refused');
    expect(refused(run(['--count', '2', '--deidentify', 'safe-harbor', '--out', none]))).toMatch(/--deidentify: /);
    expect(fs.existsSync(none)).toBe(false);
  });

  it('refuses what $subset refuses, and a non-empty --out, with exit 2, writing nothing', () => {
    const out = path.join(work, 'refused');
    expect(refused(run(['--count', '0', '--out', out]))).toMatch(/--count: count must be a whole number from 1 to 100000, not "0"/);
    expect(refused(run(['--count', 'two', '--out', out]))).toMatch(/--count: count must be a whole number/);
    expect(refused(run(['--count', '100001', '--out', out]))).toMatch(/--count: count must be a whole number/);
    expect(refused(run(['--count', '2', '--seed', 'x', '--out', out]))).toMatch(/--seed: seed must be a whole number/);
    expect(refused(run(['--count', '2', '--where', 'Practitioner?name=x', '--out', out]))).toMatch(/--where: where must start with a resource type of the Patient compartment/);
    expect(refused(run(['--count', '2', '--where', 'Condition?shoe-size=9', '--out', out]))).toMatch(/--where: where "Condition\?shoe-size=9" is not a search this server supports/);
    expect(refused(run(['--count', '2', '--where', 'Condition?code=no-such-code', '--out', out]))).toMatch(/--where: No patient has a resource matching Condition\?code=no-such-code/);
    expect(fs.existsSync(out)).toBe(false);

    const empty = path.join(work, 'no-patients');
    expect(refused(cli(['subset', '--count', '2', '--out', out], empty))).toMatch(/The store holds no patients/);
    expect(fs.existsSync(out)).toBe(false);

    const full = path.join(work, 'full');
    fs.mkdirSync(full);
    fs.writeFileSync(path.join(full, 'keep.txt'), 'mine');
    expect(refused(run(['--count', '2', '--out', full]))).toMatch(/--out .*full is not empty/);
    expect(fs.readdirSync(full)).toEqual(['keep.txt']);

    const missing = run(['--out', out]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/required option '--count <n>'/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
