/**
 * scripts/compare-cdc.ts on folders (issue 18): each folder of written bundles is a column, Synthea's layout
 * (`<out>/fhir`) included, and folders of different states are refused. Built-in output stands in for both
 * engines here; synthea-engine.test.ts runs Synthea itself.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writePopulation } from '../../src/generate/write-population.js';

let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-compare-cdc-'));
  await writePopulation({ count: 60, seed: 3, state: 'OH', referenceDate: '2024-06-30' }, path.join(dir, 'builtin'));
  await writePopulation({ count: 40, seed: 4, state: 'OH', referenceDate: '2024-06-30' }, path.join(dir, 'synthea', 'fhir'));
  await writePopulation({ count: 5, seed: 5, state: 'UT', referenceDate: '2024-06-30' }, path.join(dir, 'utah'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const compare = (...dirs: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/compare-cdc.ts', ...dirs.map((d) => path.join(dir, d))], { encoding: 'utf8', timeout: 60_000 });

describe('scripts/compare-cdc.ts DIR DIR', () => {
  it('prints each folder\'s figures in adjacent columns, with the reference date and state the files give', () => {
    const run = compare('builtin', 'synthea');
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^builtin: 60 patients \(reference date 2024-06-30, .*builtin\) in Ohio/);
    expect(lines[1]).toMatch(/^synthea: 40 patients \(reference date 2024-06-30, .*synthea\/fhir\) in Ohio/);
    expect(lines[2].trim().split(/\s+/)).toEqual(['builtin', 'synthea']);
    const hypertension = lines.find((l) => l.includes('diagnosed hypertension'))!;
    expect(hypertension.match(/\d+\.\d% \([+-]\d+\.\d\)!?/g)).toHaveLength(2);
    expect(hypertension).toMatch(/published +32\.0%/);
    expect(lines.filter((l) => / OH age /.test(l))).toHaveLength(7);
    expect(lines.find((l) => l.includes('impossible records: beforeBirth'))).toMatch(/ 0 +0$/);
    expect([0, 1]).toContain(run.status);
  });

  it('refuses folders of different states', () => {
    const run = compare('builtin', 'utah');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/different states \(builtin: OH, utah: UT\)/);
  });
});
