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

export async function openStore(config: Pick<Config, 'dataDir' | 'mongodbUri' | 'mongodbDb'>): Promise<ResourceStore> {
  if (config.mongodbUri) return createMongoStore({ uri: config.mongodbUri, dbName: config.mongodbDb });
  fs.mkdirSync(config.dataDir, { recursive: true });
  return createSqliteStore({ path: path.join(config.dataDir, SQLITE_FILE) });
}
