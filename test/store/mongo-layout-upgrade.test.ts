/**
 * Documents an earlier release wrote (sort keys without the `has` presence marker) sort right once the store
 * opens the database again (layout-upgrade.ts), on mingo and, when MONGODB_URI is set, on the server.
 */
import type { Resource } from 'fhir/r4.js';
import { MongoClient } from 'mongodb';
import { parseSearchQuery } from '../../src/search/parse-query.js';
import { LAYOUT_RECORD } from '../../src/store/mongo/layout-upgrade.js';
import { createMongoStore, createMongoStoreFromDatabase } from '../../src/store/mongo/mongo-store.js';
import type { ResourceStore } from '../../src/store/resource-store.js';
import { skipped } from '../external-tool.js';
import { MingoDatabase } from './mingo-collection.js';
import { serverUri } from './server-uri.js';

const patients: Resource[] = [
  { resourceType: 'Patient', id: 'young', birthDate: '2001-01-01' },
  { resourceType: 'Patient', id: 'none' },
  { resourceType: 'Patient', id: 'old', birthDate: '1950-01-01' },
] as Resource[];

const sorted = async (store: ResourceStore, sort: string) =>
  (await store.search(parseSearchQuery('Patient', new URLSearchParams(`_sort=${sort}`), { strict: true }).query)).resources.map((r) => r.id);

/** What a database written by the earlier release holds: no marker, no layout record. */
interface OldLayout {
  open(): Promise<ResourceStore>;
  stripMarkers(): Promise<void>;
  end(): Promise<void>;
}

async function checkUpgrade(old: OldLayout): Promise<void> {
  let store = await old.open();
  await store.write(patients.map((resource) => ({ op: 'create' as const, resource })));
  await store.close();
  await old.stripMarkers();
  store = await old.open();
  try {
    expect(await sorted(store, 'birthdate')).toEqual(['old', 'young', 'none']);
    expect(await sorted(store, '-birthdate')).toEqual(['young', 'old', 'none']);
  } finally {
    await store.close();
    await old.end();
  }
}

test('mingo: sort keys without their presence marker are marked at open', async () => {
  const db = new MingoDatabase();
  await checkUpgrade({
    open: () => createMongoStoreFromDatabase(db),
    stripMarkers: async () => {
      const stripped = db.dump('resources').map((doc) => {
        for (const entry of Object.values(doc.srt as Record<string, { has?: 1 }>)) delete entry.has;
        return doc;
      });
      await db.collection('resources').bulkWrite(stripped.map((doc) => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc } })));
      await db.collection('system').deleteMany({ _id: LAYOUT_RECORD });
    },
    end: async () => undefined,
  });
});

const onServer = serverUri ? test : skipped('MONGODB_URI is not set (the layout upgrade ran on mingo only)');

onServer('server: sort keys without their presence marker are marked at open', async () => {
  const uri = serverUri as string;
  const dbName = `${process.env.MONGODB_DB ?? 'medgen'}_layout_test`;
  const client = await new MongoClient(uri).connect();
  await client.db(dbName).dropDatabase();
  await checkUpgrade({
    open: () => createMongoStore({ uri, dbName }),
    stripMarkers: async () => {
      await client.db(dbName).collection('resources').updateMany({}, { $unset: { 'srt.birthdate.has': '' } });
      await client.db(dbName).collection('system').deleteOne({ _id: LAYOUT_RECORD as never });
      const marked = await client.db(dbName).collection('resources').countDocuments({ 'srt.birthdate.has': 1 });
      expect(marked).toBe(0);
    },
    end: async () => {
      await client.db(dbName).dropDatabase();
      await client.close();
    },
  });
});
