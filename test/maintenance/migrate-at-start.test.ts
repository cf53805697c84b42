/**
 * Servers apply pending migrations as they start; a replica that starts while another holds the maintenance
 * lease (starting too, or running a backup) must not fail, and must not wait when nothing is pending.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { migrateAtStart } from '../../src/maintenance/migrate-at-start.js';
import { acquireLock } from '../../src/maintenance/task-lock.js';
import { openStore } from '../../src/store/open-store.js';

it('starts at once while another process holds the maintenance lease, when no migration is pending', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-migrate-start-'));
  const config = loadConfig({}, { dataDir: dir });
  const store = await openStore(config);
  const other = await openStore(config);
  try {
    const lease = await acquireLock(other, 'backup');
    const started = Date.now();
    await migrateAtStart({ store, config });
    expect(Date.now() - started).toBeLessThan(2000);
    await lease.release();
  } finally {
    await store.close();
    await other.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
