/**
 * The store contract on the MongoDB store, through mingo instead of a server: the store's own filters,
 * sorts, pipelines and writes run in every test run. Twice: with transactions (a replica set) and without
 * (a standalone server, where atomic writes are compensated); and a third time as FerretDB v1 is: standalone,
 * without `$elemMatch`, so searches take the relaxed path of element-match.ts.
 */
import { createMongoStoreFromDatabase } from '../../src/store/mongo/mongo-store.js';
import { runStoreContract } from './contract.js';
import { MingoDatabase } from './mingo-collection.js';

runStoreContract('mongo (mingo, transactions)', () => createMongoStoreFromDatabase(new MingoDatabase()));
runStoreContract('mongo (mingo, standalone: no transactions)', () => createMongoStoreFromDatabase(new MingoDatabase({ transactions: false })));
runStoreContract('mongo (mingo, no transactions, no $elemMatch: as FerretDB v1)', () =>
  createMongoStoreFromDatabase(new MingoDatabase({ transactions: false, elemMatch: false }), { perElementMatch: false }),
);
