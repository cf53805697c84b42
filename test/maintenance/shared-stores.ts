/**
 * The one database the processes of two-processes.test.ts share: a SQLite file in a fresh data directory, or
 * a MongoDB database of the test's own on the server under test (dropped afterwards, so runs never meet).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { type OpenStoreConfig, openStore } from '../../src/store/open-store.js';
import type { ResourceStore } from '../../src/store/resource-store.js';

export interface SharedStore {
  config: OpenStoreConfig;
  /** The CLI flags naming this database. */
  args: string[];
  /** A handle of the test's own (another process's view is opened in that process). */
  open(): Promise<ResourceStore>;
  dispose(): Promise<void>;
}

let count = 0;

export function sharedStore(mongodbUri?: string): SharedStore {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-two-processes-'));
  const mongodbDb = `medgen_two_processes_${process.pid}_${++count}`;
  const config: OpenStoreConfig = { dataDir, mongodbUri, mongodbDb };
  return {
    config,
    args: ['--data-dir', dataDir, ...(mongodbUri ? ['--mongodb-uri', mongodbUri, '--mongodb-db', mongodbDb] : [])],
    open: () => openStore(config),
    async dispose() {
      if (mongodbUri) {
        const client = await new MongoClient(mongodbUri).connect();
        await client.db(mongodbDb).dropDatabase().finally(() => client.close());
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
