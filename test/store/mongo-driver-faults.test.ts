/**
 * How the driver adapter reports a bulk write or a `hello` that went wrong, on stub clients that throw the
 * driver's own error classes built the way the driver builds them (lib/bulk/common.js, executeCommands and
 * handleWriteError). Only an unordered bulk that ran every batch and names its failed ops may answer with
 * per-op failures; anything else must reach the caller as an error.
 * @see https://github.com/mongodb/node-mongodb-native/blob/main/src/bulk/common.ts
 */
import {
  type BulkWriteResult,
  type MongoClient,
  MongoBulkWriteError,
  type MongoError,
  MongoNetworkError,
  MongoServerError,
  type WriteConcernError,
  type WriteError,
} from 'mongodb';
import type { MongoDoc } from '../../src/store/mongo/collection.js';
import { driverDatabase } from '../../src/store/mongo/driver-database.js';

/** The driver's running bulk tally (BulkOperationBase's `s.bulkResult`). */
interface BulkTally {
  ok: number;
  writeErrors: WriteError[];
  writeConcernErrors: WriteConcernError[];
  insertedIds: { index: number; _id: unknown }[];
  nInserted: number;
  nUpserted: number;
  nMatched: number;
  nModified: number;
  nRemoved: number;
  upserted: { index: number; _id: unknown }[];
}

interface WriteErrorDoc {
  index: number;
  code: number;
  errmsg: string;
  op: unknown;
}

// The driver exports these classes' types only: it builds them itself. Loaded from its own module, they are
// the very classes MongoBulkWriteError checks against.
const driverBulk = (await import('mongodb/lib/bulk/common.js' as string)) as {
  BulkWriteResult: new (tally: BulkTally, isOrdered: boolean) => BulkWriteResult;
  WriteError: new (doc: WriteErrorDoc) => WriteError;
  WriteConcernError: new (doc: { code: number; errmsg: string }) => WriteConcernError;
};
const { BulkWriteResult: NewBulkWriteResult, WriteError: NewWriteError, WriteConcernError: NewWriteConcernError } = driverBulk;

function tally(part: Partial<BulkTally> = {}): BulkTally {
  return { ok: 1, writeErrors: [], writeConcernErrors: [], insertedIds: [], nInserted: 0, nUpserted: 0, nMatched: 0, nModified: 0, nRemoved: 0, upserted: [], ...part };
}

const duplicate = (index: number) => new NewWriteError({ index, code: 11000, errmsg: `E11000 duplicate key error (op ${index})`, op: {} });

/** What executeCommands throws when a batch's command fails outright (network, server, timeout). */
const cutShort = (cause: Error, t: BulkTally) => new MongoBulkWriteError(cause, new NewBulkWriteResult(t, false));

/** What handleWriteError throws once every batch of an unordered bulk has run and some ops failed. */
const endOfBulk = (t: BulkTally) =>
  new MongoBulkWriteError({ message: t.writeErrors[0].errmsg ?? 'write operation failed', code: t.writeErrors[0].code, writeErrors: t.writeErrors }, new NewBulkWriteResult(t, false));

/** A database whose one collection's bulkWrite rejects with `error`. */
function failingBulk(error: Error) {
  const client = {
    db: () => ({
      admin: () => ({ command: async () => ({}) }),
      collection: () => ({
        bulkWrite: async () => {
          throw error;
        },
      }),
    }),
  };
  return driverDatabase(client as unknown as MongoClient, 'medgen').collection<MongoDoc>('resources');
}

const ops = [{ insertOne: { document: { _id: 'Patient/a' } } }, { insertOne: { document: { _id: 'Patient/b' } } }, { deleteOne: { filter: { _id: 'Patient/c' } } }];

describe('mongo driver adapter: a bulk write that did not run to its end is an error, not a partial success', () => {
  test('a network error (writeErrors empty) rejects', async () => {
    const error = cutShort(new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed'), tally({ nInserted: 1 }));
    expect(error.writeErrors).toEqual([]);
    await expect(failingBulk(error).bulkWrite(ops)).rejects.toBe(error);
  });

  test('NotWritablePrimary from the server rejects', async () => {
    const cause = new MongoServerError({ ok: 0, errmsg: 'not primary', code: 10107, codeName: 'NotWritablePrimary' });
    const error = cutShort(cause, tally());
    await expect(failingBulk(error).bulkWrite(ops)).rejects.toBe(error);
  });

  test('a WriteConflict in a transaction rejects with its TransientTransactionError label kept, so withTransaction retries', async () => {
    const cause = new MongoServerError({ ok: 0, errmsg: 'WriteConflict error', code: 112, codeName: 'WriteConflict', errorLabels: ['TransientTransactionError'] });
    const error = cutShort(cause, tally());
    const rejection = await failingBulk(error).bulkWrite(ops).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(rejection).toBe(error);
    expect((rejection as MongoError).hasErrorLabel('TransientTransactionError')).toBe(true);
  });

  test('duplicate keys in an earlier batch and a network error in a later one reject (the later ops never ran)', async () => {
    const error = cutShort(new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed'), tally({ writeErrors: [duplicate(1)], nInserted: 1 }));
    expect(error.result.getWriteErrorCount()).toBe(1);
    await expect(failingBulk(error).bulkWrite(ops)).rejects.toBe(error);
  });

  test('a write concern error in a batch rejects, even next to duplicate keys of that batch', async () => {
    // executeCommands merges the batch's reply (its write errors and its write concern error) and throws at once.
    const wce = new NewWriteConcernError({ code: 64, errmsg: 'waiting for replication timed out' });
    const t = tally({ writeErrors: [duplicate(0)], writeConcernErrors: [wce], nInserted: 1 });
    const error = new MongoBulkWriteError({ message: wce.errmsg ?? '', code: wce.code ?? 64 }, new NewBulkWriteResult(t, false));
    await expect(failingBulk(error).bulkWrite(ops)).rejects.toBe(error);
  });

  test('a write concern error reported at the end of the bulk rejects', async () => {
    const wce = new NewWriteConcernError({ code: 64, errmsg: 'waiting for replication timed out' });
    const error = new MongoBulkWriteError(wce, new NewBulkWriteResult(tally({ writeConcernErrors: [wce], nInserted: 2 }), false));
    expect(error.err).toBe(wce);
    await expect(failingBulk(error).bulkWrite(ops)).rejects.toBe(error);
  });

  test('duplicate keys at the end of a bulk that ran every batch are per-op failures, with the counts of the rest', async () => {
    const error = endOfBulk(tally({ writeErrors: [duplicate(1)], nInserted: 1, nRemoved: 1 }));
    expect(await failingBulk(error).bulkWrite(ops)).toEqual({
      insertedCount: 1,
      matchedCount: 0,
      upsertedCount: 0,
      deletedCount: 1,
      failures: [{ index: 1, code: 11000, message: 'E11000 duplicate key error (op 1)' }],
    });
  });
});

describe('mongo driver adapter: hello', () => {
  test('a failed hello is asked again; the first answer is kept', async () => {
    let asked = 0;
    const client = {
      db: () => ({
        admin: () => ({
          command: async () => {
            asked += 1;
            if (asked === 1) throw new MongoNetworkError('connection 1 to 127.0.0.1:27017 closed');
            return { isWritablePrimary: true, setName: 'rs0' };
          },
        }),
      }),
    };
    const db = driverDatabase(client as unknown as MongoClient, 'medgen');
    await expect(db.transactional()).rejects.toThrow('closed');
    expect(await db.transactional()).toBe(true);
    expect(await db.transactional()).toBe(true);
    expect(asked).toBe(2);
  });
});
