import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const bin = path.resolve('bin/medgen-data.js');
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('medgen-data full and wipe', () => {
  it('generates, imports strictly, validates with 0 errors and reports; wipe empties the store', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-full-'));
    const full = run(['full', '--count', '3', '--seed', '7', '--data-dir', dataDir, '--json']);
    expect(full.status).toBe(0);
    const result = JSON.parse(full.stdout);
    expect(result.imported.failed).toBe(0);
    expect(result.imported.created).toBe(result.generated.resources);
    expect(result.validation.errors).toBe(0);
    expect(result.report.patients.total).toBe(3);
    expect(result.report.byType.Patient).toBe(3);
    expect(fs.existsSync(path.join(dataDir, 'reports', 'validation-report.json'))).toBe(true);

    const refused = run(['wipe', '--data-dir', dataDir]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    const wiped = run(['wipe', '--yes', '--data-dir', dataDir]);
    expect(wiped.status).toBe(0);
    expect(wiped.stdout).toMatch(new RegExp(`wiped ${result.report.resources} resources`));
    expect(fs.existsSync(path.join(dataDir, 'generated'))).toBe(false);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
