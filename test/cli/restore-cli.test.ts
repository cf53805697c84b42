import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const bin = path.resolve('bin/medgen-data.js');
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('medgen-data restore refusals', () => {
  it('a non-empty store fails with exit 1 and a bad id is a usage error with exit 2, each one message and no usage text', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-restore-cli-'));
    const input = path.join(dataDir, 'patient.ndjson');
    fs.writeFileSync(input, `${JSON.stringify({ resourceType: 'Patient', id: 'p-1', gender: 'female' })}\n`);
    expect(run(['import', input, '--mode', 'none', '--data-dir', dataDir]).status).toBe(0);
    const backup = run(['backup', '--json', '--data-dir', dataDir]);
    expect(backup.status).toBe(0);
    const id = (JSON.parse(backup.stdout) as { id: string }).id;

    const refused = run(['restore', id, '--data-dir', dataDir]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/not empty/);
    expect(refused.stderr).not.toMatch(/Usage:/);
    const badId = run(['restore', '../etc', '--data-dir', dataDir]);
    expect(badId.status).toBe(2);
    expect(badId.stderr).toMatch(/medgen-data restore: /);
    expect(badId.stderr).not.toMatch(/Usage:/);
    expect(run(['restore', id, '--replace', '--data-dir', dataDir]).status).toBe(0);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
