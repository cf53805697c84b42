/**
 * On SQLite the system document of an atomic write shares the ops' transaction: when the document itself
 * cannot be written, the ops roll back too (the contract covers what every store guarantees).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { patient } from '../fixtures/store-resources.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-system-write-'));
const store = createSqliteStore({ path: path.join(dir, 'store.sqlite') });
afterAll(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a document that cannot be stored rolls the ops back, and the store writes on afterwards', async () => {
  await expect(store.write([{ op: 'create', resource: patient('p-1') }], { atomic: true, system: { key: 'k', doc: { n: 1n } } })).rejects.toThrow(/BigInt/);
  await expect(store.read('Patient', 'p-1')).rejects.toMatchObject({ status: 404 });
  expect(await store.getSystem('k')).toBeNull();
  await store.write([{ op: 'create', resource: patient('p-1') }], { atomic: true, system: { key: 'k', doc: { n: 1 } } });
  expect((await store.search({ resourceType: 'Patient', criteria: [{ param: 'gender', type: 'token', predicates: [{ kind: 'token', value: 'female' }] }], sort: [], count: 10, offset: 0, summaryCount: false })).total).toBe(1);
  expect(await store.getSystem('k')).toEqual({ n: 1 });
});
