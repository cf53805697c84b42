/**
 * Versioned data migrations, applied in order, each exactly once, at start or with `medgen-data migrate`.
 * Each migration writes through the store (one atomic write() per migration where the store has
 * transactions). The record of applied migrations is a system document in the store, written after each
 * migration succeeds, so a MongoDB deployment shared by several processes keeps one record.
 */
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

/** The record of applied migrations lives in the store (a system document), so every process sharing it agrees. */
const RECORD_KEY = 'migrations';

type Applied = Record<string, { applied: string; changed: number }>;

const readApplied = async (store: ResourceStore): Promise<Applied> => (await store.getSystem<Applied>(RECORD_KEY)) ?? {};

export async function migrationStatus(store: ResourceStore, migrations = MIGRATIONS) {
  const applied = await readApplied(store);
  return migrations.map((m) => ({ id: m.id, description: m.description, ...(applied[m.id] ?? { applied: null }) }));
}

export async function runMigrations(deps: MaintenanceDeps, migrations = MIGRATIONS): Promise<{ applied: string[] }> {
  const record = await readApplied(deps.store);
  const done: string[] = [];
  for (const m of migrations) {
    if (record[m.id]) continue;
    const changed = await m.up(deps.store);
    record[m.id] = { applied: new Date().toISOString(), changed };
    await deps.store.putSystem(RECORD_KEY, record);
    done.push(m.id);
  }
  return { applied: done };
}
