import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { Command, CommanderError } from 'commander';
import { registerGenerate } from '../../src/cli/generate.js';
import { registerSetup } from '../../src/cli/setup.js';
import { OperationOutcomeError } from '../../src/fhir/outcomes.js';
import { checkJava, checkSyntheaJar, locateSynthea } from '../../src/generate/synthea-environment.js';
import { SYNTHEA_VERSION } from '../../src/generate/synthea-home.js';
import { runSynthea } from '../../src/generate/synthea-runner.js';
import { buildStandIns, standInUnavailable } from './stand-in-synthea.js';
import { CliFailure } from '../../src/cli/cli-failure.js';
import { skipped } from '../external-tool.js';

const unavailable = standInUnavailable();
const withJava = unavailable ? skipped(unavailable) : test;

let jars: { dir: string; good: string; bad: string };
let out: string;
beforeAll(() => {
  if (!unavailable) jars = buildStandIns();
});
afterAll(() => jars && fs.rmSync(jars.dir, { recursive: true, force: true }));
beforeEach(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-synthea-out-'));
});
afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

async function failure(p: Promise<unknown>): Promise<OperationOutcomeError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(OperationOutcomeError);
  return err as OperationOutcomeError;
}

/**
 * Runs one CLI command with SYNTHEA_JAR set as given and SYNTHEA_HOME `home`, by default an empty folder (so
 * that a Synthea that setup fetched, or CI's, is not found); returns exit code and what it printed.
 */
async function cli(register: (p: Command) => void, args: string[], jar: string | undefined, home = path.join(out, 'no-synthea-here')) {
  const saved = { SYNTHEA_JAR: process.env.SYNTHEA_JAR, SYNTHEA_HOME: process.env.SYNTHEA_HOME };
  process.env.SYNTHEA_HOME = home;
  if (jar === undefined) delete process.env.SYNTHEA_JAR;
  else process.env.SYNTHEA_JAR = jar;
  const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
  register(program);
  const text: string[] = [];
  const capture = ((chunk: string | Uint8Array) => (text.push(String(chunk)), true)) as typeof process.stdout.write;
  const spies = [jest.spyOn(process.stdout, 'write').mockImplementation(capture), jest.spyOn(process.stderr, 'write').mockImplementation(capture)];
  try {
    await program.parseAsync(['node', 'medgen-data', ...args]);
    return { code: (program.getOptionValue('exitCode') as number | undefined) ?? 0, text: text.join('') };
  } catch (err) {
    return { code: err instanceof CommanderError || err instanceof CliFailure ? err.exitCode : -1, text: `${text.join('')}${(err as Error).message}` };
  } finally {
    spies.forEach((s) => s.mockRestore());
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe('Synthea environment checks', () => {
  it('says what is missing and how to get it', () => {
    expect(checkSyntheaJar(path.join(os.tmpdir(), 'no-such.jar')).detail).toMatch(/does not exist.*curl -LO https:\/\/github\.com\/synthetichealth/);
    const text = path.join(out, 'notes.jar');
    fs.writeFileSync(text, 'not a zip');
    expect(checkSyntheaJar(text)).toMatchObject({ ok: false, detail: expect.stringMatching(/is not a jar/) });
    expect(checkJava('/nonexistent/bin/java')).toMatchObject({ ok: false, detail: expect.stringMatching(/Java not found.*install a Java runtime 11 or newer/) });
  });

  it('finds what setup --synthea fetched in SYNTHEA_HOME, lets SYNTHEA_JAR win, and says how to get Synthea when neither is there', () => {
    const home = path.join(out, 'home');
    expect(locateSynthea({ SYNTHEA_HOME: home })).toMatchObject({ ok: false, detail: expect.stringMatching(/Synthea is not installed .*SYNTHEA_HOME=.*home.*medgen-data setup --synthea.*Maven Central.*curl -LO/) });
    expect(locateSynthea({ XDG_CACHE_HOME: out }).path).toBe(path.join(out, 'medgen-data', 'synthea'));
    fs.mkdirSync(path.join(home, 'lib'), { recursive: true });
    for (const jar of ['synthea-3.3.0.jar', 'guava-31.1-jre.jar']) fs.writeFileSync(path.join(home, 'lib', jar), 'PK\x03\x04');
    expect(locateSynthea({ SYNTHEA_HOME: home })).toEqual({ ok: true, path: home, detail: `Synthea 3.3.0 in ${home} (2 jars)`, launch: ['-cp', path.join(home, 'lib', '*'), 'App'] });
    const jar = path.join(home, 'lib', 'synthea-3.3.0.jar');
    expect(locateSynthea({ SYNTHEA_HOME: home, SYNTHEA_JAR: jar }).launch).toEqual(['-jar', jar]);
  });
});

describe('runSynthea with a stand-in jar', () => {
  withJava('runs java -jar with the mapped options, streams both log streams, and returns <out>/fhir', async () => {
    const lines: string[] = [];
    const result = await runSynthea(
      { count: 3, seed: 42, gender: 'F', minAge: 20, maxAge: 40, state: 'OH', city: 'Columbus', yearsOfHistory: 5, modules: 'asthma,copd', referenceDate: '2025-01-01' },
      out,
      { jar: jars.good, onLog: (l) => lines.push(l) },
    );
    expect(result.fhirDir).toBe(path.join(out, 'fhir'));
    expect(result.files).toHaveLength(5);
    expect(result.files.filter((f) => /^(hospital|practitioner)Information/.test(f))).toHaveLength(2);
    const args = fs.readFileSync(path.join(out, 'args.txt'), 'utf8').split('\n');
    expect(args.slice(0, 18)).toEqual(['-p', '3', '-s', '42', '-cs', '42', '-r', '20250101', '-e', '20250101', '-o', 'false', '-g', 'F', '-a', '20-40', '-m', 'asthma:copd']);
    expect(args.slice(-2)).toEqual(['Ohio', 'Columbus']);
    expect(args).toEqual(expect.arrayContaining([
      '--exporter.years_of_history=5', `--exporter.baseDirectory=${out}`, '--exporter.fhir.export=true', '--exporter.fhir.transaction_bundle=true',
      '--exporter.hospital.fhir.export=true', '--exporter.practitioner.fhir.export=true', '--exporter.csv.export=false', '--exporter.ccda.export=false',
      '--exporter.fhir_stu3.export=false', '--exporter.enable_custom_exporters=false',
    ]));
    expect(lines).toEqual(expect.arrayContaining(['Population: 3', 'WARN stand-in: no real modules loaded']));
  });

  withJava('fails with the exit code and the last lines of the log when Synthea exits non-zero', async () => {
    const err = await failure(runSynthea({ count: 1 }, out, { jar: jars.bad }));
    expect(err.status).toBe(500);
    expect(err.message).toMatch(/exited with code 3[\s\S]*unknown module filter/);
  });

  withJava('fails clearly when the jar or Java is missing, when it times out, and on bad parameters', async () => {
    expect((await failure(runSynthea({ count: 1 }, out, { env: { SYNTHEA_HOME: path.join(out, 'none') } }))).message).toMatch(/not available: Synthea is not installed/);
    const noJava = await failure(runSynthea({ count: 1 }, out, { jar: jars.good, java: '/nonexistent/bin/java' }));
    expect(noJava).toMatchObject({ status: 501, message: expect.stringMatching(/Java not found/) });
    expect((await failure(runSynthea({ count: 99 }, out, { jar: jars.good, timeoutMs: 1500 }))).message).toMatch(/timed out after 2 s[\s\S]*Population: 99/);
    expect((await failure(runSynthea({ count: 0 }, out, { jar: jars.good }))).status).toBe(400);
  });

  withJava('stops Synthea with a 400 naming the parameter when -m matches no module (Synthea would run on without one)', async () => {
    const err = await failure(runSynthea({ count: 1, modules: 'nosuchmodule' }, out, { jar: jars.good, timeoutMs: 30_000 }));
    expect(err).toMatchObject({ status: 400, message: expect.stringMatching(/no Synthea module matches modules=nosuchmodule/) });
    expect(err.outcome.issue[0].expression).toEqual(['modules']);
  });

  withJava('medgen-data setup reports both engines and exits 0 with or without Synthea', async () => {
    const without = await cli(registerSetup, ['setup', '--data-dir', out], undefined);
    expect(without.code).toBe(0);
    expect(without.text).toMatch(/built-in engine: ready/);
    expect(without.text).toMatch(/synthea engine \(--engine synthea\): not available[\s\S]*MISSING synthea +Synthea is not installed .*run `medgen-data setup --synthea`.*or download it/);
    const withJar = await cli(registerSetup, ['setup', '--data-dir', out, '--json'], jars.good);
    expect(JSON.parse(withJar.text)).toMatchObject({ builtin: { available: true }, synthea: { available: true, java: { ok: true }, synthea: { ok: true, path: jars.good } } });
  });

  withJava('setup --synthea answers at once when SYNTHEA_HOME holds that Synthea, which is then what runs', async () => {
    const home = path.join(out, 'home');
    fs.mkdirSync(path.join(home, 'lib'), { recursive: true });
    fs.writeFileSync(path.join(home, 'lib', `synthea-${SYNTHEA_VERSION}.jar`), '');
    const setup = await cli(registerSetup, ['setup', '--synthea', '--data-dir', out, '--json'], undefined, home);
    expect(setup.code).toBe(0);
    expect(JSON.parse(setup.text).synthea).toMatchObject({
      available: true,
      synthea: { ok: true, launch: ['-cp', path.join(home, 'lib', '*'), 'App'] },
      install: { ok: true, detail: `Synthea ${SYNTHEA_VERSION} was already in ${home}` },
    });
  });

  withJava('generate --engine synthea writes Synthea output, and exits 1 saying why when it cannot', async () => {
    const ok = await cli(registerGenerate, ['generate', '--engine', 'synthea', '--count', '2', '--out', out, '--json'], jars.good);
    expect(ok.code).toBe(0);
    expect(ok.text).toMatch(/synthea: Population: 2/);
    expect(JSON.parse(ok.text.split('\n').find((l) => l.startsWith('{'))!)).toMatchObject({ engine: 'synthea', outDir: path.join(out, 'fhir') });
    const failed = await cli(registerGenerate, ['generate', '--engine', 'synthea', '--out', out], jars.bad);
    expect(failed.code).toBe(1);
    expect(failed.text).toMatch(/exited with code 3/);
    const missing = await cli(registerGenerate, ['generate', '--engine', 'synthea', '--out', out], undefined);
    expect(missing.code).toBe(1);
    expect(missing.text).toMatch(/Synthea is not installed/);
  });
});
