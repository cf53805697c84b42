/**
 * Opens the store the configuration names: MongoDB when MONGODB_URI is set, otherwise the embedded SQLite
 * database in MEDGEN_DATA_DIR.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import type { ResourceStore } from './resource-store.js';
import { createSqliteStore } from './sqlite/sqlite-store.js';
import { createMongoStore } from './mongo/mongo-store.js';

export const SQLITE_FILE = 'medgen.sqlite';

/** Callers that build a store config by hand may leave the timeouts out: createMongoStore has the same defaults. */
export type OpenStoreConfig = Pick<Config, 'dataDir' | 'mongodbUri' | 'mongodbDb'> & Partial<Pick<Config, 'mongodbTimeoutMs' | 'mongodbConnectTimeoutMs'>>;

/**
 * The configured store, ready to use; the caller closes it. A MongoDB that cannot be reached rejects within
 * MONGODB_CONNECT_TIMEOUT_MS with one line naming its hosts (createMongoStore).
 * @see https://www.mongodb.com/docs/drivers/node/current/connect/connection-options/
 */
export async function openStore(config: OpenStoreConfig): Promise<ResourceStore> {
  if (config.mongodbUri) {
    return createMongoStore({
      uri: config.mongodbUri,
      dbName: config.mongodbDb,
      timeoutMs: config.mongodbTimeoutMs,
      connectTimeoutMs: config.mongodbConnectTimeoutMs,
    });
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  return createSqliteStore({ path: path.join(config.dataDir, SQLITE_FILE) });
}
