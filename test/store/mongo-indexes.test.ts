/**
 * The MongoDB store's indexes serve every query it issues: the reads of each store operation are recorded
 * (over mingo, so this runs everywhere) and each must find an index whose leading fields bound all of its
 * equalities and whose next fields give its sort (mongo-indexes-shapes.ts). Each index must serve some read
 * that no other one does, so none is kept for nothing and none can go unnoticed.
 * mongo-indexes-explain.test.ts asks a real MongoDB for the same reads' plans.
 */
import { STORE_INDEXES } from '../../src/store/mongo/mongo-indexes.js';
import { createMongoStoreFromDatabase } from '../../src/store/mongo/mongo-store.js';
import { MingoDatabase } from './mingo-collection.js';
import { READ_LABELS, type RecordedCall, RecordingDatabase, type ReadOp, isRead, queryShape, runStoreReads, serves, servingIndex } from './mongo-indexes-shapes.js';

let reads: (RecordedCall & { op: ReadOp })[] = [];

beforeAll(async () => {
  const db = new RecordingDatabase(new MingoDatabase());
  const store = await createMongoStoreFromDatabase(db);
  await runStoreReads(store, db);
  reads = db.calls.filter(isRead);
}, 60_000);

const describeRead = (c: RecordedCall & { op: ReadOp }): string => {
  const shape = queryShape(c);
  return `${c.collection}.${c.op} ${JSON.stringify(c.pipeline ?? c.filter)} sort ${JSON.stringify(shape.sort)}`;
};

test.each(READ_LABELS)('%s: every read it makes is served by an index', (label) => {
  const mine = reads.filter((c) => c.label === label);
  expect(mine.length).toBeGreaterThan(0);
  const unserved = mine.filter((c) => servingIndex(c, STORE_INDEXES) === null).map(describeRead);
  expect(unserved).toEqual([]);
});

/** The layout upgrade's pass over every document, once per deployment (layout-upgrade.ts): a scan by nature. */
const isLayoutPass = (c: RecordedCall) => c.op === 'find' && Object.keys(c.filter).length === 0 && c.options?.projection?.srt === 1;

test('the reads of writes and of opening the store are served by an index too (but the one-time layout pass)', () => {
  const mine = reads.filter((c) => (c.label === 'write' || c.label === '') && !isLayoutPass(c));
  expect(mine.length).toBeGreaterThan(0);
  expect(mine.filter((c) => servingIndex(c, STORE_INDEXES) === null).map(describeRead)).toEqual([]);
});

test('streams read a second chunk, so their keyset queries are among those checked', () => {
  expect(reads.filter((c) => c.label === 'stream').length).toBeGreaterThan(1);
  expect(reads.filter((c) => c.label === 'history stream through a mark').length).toBeGreaterThan(1);
});

test.each(STORE_INDEXES.map((i) => [i.name, i] as const))('without %s some read is left without an index', (_name, index) => {
  const others = STORE_INDEXES.filter((i) => i !== index);
  const orphaned = reads.filter((c) => servingIndex(c, others) === null);
  expect(orphaned.map(describeRead)).not.toEqual([]);
});

test('index names are unique per collection', () => {
  const names = STORE_INDEXES.map((i) => `${i.collection}.${i.name}`);
  expect(new Set(names).size).toBe(names.length);
});

test('the checker: equalities bound first, then the sort in order or reversed; entries of an array sort in memory', () => {
  const shape = (filter: Record<string, unknown>, sort = {}, pipeline?: Record<string, unknown>[]) =>
    queryShape(pipeline ? { label: '', collection: 'c', op: 'aggregate', filter, pipeline } : { label: '', collection: 'c', op: 'find', filter, options: { sort } });
  const index = (key: Record<string, 1 | -1>) => ({ collection: 'c', name: 'i', key });
  expect(serves(index({ a: 1, b: 1, s: 1 }), shape({ b: 'x', a: 1 }, { s: -1 }))).toBe(true);
  expect(serves(index({ a: 1, s: 1 }), shape({ a: 1, b: 'x' }, { s: 1 }))).toBe(false);
  expect(serves(index({ a: 1, b: 1, s: 1 }), shape({ a: 1 }, { s: 1 }))).toBe(false);
  expect(serves(index({ a: 1, s: 1, t: 1 }), shape({ a: 1 }, { s: 1, t: -1 }))).toBe(false);
  expect(serves(index({ a: 1, 'e.c': 1 }), shape({ a: 1, e: { $elemMatch: { c: 'x', v: { $gt: 1 } } } }, { s: 1 }))).toBe(true);
  expect(serves(index({ d: 1, a: 1 }), shape({}, {}, [{ $match: { d: false } }, { $group: { _id: '$a', n: { $sum: 1 } } }]))).toBe(true);
  expect(serves(index({ d: 1 }), shape({}, {}, [{ $match: { d: false } }, { $group: { _id: '$a', n: { $sum: 1 } } }]))).toBe(false);
});
