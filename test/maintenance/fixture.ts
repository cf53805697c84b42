/** A real SQLite store in a temporary data directory, the deps maintenance tasks take, and a history dump. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Patient, Resource } from 'fhir/r4.js';
import { createLogger } from '../../src/logger.js';
import { typesWithHistory } from '../../src/maintenance/backup-types.js';
import type { MaintenanceDeps } from '../../src/maintenance/maintenance-deps.js';
import { SQLITE_FILE } from '../../src/store/open-store.js';
import type { ResourceStore } from '../../src/store/resource-store.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

export interface Fixture {
  dir: string;
  store: ResourceStore;
  deps: MaintenanceDeps;
  close(): Promise<void>;
}

export function fixture(now?: () => number): Fixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-maint-'));
  return fixtureIn(dir, createSqliteStore({ path: path.join(dir, SQLITE_FILE), now }));
}

/** As fixture(), over the store `open` makes for the new temporary data directory. */
export async function fixtureOf(open: (dir: string) => ResourceStore | Promise<ResourceStore>): Promise<Fixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-maint-'));
  return fixtureIn(dir, await open(dir));
}

function fixtureIn(dir: string, store: ResourceStore): Fixture {
  const config = { dataDir: dir, mongodbUri: undefined, mongodbDb: 'medgen' };
  return {
    dir,
    store,
    deps: { store, config, logger: createLogger('silent') },
    close: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** JSON with object keys sorted, so equal content compares equal whatever the key order. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Every version of every resource (tombstones included), canonical, in a stable order. */
export async function dumpHistory(store: ResourceStore): Promise<string[]> {
  const out: string[] = [];
  for (const type of await typesWithHistory(store)) for await (const v of store.streamHistory(type)) out.push(canonical(v));
  return out;
}

export const patient = (id: string, family: string, extra: Partial<Patient> = {}): Resource & { id: string } =>
  ({ resourceType: 'Patient', id, name: [{ family, given: ['Ann'] }], gender: 'female', birthDate: '1980-01-02', ...extra }) as Resource & { id: string };

export const observation = (id: string, patientId: string): Resource & { id: string } =>
  ({ resourceType: 'Observation', id, status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] }, subject: { reference: `Patient/${patientId}` } }) as Resource & { id: string };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
