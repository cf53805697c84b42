/**
 * Asks MongoDB itself how it runs the store's reads: each read recorded while the store works
 * (mongo-indexes-shapes.ts) is explained (`queryPlanner`) and its winning plan must read through an index
 * (IXSCAN, DISTINCT_SCAN, COUNT_SCAN, IDHACK, or their EXPRESS_ forms) and never scan the collection; countByType
 * must read index keys only (no FETCH). It runs when MONGODB_URI names MongoDB proper, in its own database
 * (`<MONGODB_DB or medgen>_indexes_test`, dropped before and after). FerretDB is skipped, saying why: its v1
 * SQLite backend uses no secondary index (it pushes down only `_id` filters), so every plan there is a scan.
 * The plan reading itself is checked on canned explain output, so it runs everywhere.
 * @see https://www.mongodb.com/docs/manual/reference/explain-results/
 * @see https://mongodb.github.io/node-mongodb-native/7.0/classes/FindCursor.html#explain
 */
import { type Db, type Document, MongoClient } from 'mongodb';
import { driverDatabase } from '../../src/store/mongo/driver-database.js';
import { createMongoStoreFromDatabase } from '../../src/store/mongo/mongo-store.js';
import { READ_LABELS, type ReadOp, type RecordedCall, RecordingDatabase, isRead, runStoreReads } from './mongo-indexes-shapes.js';
import { serverUri } from './server-uri.js';

/** The stage names of every winning plan in an explain answer (aggregations nest theirs under `$cursor`). */
export function winningStages(explain: unknown): string[] {
  const stages: string[] = [];
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(collect);
    else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.stage === 'string') stages.push(record.stage);
      for (const [key, value] of Object.entries(record)) if (key !== 'slotBasedPlan') collect(value);
    }
  };
  const find = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(find);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'winningPlan') collect(value);
        else if (key !== 'rejectedPlans') find(value);
      }
    }
  };
  find(explain);
  return stages;
}

const INDEX_STAGE = /IXSCAN|DISTINCT_SCAN|COUNT_SCAN|IDHACK/;

/** Why a plan does not read through an index, or null when it does. */
function planProblem(stages: string[], covered: boolean): string | null {
  if (stages.includes('COLLSCAN')) return 'scans the collection';
  if (!stages.some((s) => INDEX_STAGE.test(s))) return 'reads through no index';
  if (covered && stages.includes('FETCH')) return 'reads documents, not index keys only';
  return null;
}

describe('winningStages reads explain output', () => {
  it('a find plan, a classic aggregation and a slot-based one', () => {
    const find = { queryPlanner: { winningPlan: { stage: 'LIMIT', inputStage: { stage: 'FETCH', inputStage: { stage: 'IXSCAN', indexName: 'deleted_type_id_lu' } } }, rejectedPlans: [{ stage: 'COLLSCAN' }] } };
    expect(winningStages(find)).toEqual(['LIMIT', 'FETCH', 'IXSCAN']);
    const aggregate = { stages: [{ $cursor: { queryPlanner: { winningPlan: { stage: 'PROJECTION_COVERED', inputStage: { stage: 'IXSCAN' } } } } }, { $group: {} }] };
    expect(winningStages(aggregate)).toEqual(['PROJECTION_COVERED', 'IXSCAN']);
    const sbe = { queryPlanner: { winningPlan: { queryPlan: { stage: 'GROUP', inputStage: { stage: 'COLLSCAN' } }, slotBasedPlan: { stages: '[1] scan' } } } };
    expect(winningStages(sbe)).toEqual(['GROUP', 'COLLSCAN']);
    expect(planProblem(winningStages(sbe), false)).toBe('scans the collection');
    expect(planProblem(winningStages(aggregate), true)).toBeNull();
    expect(planProblem(winningStages(find), true)).toBe('reads documents, not index keys only');
    expect(planProblem(['EXPRESS_IXSCAN'], false)).toBeNull();
  });
});

/** The server's explain of a recorded read, asked as the driver sends that read. */
function explain(db: Db, call: RecordedCall & { op: ReadOp }): Promise<Document> {
  const collection = db.collection(call.collection);
  switch (call.op) {
    case 'find':
      return collection.find(call.filter, call.options).explain('queryPlanner');
    case 'findOne':
      return collection.find(call.filter, { ...call.options, limit: 1 }).explain('queryPlanner');
    case 'countDocuments':
      return collection.aggregate([{ $match: call.filter }, { $group: { _id: 1, n: { $sum: 1 } } }]).explain('queryPlanner');
    case 'aggregate':
      return collection.aggregate(call.pipeline ?? []).explain('queryPlanner');
    case 'updateMany':
      // An explained update is planned, not run.
      return db.command({ explain: { update: call.collection, updates: [{ q: call.filter, u: { $set: { q: 0 } }, multi: true }] }, verbosity: 'queryPlanner' });
    case 'findOneAndUpdate':
      return db.command({ explain: { findAndModify: call.collection, query: call.filter, update: { $inc: { position: 0 } } }, verbosity: 'queryPlanner' });
  }
}

type Server = { name: string; ferretdb: boolean };

async function serverOf(client: MongoClient): Promise<Server> {
  const info = await client.db('admin').command({ buildInfo: 1 });
  return typeof info.ferretdbVersion === 'string' ? { name: `FerretDB ${info.ferretdbVersion}`, ferretdb: true } : { name: `MongoDB ${info.version}`, ferretdb: false };
}

const uri = serverUri;
const server = uri ? await (async () => {
  const client = await new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 }).connect();
  try {
    return await serverOf(client);
  } finally {
    await client.close();
  }
})() : null;

if (!uri || !server) {
  test('index plans skipped: MONGODB_URI is not set (mongo-indexes.test.ts checked the indexes against the queries without a server)', () => {
    console.warn('MongoDB index plans skipped: MONGODB_URI is not set');
  });
} else if (server.ferretdb) {
  test(`index plans skipped: ${server.name} is not MongoDB (FerretDB v1's SQLite backend uses no secondary indexes, so every plan is a scan)`, () => {
    console.warn(`MongoDB index plans skipped on ${server.name}`);
  });
} else {
  describe(`index plans on ${server.name}`, () => {
    const dbName = `${process.env.MONGODB_DB ?? 'medgen'}_indexes_test`;
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
    let reads: (RecordedCall & { op: ReadOp })[] = [];

    beforeAll(async () => {
      await client.connect();
      await client.db(dbName).dropDatabase();
      const db = new RecordingDatabase(driverDatabase(client, dbName, { ownsClient: false }));
      const store = await createMongoStoreFromDatabase(db, { perElementMatch: true });
      await runStoreReads(store, db);
      reads = db.calls.filter(isRead);
    }, 120_000);

    afterAll(async () => {
      await client.db(dbName).dropDatabase();
      await client.close();
    });

    test.each(READ_LABELS)('%s reads through an index', async (label) => {
      const mine = reads.filter((c) => c.label === label);
      expect(mine.length).toBeGreaterThan(0);
      const problems: string[] = [];
      for (const call of mine) {
        const stages = winningStages(await explain(client.db(dbName), call));
        const problem = planProblem(stages, label === 'count by type');
        if (problem) problems.push(`${call.collection}.${call.op} ${JSON.stringify(call.pipeline ?? call.filter)} ${problem}: ${stages.join(' <- ')}`);
      }
      expect(problems).toEqual([]);
    });
  });
}
