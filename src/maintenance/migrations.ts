/**
 * Versioned data migrations, applied in order, each exactly once, at start or with `medgen-data migrate`.
 * Each migration writes through the store (one atomic write() per migration where the store has
 * transactions). The record of applied migrations is `migrations.json` in the data directory, written
 * after a migration succeeds: the store contract has no place for system documents yet (see the report);
 * for MongoDB deployments that file must move into a `migrations` collection.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ResourceStore } from '../store/resource-store.js';
import type { MaintenanceDeps } from './maintenance-deps.js';

export interface Migration {
  id: string;
  description: string;
  up(store: ResourceStore): Promise<number>;
}

/**
 * The migrations shipped with this version, oldest first. None is needed yet: the stores' own table layouts
 * are versioned by the stores (SQLite `user_version`). A migration that rewrote imported content would make
 * re-importing the same data report `updated`, so data migrations must only follow a change of our own format.
 */
export const MIGRATIONS: Migration[] = [];

const recordFile = (dataDir: string) => path.join(dataDir, 'migrations.json');

type Applied = Record<string, { applied: string; changed: number }>;

function readApplied(dataDir: string): Applied {
  return fs.existsSync(recordFile(dataDir)) ? (JSON.parse(fs.readFileSync(recordFile(dataDir), 'utf8')) as Applied) : {};
}

export function migrationStatus(dataDir: string, migrations = MIGRATIONS) {
  const applied = readApplied(dataDir);
  return migrations.map((m) => ({ id: m.id, description: m.description, ...(applied[m.id] ?? { applied: null }) }));
}

export async function runMigrations(deps: MaintenanceDeps, migrations = MIGRATIONS): Promise<{ applied: string[] }> {
  const record = readApplied(deps.config.dataDir);
  const done: string[] = [];
  for (const m of migrations) {
    if (record[m.id]) continue;
    const changed = await m.up(deps.store);
    record[m.id] = { applied: new Date().toISOString(), changed };
    fs.mkdirSync(deps.config.dataDir, { recursive: true });
    fs.writeFileSync(`${recordFile(deps.config.dataDir)}.tmp`, JSON.stringify(record, null, 1));
    fs.renameSync(`${recordFile(deps.config.dataDir)}.tmp`, recordFile(deps.config.dataDir));
    done.push(m.id);
  }
  return { applied: done };
}
