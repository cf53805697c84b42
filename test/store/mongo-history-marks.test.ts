/**
 * History marks on MongoDB (history-marks.ts), on mingo: versions carry their write call's position, marks
 * wait for the calls open when they were taken, and documents from before positions (no `q`) are still read.
 */
import type { Patient } from 'fhir/r4.js';
import { HISTORY, type HistoryDoc } from '../../src/store/mongo/documents.js';
import { POSITIONS } from '../../src/store/mongo/history-marks.js';
import { createMongoStoreFromDatabase } from '../../src/store/mongo/mongo-store.js';
import type { HistoryStreamOptions, ResourceStore } from '../../src/store/resource-store.js';
import { collect } from './contract-helpers.js';
import { MingoDatabase } from './mingo-collection.js';

const patient = (id: string, family = 'Smith'): Patient & { id: string } => ({ resourceType: 'Patient', id, name: [{ family }] });

let db: MingoDatabase;
let store: ResourceStore;
beforeEach(async () => {
  db = new MingoDatabase({ transactions: false });
  store = await createMongoStoreFromDatabase(db, { markWaitMs: 200 });
});
afterEach(() => store.close());

const versions = async (options?: HistoryStreamOptions) => (await collect(store.streamHistory('Patient', options))).map((r) => `${r.id}/${r.versionId}`);
const position = (mark: string) => Number(mark.split(':')[1]);

test('each write call stores its versions with one position of its own; a mark comes after them', async () => {
  await store.write([{ op: 'create', resource: patient('a') }, { op: 'create', resource: patient('b') }]);
  await store.create(patient('c'));
  const mark = await store.markHistory();
  const qs = new Map(db.dump(HISTORY).map((d) => [d._id, (d as HistoryDoc).q]));
  expect(qs.get('Patient/a/v1')).toBe(qs.get('Patient/b/v1'));
  expect(qs.get('Patient/c/v1')).toBeGreaterThan(qs.get('Patient/a/v1') as number);
  expect(position(mark)).toBeGreaterThan(qs.get('Patient/c/v1') as number);
  // Every call closed: the counter holds no open call.
  expect(db.dump(POSITIONS)[0].open).toEqual({});
});

test('versions stored before positions (no q) are in every stream up to a mark, and in none after one', async () => {
  await store.create(patient('old'));
  const history = db.collection<HistoryDoc>(HISTORY);
  const stripped = db.dump(HISTORY).map(({ q: _q, ...doc }) => doc as HistoryDoc);
  await history.deleteMany({});
  await history.bulkWrite(stripped.map((document) => ({ insertOne: { document } })));
  const first = await store.markHistory();
  await store.create(patient('new'));
  const second = await store.markHistory();
  expect(await versions({ through: first })).toEqual(['old/1']);
  expect(await versions({ through: second })).toEqual(['new/1', 'old/1']);
  expect(await versions({ after: first, through: second })).toEqual(['new/1']);
  expect(await versions({ after: first })).toEqual(['new/1']);
});

test('without the counter, positions go on above the highest stored, in a new series that earlier marks do not bound', async () => {
  await store.create(patient('a'));
  const before = await store.markHistory();
  await db.collection(POSITIONS).deleteMany({});
  await store.create(patient('b'));
  const after = await store.markHistory();
  expect(after.split(':')[0]).not.toBe(before.split(':')[0]);
  expect(position(after)).toBeGreaterThan(position(before));
  // `before` is foreign now: it bounds nothing, so the stream holds every version.
  expect(await versions({ after: before, through: after })).toEqual(['a/1', 'b/1']);
});

test('a mark abandons a call that stays open past its wait; the call numbers its versions again after that mark', async () => {
  const counter = db.collection<{ _id: string; open: Record<string, 1> }>(POSITIONS);
  await store.create(patient('a'));
  // A call registered as open that never closes: its process died after taking its position.
  await counter.findOneAndUpdate({ _id: 'history' }, { $set: { 'open.dead': 1 } });
  const started = Date.now();
  const mark = await store.markHistory();
  expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  expect((await counter.findOne({ _id: 'history' }))?.open).toEqual({});
  expect(await versions({ through: mark })).toEqual(['a/1']);
});
