import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { jest } from '@jest/globals';
import { Command, CommanderError } from 'commander';
import { registerGenerate } from '../../src/cli/generate.js';
import { OperationOutcomeError } from '../../src/fhir/outcomes.js';
import { resolveOptions } from '../../src/generate/options.js';
import { makeTestApp, type TestApp } from '../http/test-app.js';

const BAD: [Record<string, string | number>, string][] = [
  [{ count: 0 }, 'count'],
  [{ count: 10_000_000 }, 'count'],
  [{ state: 'Atlantis' }, 'state'],
  [{ profile: 'geriatric' }, 'profile'],
  [{ minAge: 50, maxAge: 20 }, 'minAge'],
  [{ seed: 'abc' }, 'seed'],
  [{ city: 'Nowhere City' }, 'city'],
];

describe('resolveOptions', () => {
  it.each(BAD)('rejects %j with a 400 naming the parameter', (input, param) => {
    let caught: unknown;
    try {
      resolveOptions(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(OperationOutcomeError);
    expect((caught as OperationOutcomeError).status).toBe(400);
    expect((caught as OperationOutcomeError).outcome.issue[0].expression).toContain(param);
  });

  it('accepts state codes and names, and profile age defaults', () => {
    expect(resolveOptions({ state: 'tx' }).state.name).toBe('Texas');
    expect(resolveOptions({ profile: 'pediatric' })).toMatchObject({ minAge: 0, maxAge: 17 });
  });
});

describe('$generate', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp();
  });
  afterAll(() => t.close());
  const call = (parameter: object[]) => request(t.app).post('/fhir/$generate').send({ resourceType: 'Parameters', parameter });

  it('returns the support batches and one transaction per patient', async () => {
    const res = await call([{ name: 'count', valueInteger: 3 }, { name: 'seed', valueInteger: 5 }, { name: 'state', valueString: 'Ohio' }]);
    expect(res.status).toBe(200);
    const bundles = res.body.parameter.filter((p: { name: string }) => p.name === 'bundle');
    expect(bundles.map((b: { resource: { type: string } }) => b.resource.type)).toEqual(['batch', 'batch', 'transaction', 'transaction', 'transaction']);
    expect(bundles[2].resource.entry[0].resource.address[0].state).toBe('OH');
  });

  it('answers a 400 OperationOutcome for bad parameters', async () => {
    for (const [p, status] of [[{ name: 'count', valueInteger: 0 }, 400], [{ name: 'seed', valueString: 'abc' }, 400], [{ name: 'profile', valueCode: 'nope' }, 400], [{ name: 'engine', valueCode: 'java' }, 400], [{ name: 'import', valueString: 'maybe' }, 400]] as const) {
      const res = await call([p]);
      expect(res.status).toBe(status);
      expect(res.body.resourceType).toBe('OperationOutcome');
    }
  });
});

describe('medgen-data generate', () => {
  const run = async (args: string[]) => {
    const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
    registerGenerate(program);
    const out: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array) => (out.push(String(chunk)), true)) as typeof process.stdout.write);
    try {
      await program.parseAsync(['node', 'medgen-data', 'generate', ...args]);
      return { code: 0, out: out.join('') };
    } catch (err) {
      return { code: err instanceof CommanderError ? err.exitCode : -1, out: out.join(''), message: (err as Error).message };
    } finally {
      spy.mockRestore();
    }
  };

  it('writes bundles and prints a JSON summary', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-generate-cli-'));
    const res = await run(['--count', '2', '--seed', '4', '--out', dir, '--json', '--reference-date', '2024-01-01']);
    expect(res.code).toBe(0);
    const summary = JSON.parse(res.out);
    expect(summary).toMatchObject({ patients: 2, seed: 4, format: 'bundle' });
    expect(fs.readdirSync(dir)).toHaveLength(4);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exits 2 with a message on bad parameters', async () => {
    for (const args of [['--count', '0'], ['--seed', 'abc'], ['--state', 'Atlantis'], ['--min-age', '60', '--max-age', '10'], ['--format', 'xml']]) {
      const res = await run(args);
      expect(res.code).toBe(2);
      expect(res.message).toMatch(/count|seed|state|minAge|format/);
    }
  });
});
