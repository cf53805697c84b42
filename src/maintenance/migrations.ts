/**
 * Versioned data migrations, applied in order, each exactly once, at start or with `medgen-data migrate`.
 * A migration reads the store and answers the writes it needs; they are written in one atomic write()
 * together with the updated record of applied migrations (a system document in the store, so a MongoDB
 * deployment shared by several processes keeps one record). Both land or neither does: a migration that
 * fails leaves no change and no record, and runs again next time. On MongoDB without transactions the
 * record is written once the writes succeeded; a crash between the two re-runs that migration, so a
 * migration's writes must be such that running it twice changes nothing more (puts of computed content).
 */
import type { ResourceStore, WriteOp } from '../store/resource-store.js';
import type { MaintenanceDeps } from './maintenance-deps.js';

export interface Migration {
  id: string;
  description: string;
  /** The writes this migration makes, computed from the store (written by runMigrations, not here). */
  up(store: ResourceStore): Promise<WriteOp[]>;
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
    // Between migrations, so a stopped run leaves each one wholly applied or not at all.
    deps.signal?.throwIfAborted();
    const ops = await m.up(deps.store);
    // `changed` counts the migration's writes: it should answer only writes that change something.
    const next = { ...record, [m.id]: { applied: new Date().toISOString(), changed: ops.length } };
    await deps.store.write(ops, { atomic: true, system: { key: RECORD_KEY, doc: next } });
    Object.assign(record, next);
    done.push(m.id);
  }
  return { applied: done };
}
