/**
 * A second handle on the configured store with a clock the caller sets, for restore.
 *
 * Why this works without a special store API: the store stamps meta.lastUpdated from its clock (one
 * instant per write() call, the `now` option of both stores) and numbers versions 1, 2, … in write
 * order. Replaying a resource's versions in order, each write() call pinned to the recorded instant of
 * its versions, therefore reproduces versionId and lastUpdated exactly. The store's clock never goes
 * backwards, so each handle replays in ascending lastUpdated order and a new handle starts each type.
 */
import path from 'node:path';
import { SQLITE_FILE } from '../store/open-store.js';
import { createMongoStore } from '../store/mongo/mongo-store.js';
import type { ResourceStore } from '../store/resource-store.js';
import { createSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { MaintenanceDeps, StoreConfig } from './maintenance-deps.js';

export function openWithClock(config: StoreConfig, now: () => number): Promise<ResourceStore> {
  if (config.mongodbUri) return createMongoStore({ uri: config.mongodbUri, dbName: config.mongodbDb, now });
  return Promise.resolve(createSqliteStore({ path: path.join(config.dataDir, SQLITE_FILE), now }));
}

export const replayOpener = (deps: MaintenanceDeps) => deps.openWithClock ?? ((now: () => number) => openWithClock(deps.config, now));
