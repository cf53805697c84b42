/**
 * The store contract against a real MongoDB server, the final judge of the MongoDB store, when MONGODB_URI
 * is set. It uses its own database (`<MONGODB_DB or medgen>_contract_test`), since the contract clears the
 * store before every test. Without MONGODB_URI one test says plainly, in its name and on the console,
 * that MongoDB was skipped.
 * @see https://www.mongodb.com/docs/manual/reference/connection-string/
 */
import { createMongoStore } from '../../src/store/mongo/mongo-store.js';
import { runStoreContract } from './contract.js';

const uri = process.env.MONGODB_URI;
const SKIPPED = 'MongoDB contract skipped: MONGODB_URI is not set';

if (uri) {
  runStoreContract('mongo (server)', () => createMongoStore({ uri, dbName: `${process.env.MONGODB_DB ?? 'medgen'}_contract_test` }), async (store) => {
    await store.clear();
    await store.close();
  });
} else {
  test(SKIPPED, () => {
    console.warn(`${SKIPPED} (the MongoDB store ran through mingo only; set MONGODB_URI to test it against a server)`);
  });
}
