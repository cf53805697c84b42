/**
 * The databases of one MongoDB bench run: fresh names (so a run never touches the server's other data), the
 * stores opened on them, and their removal at the end, also when the run is stopped by Ctrl-C or SIGTERM (a run
 * on FerretDB takes minutes, and would otherwise leave its databases on a server that may be shared).
 */
import { type Db, MongoClient } from 'mongodb';
import { createMongoStore } from '../src/store/mongo/mongo-store.js';
import type { ResourceStore } from '../src/store/resource-store.js';

export interface MongoBenchRun {
  /** A client of the bench's own, for what is not the store's work (server name, baseline). */
  client: MongoClient;
  /** A store on a fresh database of this run, `name` telling them apart. */
  openStore(name: string): Promise<ResourceStore>;
  /** The database of `openStore(name)`, through the bench's client. */
  db(name: string): Db;
  /** Drops every database of the run, closes its stores and client, then calls `after`. */
  end(): Promise<void>;
}

export async function startMongoBenchRun(uri: string, after: () => void): Promise<MongoBenchRun> {
  // Names FerretDB accepts too: letters, digits and underscores, under 64 characters.
  const prefix = `medgen_bench_${process.pid}_${Date.now().toString(36)}`;
  const client = new MongoClient(uri, { appName: 'medgen-data-bench', serverSelectionTimeoutMS: 10_000 });
  const databases: string[] = [];
  const dbName = (name: string) => `${prefix}_${name}`;
  const stores: ResourceStore[] = [];
  const end = async () => {
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    // The stores first: a write still under way would otherwise create its database again after the drop.
    for (const store of stores) await store.close().catch(() => undefined);
    for (const name of databases) await client.db(name).dropDatabase().catch(() => undefined);
    await client.close();
    after();
  };
  const interrupted = (signal: NodeJS.Signals) => {
    process.stderr.write(`${signal}: dropping ${databases.join(', ') || 'nothing yet'}\n`);
    void end().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    await client.connect();
  } catch (err) {
    await end();
    throw err;
  }
  return {
    client,
    end,
    db: (name) => client.db(dbName(name)),
    async openStore(name) {
      databases.push(dbName(name));
      const store = await createMongoStore({ uri, dbName: dbName(name) });
      stores.push(store);
      return store;
    },
  };
}
