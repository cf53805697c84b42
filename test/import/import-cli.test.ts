import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Command } from 'commander';
import { registerImport } from '../../src/cli/import.js';
import { listImportFiles } from '../../src/import/file-units.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { patientBundle, supportBatch } from './synthea-like.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-import-cli-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeSyntheaOutput(root: string) {
  fs.mkdirSync(path.join(root, 'fhir'), { recursive: true });
  fs.writeFileSync(path.join(root, 'fhir', 'Ann_Family1.json'), JSON.stringify(patientBundle(1)));
  fs.writeFileSync(path.join(root, 'fhir', 'practitionerInformation1.json'), JSON.stringify({ ...supportBatch(), entry: supportBatch().entry!.slice(1) }));
  fs.writeFileSync(path.join(root, 'fhir', 'hospitalInformation1.json'), JSON.stringify({ ...supportBatch(), entry: supportBatch().entry!.slice(0, 1) }));
  fs.writeFileSync(path.join(root, 'fhir', 'Bo_Family2.json.gz'), gzipSync(JSON.stringify(patientBundle(2))));
  fs.writeFileSync(path.join(root, 'fhir', 'notes.txt'), 'not FHIR');
}

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const program = new Command('medgen-data').exitOverride();
  registerImport(program);
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'medgen-data', ...args]);
    return { code: (program.getOptionValue('exitCode') as number | undefined) ?? 0, out };
  } catch (err) {
    return { code: (err as { exitCode?: number }).exitCode ?? 1, out };
  } finally {
    process.stdout.write = write;
  }
}

describe('medgen-data import', () => {
  it('loads support files first from a directory, including .gz, and prints JSON', async () => {
    writeSyntheaOutput(path.join(dir, 'out'));
    expect(listImportFiles([path.join(dir, 'out')]).map((f) => path.basename(f))).toEqual([
      'hospitalInformation1.json',
      'practitionerInformation1.json',
      'Ann_Family1.json',
      'Bo_Family2.json.gz',
    ]);
    const { code, out } = await run(['import', path.join(dir, 'out'), '--data-dir', path.join(dir, 'data'), '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result).toMatchObject({ created: 10, updated: 0, unchanged: 0, failed: 0, failures: [] });
    expect(result.byType.Patient).toEqual({ created: 2, updated: 0, unchanged: 0, failed: 0 });
    const store = createSqliteStore({ path: path.join(dir, 'data', 'medgen.sqlite') });
    expect((await store.countByType()).Patient).toBe(2);
    await store.close();
  });

  it('loads NDJSON files named by type so that strict import finds every target: generated NDJSON imports with 0 failures', async () => {
    const out = path.join(dir, 'ndjson');
    const generated = spawnSync(process.execPath, [path.resolve('bin/medgen-data.js'), 'generate', '--count', '12', '--seed', '3', '--format', 'ndjson', '--out', out], { encoding: 'utf8' });
    expect(generated.status).toBe(0);
    const order = listImportFiles([out]).map((f) => path.basename(f).split('.')[0]);
    for (const [before, after] of [['Practitioner', 'Encounter'], ['Observation', 'DiagnosticReport'], ['Procedure', 'Claim'], ['Claim', 'ExplanationOfBenefit'], ['ExplanationOfBenefit', 'Provenance']]) {
      expect(order.indexOf(before)).toBeGreaterThanOrEqual(0);
      expect(order.indexOf(before)).toBeLessThan(order.indexOf(after));
    }
    const { code, out: printed } = await run(['import', out, '--mode', 'strict', '--data-dir', path.join(dir, 'data'), '--json']);
    expect(JSON.parse(printed)).toMatchObject({ failed: 0, failures: [] });
    expect(code).toBe(0);
  }, 60_000);

  it('exits 1 when entries fail, reporting file and line', async () => {
    const file = path.join(dir, 'Patient.ndjson');
    fs.writeFileSync(file, `${JSON.stringify({ resourceType: 'Patient', id: 'x' })}\n{broken\n`);
    const { code, out } = await run(['import', file, '--data-dir', path.join(dir, 'data'), '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(out).failures[0]).toMatchObject({ line: 2, file: 'Patient.ndjson' });
  });

  it('exits 2 on usage errors: a missing path, an unknown mode', async () => {
    expect((await run(['import', path.join(dir, 'nope')])).code).toBe(2);
    fs.writeFileSync(path.join(dir, 'a.json'), '{}');
    expect((await run(['import', path.join(dir, 'a.json'), '--mode', 'sloppy'])).code).toBe(2);
  });
});
