/** Runs the store contract suite against the embedded SQLite store on a temporary file. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runStoreContract } from './contract.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-sqlite-'));

runStoreContract(
  'sqlite',
  async () => createSqliteStore({ path: path.join(dir, 'contract.sqlite') }),
  async (store) => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  },
);
