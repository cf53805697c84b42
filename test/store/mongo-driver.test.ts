/**
 * The driver adapter's own logic, on a stub client: how it detects transaction support from `hello`, and
 * that it runs a transaction through `withSession`/`withTransaction` only where the deployment has them.
 * Everything else in it is a pass-through, checked against a real server by mongo-server.test.ts.
 */
import type { MongoClient } from 'mongodb';
import { driverDatabase } from '../../src/store/mongo/driver-database.js';

function stubClient(hello: Record<string, unknown>) {
  const calls: string[] = [];
  const session = {
    withTransaction: async <R>(fn: () => Promise<R>) => {
      calls.push('withTransaction');
      return fn();
    },
  };
  const client = {
    db: () => ({
      admin: () => ({ command: async (cmd: Record<string, unknown>) => (calls.push(Object.keys(cmd)[0]), hello) }),
      collection: () => ({}),
    }),
    withSession: async <R>(fn: (s: typeof session) => Promise<R>) => {
      calls.push('withSession');
      return fn(session);
    },
    close: async () => {
      calls.push('close');
    },
  };
  return { client: client as unknown as MongoClient, calls };
}

describe('mongo driver adapter', () => {
  test.each([
    ['a replica set member (setName) has transactions', { isWritablePrimary: true, setName: 'rs0' }, true],
    ['mongos (msg: isdbgrid) has transactions', { isWritablePrimary: true, msg: 'isdbgrid' }, true],
    ['a standalone server has none', { isWritablePrimary: true }, false],
  ])('%s; hello is asked once', async (_what, hello, expected) => {
    const { client, calls } = stubClient(hello);
    const db = driverDatabase(client, 'medgen');
    expect(await db.transactional()).toBe(expected);
    expect(await db.transactional()).toBe(expected);
    expect(calls).toEqual(['hello']);
  });

  test('withTransaction uses a session transaction on a replica set, and runs directly on a standalone server', async () => {
    const rs = stubClient({ setName: 'rs0' });
    expect(await driverDatabase(rs.client, 'medgen').withTransaction(async () => 42)).toBe(42);
    expect(rs.calls).toEqual(['hello', 'withSession', 'withTransaction']);
    const standalone = stubClient({});
    expect(await driverDatabase(standalone.client, 'medgen').withTransaction(async () => 7)).toBe(7);
    expect(standalone.calls).toEqual(['hello']);
  });

  test('close() closes only a client the store owns', async () => {
    const owned = stubClient({});
    await driverDatabase(owned.client, 'medgen').close();
    expect(owned.calls).toEqual(['close']);
    const lent = stubClient({});
    await driverDatabase(lent.client, 'medgen', { ownsClient: false }).close();
    expect(lent.calls).toEqual([]);
  });
});
