import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SQLITE_FILE } from '../../src/store/open-store.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const bin = path.resolve('bin/medgen-data.js');
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('medgen-data refusals of unusable input', () => {
  it('a missing file or a wipe without --yes exits 2 with one message naming the problem, no usage text, nothing changed', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-refusals-'));
    const input = path.join(dataDir, 'patient.ndjson');
    fs.writeFileSync(input, `${JSON.stringify({ resourceType: 'Patient', id: 'p-1', gender: 'female' })}\n`);
    expect(run(['import', input, '--mode', 'none', '--data-dir', dataDir]).status).toBe(0);
    const missing = path.join(dataDir, 'nope.json');

    const refusals = {
      import: run(['import', missing, '--data-dir', dataDir]),
      validate: run(['validate', missing, '--data-dir', dataDir]),
      wipe: run(['wipe', '--data-dir', dataDir]),
    };
    for (const [command, result] of Object.entries(refusals)) {
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^medgen-data ${command}: `));
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).not.toMatch(/Usage:/);
    }
    expect(refusals.import.stderr).toContain(missing);
    expect(refusals.validate.stderr).toContain(missing);
    expect(refusals.wipe.stderr).toMatch(/--yes/);

    const store = createSqliteStore({ path: path.join(dataDir, SQLITE_FILE) });
    // The first import's Patient and the Provenance recording it (src/lineage); the refusals added nothing.
    expect(await store.countByType()).toEqual({ Patient: 1, Provenance: 1 });
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
