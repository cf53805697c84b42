/**
 * The stores the matcher's store-level tests run on: SQLite, the MongoDB store through mingo (its own queries
 * and writes, in every run), and a MongoDB server when MONGODB_URI is set (a database of the test's own,
 * dropped afterwards). Also the population those tests share.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import type { Resource } from 'fhir/r4.js';
import { createMongoStoreFromDatabase } from '../../src/store/mongo/mongo-store.js';
import { openStore } from '../../src/store/open-store.js';
import type { ResourceStore } from '../../src/store/resource-store.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { MingoDatabase } from '../store/mingo-collection.js';
import { serverUri } from '../store/server-uri.js';
import { duplicateOf, person, strangers, twinOf, type TestPatient } from './corrupted-patients.js';

export interface OpenedStore {
  store: ResourceStore;
  close(): Promise<void>;
}

let databases = 0;

/** A fresh SQLite store in a temporary folder. */
export async function openSqlite(): Promise<OpenedStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-match-'));
  const store = createSqliteStore({ path: path.join(dir, 'medgen.sqlite') });
  return { store, close: async () => (await store.close(), fs.rmSync(dir, { recursive: true, force: true })) };
}

/** [name, open] for each backend; a test that cannot reach a server says so. */
export function matchBackends(what: string): [string, () => Promise<OpenedStore>][] {
  const backends: [string, () => Promise<OpenedStore>][] = [
    ['SQLite', openSqlite],
    ['MongoDB (mingo)', async () => {
      const store = await createMongoStoreFromDatabase(new MingoDatabase());
      return { store, close: () => store.close() };
    }],
  ];
  const uri = serverUri;
  if (uri) {
    backends.push(['MongoDB', async () => {
      const mongodbDb = `medgen_match_${process.pid}_${++databases}`;
      const store = await openStore({ dataDir: os.tmpdir(), mongodbUri: uri, mongodbDb });
      return {
        store,
        close: async () => {
          await store.close();
          const client = await new MongoClient(uri).connect();
          await client.db(mongodbDb).dropDatabase().finally(() => client.close());
        },
      };
    }]);
  } else test(`${what} on a MongoDB server skipped: MONGODB_URI is not set`, () => console.warn(`${what} on a MongoDB server skipped (set MONGODB_URI for npm test to run it against a server)`));
  return backends;
}

export const observation = (id: string, patient: string): Resource & { id: string } =>
  ({ resourceType: 'Observation', id, status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] }, subject: { reference: `Patient/${patient}` } }) as Resource & { id: string };

/**
 * The shared population: 300 strangers; the person `p1` with two second records (`d1`: a mistyped first name
 * and a move; `d2`: a nickname, a new phone and no SSN) and a twin `t1`; two strangers whose licence numbers
 * collide (`s10`, `s20`); Observations of p1 (one), d1 (two) and t1 (one).
 */
export function population(): (Resource & { id: string })[] {
  const p = person('p1');
  const licence = (value: string) => ({ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'DL' }] }, system: 'urn:oid:2.16.840.1.113883.4.3.25', value });
  const others: TestPatient[] = strangers(300).map((s) => (s.id === 's10' || s.id === 's20' ? { ...s, identifier: [...s.identifier!, licence('S99912345')] } : s));
  return [
    ...others,
    p,
    duplicateOf(p, 'd1', ['typo:given', 'moved']),
    duplicateOf(p, 'd2', ['nickname', 'new-phone', 'missing:ssn']),
    twinOf(p, 't1'),
    observation('o-p1', 'p1'),
    observation('o-d1a', 'd1'),
    observation('o-d1b', 'd1'),
    observation('o-t1', 't1'),
  ];
}

export async function load(store: ResourceStore, resources: (Resource & { id: string })[]): Promise<void> {
  await store.write(resources.map((resource) => ({ op: 'put' as const, resource })));
}
