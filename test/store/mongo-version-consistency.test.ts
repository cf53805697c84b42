/**
 * Without transactions a write is two commands, resource then history, and anything may fail between them or
 * leave a stray behind. Whatever fails, every resource's versions stay readable and writable (apply-changes.ts,
 * stored-versions.ts), and clear() cut short leaves a store that works and that a second clear() finishes.
 */
import type { Patient, Resource } from 'fhir/r4.js';
import { createMongoStoreFromDatabase } from '../../src/store/mongo/mongo-store.js';
import type { ResourceStore } from '../../src/store/resource-store.js';
import { MingoDatabase, type MingoDatabaseOptions } from './mingo-collection.js';

const patient = (id: string, family: string): Resource & { id: string } => ({ resourceType: 'Patient', id, name: [{ family }] }) as Resource & { id: string };
const family = (r: Resource) => (r as Patient).name?.[0].family;
const lostConnection = () => Object.assign(new Error('connection closed'), { name: 'MongoNetworkError' });

async function open(options: MingoDatabaseOptions = {}): Promise<{ db: MingoDatabase; store: ResourceStore; options: MingoDatabaseOptions }> {
  const all = { transactions: false, ...options };
  const db = new MingoDatabase(all);
  return { db, store: await createMongoStoreFromDatabase(db), options: all };
}

describe('mongo store: versions stay consistent when a write stops between its two commands', () => {
  test('a current version whose history write never happened is still read, vread and listed, and the next write keeps it', async () => {
    const { db, store, options } = await open();
    await store.create(patient('a', 'One'));
    options.failCommand = (collection) => (collection === 'history' ? lostConnection() : null);
    await expect(store.update(patient('a', 'Two'))).rejects.toThrow(/connection closed/);
    options.failCommand = undefined;
    expect(db.dump('history').map((d) => d._id)).toEqual(['Patient/a/v1']);

    expect(family(await store.read('Patient', 'a'))).toBe('Two');
    expect(family(await store.vread('Patient', 'a', '2'))).toBe('Two');
    expect((await store.history('Patient', 'a')).map((v) => v.versionId)).toEqual(['2', '1']);

    await store.update(patient('a', 'Three'));
    expect(db.dump('history').map((d) => d._id).sort()).toEqual(['Patient/a/v1', 'Patient/a/v2', 'Patient/a/v3']);
    expect(family(await store.vread('Patient', 'a', '2'))).toBe('Two');
  });

  test.each([false, true])('a stray history document above the current version is no version, and does not block the next write (atomic: %s)', async (atomic) => {
    const { db, store, options } = await open();
    await store.create(patient('a', 'One'));
    // An atomic write that is undone leaves its history behind when the undo's delete cannot reach the server.
    options.failOp = (name, op) => (name === 'resources' && 'insertOne' in op && op.insertOne.document._id === 'Patient/b' ? 1 : null);
    options.failCommand = (collection, command) => (collection === 'history' && command === 'deleteMany' ? lostConnection() : null);
    await expect(store.write([{ op: 'put', resource: patient('a', 'Undone') }, { op: 'create', resource: patient('b', 'New') }], { atomic: true })).rejects.toBeTruthy();
    options.failOp = undefined;
    options.failCommand = undefined;
    expect(db.dump('history').map((d) => d._id)).toContain('Patient/a/v2');

    await expect(store.vread('Patient', 'a', '2')).rejects.toMatchObject({ status: 404 });
    expect((await store.history('Patient', 'a')).map((v) => v.versionId)).toEqual(['1']);
    const [{ status }] = await store.write([{ op: 'put', resource: patient('a', 'Two') }], { atomic });
    expect(status).toBe('updated');
    expect(family(await store.vread('Patient', 'a', '2'))).toBe('Two');
  });

  test('clear() cut short reports it; the store stays usable and a second clear() finishes', async () => {
    const { db, store, options } = await open();
    await store.create(patient('a', 'One'));
    await store.update(patient('a', 'Two'));
    options.failCommand = (collection, command) => (collection === 'history' && command === 'deleteMany' ? lostConnection() : null);
    await expect(store.clear()).rejects.toThrow(/stopped part-way.*run it again/);
    options.failCommand = undefined;
    expect(db.dump('resources')).toEqual([]);
    await expect(store.history('Patient', 'a')).rejects.toMatchObject({ status: 404 });

    const created = await store.create(patient('a', 'Again'));
    expect(created.meta.versionId).toBe('1');
    await store.update(patient('a', 'Again 2'));
    expect((await store.history('Patient', 'a')).map((v) => [v.versionId, family(v.resource as Resource)])).toEqual([['2', 'Again 2'], ['1', 'Again']]);
    await store.clear();
    expect([db.dump('resources'), db.dump('history')]).toEqual([[], []]);
  });
});
