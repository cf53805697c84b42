/**
 * Issue 18: `--engine synthea` with Synthea itself (what tools/synthea/build.sh fetches; .ci/run sets
 * SYNTHEA_HOME). A fixed-seed 5-patient run goes through the CLI and imports strictly with 0 failures, and its
 * output shows each option reached Synthea: state, city, gender, age range, modules, years of history and seed.
 * A second run with the same options, started alongside (each spends ~15 s starting a JVM and loading modules),
 * must write byte-identical files; a third, naming no existing module, must be stopped with a 400.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { Command } from 'commander';
import type { Bundle, Encounter, Patient } from 'fhir/r4.js';
import { registerGenerate } from '../../src/cli/generate.js';
import { importFiles } from '../../src/import/import-files.js';
import { createLogger } from '../../src/logger.js';
import { syntheaEnvironment } from '../../src/generate/synthea-environment.js';
import { runSynthea } from '../../src/generate/synthea-runner.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { skipped } from '../external-tool.js';

const env = syntheaEnvironment();
// Each check's first clause (what is missing); the rest, how to get it, is for `medgen-data setup`.
const missing = [env.java, env.synthea].filter((c) => !c.ok).map((c) => c.detail.split(';')[0]);
const withSynthea = missing.length ? skipped(`${missing.join(', ')}; tools/synthea/build.sh fetches Synthea and .ci/run sets SYNTHEA_HOME`) : test;

const OPTIONS = { count: 5, seed: 7, state: 'Ohio', city: 'Columbus', gender: 'female', minAge: 30, maxAge: 60, yearsOfHistory: 5, modules: 'asthma,allergies', referenceDate: '2025-01-01' };
const FLAGS = ['--count', '5', '--seed', '7', '--state', 'OH', '--city', 'Columbus', '--gender', 'female', '--min-age', '30', '--max-age', '60', '--years', '5', '--modules', 'asthma,allergies', '--reference-date', '2025-01-01'];

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-synthea-engine-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** `medgen-data generate --engine synthea …` in this process: exit code, stdout, and the `synthea:` log lines on stderr. */
async function generateCli(args: string[]) {
  const program = new Command().exitOverride();
  registerGenerate(program);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(((c: string) => (stdout.push(String(c)), true)) as typeof process.stdout.write),
    jest.spyOn(process.stderr, 'write').mockImplementation(((c: string) => (stderr.push(String(c)), true)) as typeof process.stderr.write),
  ];
  try {
    await program.parseAsync(['node', 'medgen-data', 'generate', '--engine', 'synthea', ...args]);
    return { code: (program.getOptionValue('exitCode') as number | undefined) ?? 0, stdout: stdout.join(''), log: stderr.join('') };
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
}

const readJson = <T>(file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as T;
const ageOn = (birth: string, day: string) => Number(day.slice(0, 4)) - Number(birth.slice(0, 4)) - (day.slice(5) < birth.slice(5) ? 1 : 0);

describe('--engine synthea with Synthea itself', () => {
  withSynthea('a fixed-seed 5-patient run imports strictly with 0 failures, and every option shows in its output', async () => {
    const [viaCli, again, noModule] = await Promise.all([
      generateCli([...FLAGS, '--out', path.join(dir, 'a'), '--json']),
      runSynthea(OPTIONS, path.join(dir, 'b')),
      // Synthea itself runs on when -m matches no module; the runner stops it.
      runSynthea({ ...OPTIONS, count: 1, modules: 'nosuchmodule' }, path.join(dir, 'c')).catch((err: unknown) => err),
    ]);
    expect(noModule).toMatchObject({ status: 400, message: expect.stringMatching(/no Synthea module matches modules=nosuchmodule/) });
    expect(fs.existsSync(path.join(dir, 'c', 'fhir'))).toBe(false);
    expect(viaCli.code).toBe(0);
    const fhirDir = path.join(dir, 'a', 'fhir');
    expect(JSON.parse(viaCli.stdout)).toMatchObject({ engine: 'synthea', outDir: fhirDir });
    const files = fs.readdirSync(fhirDir).sort();
    const patientFiles = files.filter((f) => !/^(hospital|practitioner)Information/.test(f));
    expect(files.length - patientFiles.length).toBe(2);
    expect(patientFiles).toHaveLength(5);

    // Seed (-s, and -cs for the practitioners): the same options again give the same files, byte for byte.
    expect(again.files).toEqual(files);
    for (const f of files) expect(fs.readFileSync(path.join(again.fhirDir, f), 'utf8')).toBe(fs.readFileSync(path.join(fhirDir, f), 'utf8'));
    // Synthea's own record of the run, and its log, name the seed and the two modules (-m) it loaded.
    const [meta] = fs.readdirSync(path.join(dir, 'a', 'metadata')).map((f) => readJson<Record<string, unknown>>(path.join(dir, 'a', 'metadata', f)));
    expect(meta).toMatchObject({ seed: 7, clinicianSeed: 7, referenceTime: '20250101', patientCount: 5, modules: 'asthma;allergies', 'exporter.years_of_history': '5' });
    expect(viaCli.log).toMatch(/Modules: Allergies and Treatment Module\n(synthea: .*\n)*synthea: +& Asthma Module\nsynthea: +> \[2 loaded\]/);

    const cutoff = '2020-01-01';
    for (const f of patientFiles) {
      const bundle = readJson<Bundle>(path.join(fhirDir, f));
      const patient = bundle.entry!.find((e) => e.resource?.resourceType === 'Patient')!.resource as Patient;
      expect(patient.gender).toBe('female');
      expect(patient.address?.[0]).toMatchObject({ city: 'Columbus', state: 'OH' });
      const age = ageOn(patient.birthDate!, OPTIONS.referenceDate);
      expect(age).toBeGreaterThanOrEqual(30);
      expect(age).toBeLessThanOrEqual(60);
      // Years of history: no visit before the five years up to the reference date, none after it.
      const starts = bundle.entry!.filter((e) => e.resource?.resourceType === 'Encounter').map((e) => (e.resource as Encounter).period!.start!);
      for (const start of starts) expect(start >= cutoff && start < '2025-01-02').toBe(true);
    }

    const store = createSqliteStore({ path: path.join(dir, 'store.sqlite') });
    try {
      const imported = await importFiles(store, [fhirDir], { mode: 'strict', logger: createLogger('silent') });
      expect(imported.failures).toEqual([]);
      expect(imported.failed).toBe(0);
      expect(imported.byType.Patient.created).toBe(5);
      expect((await store.countByType()).Patient).toBe(5);
    } finally {
      await store.close();
    }
  }, 300_000);
});
