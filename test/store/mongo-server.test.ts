/**
 * The store contract against a real server speaking MongoDB's wire protocol, the final judge of the MongoDB
 * store, when MONGODB_URI is set (.ci/run starts FerretDB and sets it). It uses its own database
 * (`<MONGODB_DB or medgen>_contract_test`), since the contract clears the store before every test. The run
 * says on the console which server it reached; without MONGODB_URI one test says plainly, in its name and on
 * the console, that the server run was skipped.
 * @see https://www.mongodb.com/docs/manual/reference/connection-string/
 */
import { MongoClient } from 'mongodb';
import { createMongoStore } from '../../src/store/mongo/mongo-store.js';
import { runStoreContract } from './contract.js';
import { serverUri } from './server-uri.js';

const uri = serverUri;
const SKIPPED = 'MongoDB contract skipped: MONGODB_URI is not set';

/** "MongoDB 7.0.x" or "FerretDB v1.24.2 (MongoDB 7.0.42 wire)", from the server's own buildInfo. */
async function serverName(address: string): Promise<string> {
  const client = await new MongoClient(address, { serverSelectionTimeoutMS: 10_000 }).connect();
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    return typeof info.ferretdbVersion === 'string' ? `FerretDB ${info.ferretdbVersion} (MongoDB ${info.version} wire)` : `MongoDB ${info.version}`;
  } finally {
    await client.close();
  }
}

if (uri) {
  beforeAll(async () => {
    console.log(`MongoDB contract over the wire: ${await serverName(uri)} at ${new URL(uri).host}`);
  });
  runStoreContract('mongo (server)', () => createMongoStore({ uri, dbName: `${process.env.MONGODB_DB ?? 'medgen'}_contract_test` }), async (store) => {
    await store.clear();
    await store.close();
  });
} else {
  test(SKIPPED, () => {
    console.warn(`${SKIPPED} (the MongoDB store ran through mingo only; set MONGODB_URI to test it against a server)`);
  });
}
