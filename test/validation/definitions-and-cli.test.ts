import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { Command } from 'commander';
import { deriveElements } from '../../scripts/validation-definitions/derive-elements.js';
import { deriveValueSets } from '../../scripts/validation-definitions/derive-valuesets.js';
import { registerValidate } from '../../src/cli/validate.js';

const schema = (name: string) => JSON.parse(readFileSync(new URL(`../../schemas/${name}`, import.meta.url), 'utf8')) as unknown;

describe('derived definitions', () => {
  it('schemas/fhir-elements.json and fhir-valuesets.json are what the derive script makes today', () => {
    const { types, bindings } = deriveElements();
    expect(schema('fhir-elements.json')).toEqual(JSON.parse(JSON.stringify({ types })));
    expect(schema('fhir-valuesets.json')).toEqual(JSON.parse(JSON.stringify(deriveValueSets(bindings))));
  });
});

describe('medgen-data validate', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'medgen-cli-validate-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(...args: string[]): Promise<{ out: string; code: number | undefined }> {
    const program = new Command().exitOverride();
    registerValidate(program);
    let out = '';
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
    process.exitCode = undefined;
    try {
      await program.parseAsync(['node', 'medgen-data', 'validate', ...args]);
    } finally {
      spy.mockRestore();
    }
    const code = process.exitCode as number | undefined;
    process.exitCode = undefined;
    return { out, code };
  }

  it('validates a Bundle file entry by entry and exits 0 when clean', async () => {
    const { out, code } = await run(fileURL('synthea-sample.json'), '--json');
    expect(JSON.parse(out)).toMatchObject({ resources: 12, errors: 0 });
    expect(code).toBe(0);
  });

  it('validates NDJSON and exits 1 on errors, naming the rule', async () => {
    const file = path.join(dir, 'bad.ndjson');
    writeFileSync(file, `${JSON.stringify({ resourceType: 'Patient', gender: 'robot' })}\n${JSON.stringify({ resourceType: 'Patient' })}\n`);
    const { out, code } = await run(file, '--json');
    const report = JSON.parse(out);
    expect(report).toMatchObject({ resources: 2, valid: 1 });
    expect(report.errors).toBeGreaterThan(0);
    expect(report.issues).toContainEqual(expect.objectContaining({ layer: 'terminology', severity: 'error' }));
    expect(code).toBe(1);
  });

  it('validates the whole store when no file is given and writes the report', async () => {
    const { out, code } = await run('--data-dir', dir, '--json');
    expect(JSON.parse(out)).toMatchObject({ resources: 0, errors: 0, files: [expect.stringMatching(/validation-report\.json$/), expect.stringMatching(/validation-report\.txt$/)] });
    expect(code).toBe(0);
  });
});

function fileURL(name: string): string {
  return new URL(`../fixtures/validation/${name}`, import.meta.url).pathname;
}
