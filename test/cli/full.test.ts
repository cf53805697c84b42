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
    const dicomFiles = fs.readdirSync(path.join(dataDir, 'dicom'), { recursive: true }).filter((f) => String(f).endsWith('.dcm'));
    expect(dicomFiles.length).toBe(result.imaging.filesWritten);

    const refused = run(['wipe', '--data-dir', dataDir]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    const wiped = run(['wipe', '--yes', '--data-dir', dataDir]);
    expect(wiped.status).toBe(0);
    expect(wiped.stdout).toMatch(new RegExp(`wiped ${result.report.resources} resources .*, ${dicomFiles.length + 2} DICOM and report files`));
    expect(fs.existsSync(path.join(dataDir, 'generated'))).toBe(false);
    // The DICOM instances of the imaging studies wiped from the store go with them.
    expect(fs.readdirSync(dataDir, { recursive: true }).filter((f) => /\.(dcm|json|html|txt)$/.test(String(f)))).toEqual([]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
