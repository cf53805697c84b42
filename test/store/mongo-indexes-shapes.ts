/**
 * Test support for the index tests: a MongoDatabaseLike that records every call the store makes (with the
 * index catalog a server keeps, answering createIndex and dropIndex as MongoDB does), the store operations
 * whose queries are checked, and a checker saying which index serves a recorded read. The checker follows
 * MongoDB's planner in the small: an index's leading fields get point bounds from the query's equalities
 * (every equality must be among them), and the fields after them must be the sort, in its order or wholly
 * reversed, or the server sorts in memory. `_id` is MongoDB's own unique index.
 * @see https://www.mongodb.com/docs/manual/tutorial/equality-sort-range-guideline/
 * @see https://www.mongodb.com/docs/manual/tutorial/sort-results-with-indexes/
 */
import type { BulkOp, FindOptions, MongoCollectionLike, MongoDatabaseLike, MongoDoc, MongoFilter, MongoSort } from '../../src/store/mongo/collection.js';
import { type IndexDefinition, defaultIndexName } from '../../src/store/mongo/index-sync.js';
import type { ResourceStore } from '../../src/store/resource-store.js';
import { parseSearchQuery } from '../../src/search/parse-query.js';
import { MRN, US_CORE_PATIENT, condition, encounter, observation, organization, patient } from '../fixtures/store-resources.js';

/** The calls that select documents by a filter, which an index should serve (the updates: history-marks.ts). */
export type ReadOp = 'find' | 'findOne' | 'countDocuments' | 'aggregate' | 'updateMany' | 'findOneAndUpdate';
type Pipeline = Record<string, unknown>[];

type CallBody =
  | { op: ReadOp; filter: MongoFilter; options?: FindOptions; pipeline?: Pipeline }
  | { op: 'createIndex'; key: MongoSort; name?: string }
  | { op: 'dropIndex'; name: string }
  | { op: 'bulkWrite' | 'deleteMany' };

/** One call of the store, under the label of the operation that made it. */
export type RecordedCall = { label: string; collection: string } & CallBody;

/** An error as the server answers it (MongoServerError carries `code`). */
const serverError = (code: number, message: string): Error => Object.assign(new Error(message), { code });

/** The indexes of each collection, as a server keeps them: createIndex and dropIndex answer as MongoDB does. */
class IndexCatalog {
  private readonly byCollection = new Map<string, Map<string, MongoSort>>();

  of(collection: string): Map<string, MongoSort> {
    let indexes = this.byCollection.get(collection);
    if (!indexes) this.byCollection.set(collection, (indexes = new Map([['_id_', { _id: 1 }]])));
    return indexes;
  }

  /** @see https://www.mongodb.com/docs/manual/reference/method/db.collection.createIndex/#recreating-an-existing-index */
  create(collection: string, key: MongoSort, name: string): void {
    const indexes = this.of(collection);
    const sameKey = (k: MongoSort) => JSON.stringify(Object.entries(k)) === JSON.stringify(Object.entries(key));
    const existing = indexes.get(name);
    if (existing && !sameKey(existing)) throw serverError(86, `An existing index has the same name as the requested index: ${name}`);
    for (const [other, k] of indexes) if (other !== name && sameKey(k)) throw serverError(85, `Index already exists with a different name: ${other}`);
    indexes.set(name, key);
  }

  drop(collection: string, name: string): void {
    if (!this.byCollection.has(collection)) throw serverError(26, `ns not found: ${collection}`);
    if (!this.of(collection).delete(name)) throw serverError(27, `index not found with name [${name}]`);
  }
}

/** Records the calls of a database (its transactions' included) and keeps its index catalog. */
export class RecordingDatabase implements MongoDatabaseLike {
  constructor(
    private readonly inner: MongoDatabaseLike,
    private readonly shared = { calls: [] as RecordedCall[], catalog: new IndexCatalog(), label: '' },
  ) {}

  get calls(): RecordedCall[] {
    return this.shared.calls;
  }

  /** The label of the operation under way, stamped on each call. */
  get label(): string {
    return this.shared.label;
  }

  set label(label: string) {
    this.shared.label = label;
  }

  /** The names of a collection's indexes, `_id_` included. */
  indexNames(collection: string): string[] {
    return [...this.shared.catalog.of(collection).keys()].sort();
  }

  collection<T extends MongoDoc>(name: string): MongoCollectionLike<T> {
    const c = this.inner.collection<T>(name);
    const record = (call: CallBody): void => void this.calls.push({ label: this.label, collection: name, ...call });
    return {
      findOne: (filter, options) => (record({ op: 'findOne', filter, options }), c.findOne(filter, options)),
      find: (filter, options) => (record({ op: 'find', filter, options }), c.find(filter, options)),
      countDocuments: (filter) => (record({ op: 'countDocuments', filter }), c.countDocuments(filter)),
      aggregate: <R>(pipeline: Pipeline) => (record({ op: 'aggregate', filter: {}, pipeline }), c.aggregate<R>(pipeline)),
      bulkWrite: (ops: BulkOp<T>[]) => (record({ op: 'bulkWrite' }), c.bulkWrite(ops)),
      deleteMany: (filter) => (record({ op: 'deleteMany' }), c.deleteMany(filter)),
      updateMany: (filter, set) => (record({ op: 'updateMany', filter }), c.updateMany(filter, set)),
      findOneAndUpdate: (filter, update) => (record({ op: 'findOneAndUpdate', filter }), c.findOneAndUpdate(filter, update)),
      createIndex: async (key, options) => {
        record({ op: 'createIndex', key, name: options?.name });
        this.shared.catalog.create(name, key, options?.name ?? defaultIndexName(key));
        await c.createIndex(key, options);
      },
      dropIndex: async (index) => {
        record({ op: 'dropIndex', name: index });
        this.shared.catalog.drop(name, index);
        await c.dropIndex(index);
      },
    };
  }

  transactional(): Promise<boolean> {
    return this.inner.transactional();
  }

  withTransaction<R>(fn: (db: MongoDatabaseLike) => Promise<R>): Promise<R> {
    return this.inner.withTransaction((tx) => fn(new RecordingDatabase(tx, this.shared)));
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Enough Patients that streams read a second chunk (CHUNK_SIZE is 500), so the keyset queries are seen too. */
const MANY = 501;

const search = (store: ResourceStore, type: string, params: string) => store.search(parseSearchQuery(type, new URLSearchParams(params), { strict: true }).query);
const drain = async (it: AsyncIterable<unknown>): Promise<void> => {
  for await (const _ of it);
};
const SINCE = { since: '2000-01-01T00:00:00Z' };
let mark = '';

/** Each kind of read the store makes, under its label, after the writes (`write`) that give them something to find. */
const STEPS: [string, (store: ResourceStore) => Promise<unknown>][] = [
  ['write', (s) => s.write([organization('org-1'), patient('pat-1'), encounter('enc-1'), observation('obs-1'), condition('cond-1')].map((resource) => ({ op: 'create' as const, resource })))],
  ['write', (s) => s.write(Array.from({ length: MANY }, (_, i) => ({ op: 'create' as const, resource: { resourceType: 'Patient', id: `many-${i}` } })))],
  ['write', (s) => s.update({ ...patient('pat-1'), gender: 'other' } as Parameters<ResourceStore['update']>[0])],
  ['write', (s) => s.delete('Condition', 'cond-1')],
  ['read by id', (s) => s.read('Patient', 'pat-1')],
  ['vread', (s) => s.vread('Patient', 'pat-1', '1')],
  ['history of a resource', (s) => s.history('Patient', 'pat-1')],
  ['search by patient (patient=Patient/id)', (s) => search(s, 'Observation', 'patient=Patient/pat-1')],
  ['search by patient (subject=id)', (s) => search(s, 'Observation', 'subject=pat-1')],
  ['identifier lookup (system|value)', (s) => s.findByIdentifier('Patient', MRN, 'mrn-pat-1')],
  ['identifier lookup (value)', (s) => s.findByIdentifier('Patient', null, 'mrn-pat-1')],
  ['identifier lookups (many at once)', (s) => s.findByIdentifiers([{ resourceType: 'Patient', system: MRN, value: 'mrn-pat-1' }, { resourceType: 'Organization', system: null, value: 'mrn-pat-2' }])],
  ['references to a target', (s) => s.referencesTo('Patient', 'pat-1')],
  ['references from a resource', (s) => s.referencesFrom('Observation', 'obs-1')],
  ['stream', (s) => drain(s.stream('Patient'))],
  ['stream since', (s) => drain(s.stream('Patient', SINCE))],
  ['history stream', (s) => drain(s.streamHistory('Patient'))],
  ['history mark', async (s) => (mark = await s.markHistory())],
  ['history stream through a mark', (s) => drain(s.streamHistory('Patient', { through: mark }))],
  ['write', (s) => s.update({ ...patient('pat-1'), gender: 'female' } as Parameters<ResourceStore['update']>[0])],
  ['history stream after a mark', (s) => drain(s.streamHistory('Patient', { after: mark }))],
  ['type history', (s) => s.historyPage('Patient', { count: 10, offset: 0 })],
  ['type history since', (s) => s.historyPage('Patient', { since: 946_684_800_000, count: 10, offset: 0 })],
  ['system history', (s) => s.historyPage(null, { count: 10, offset: 5 })],
  ['system history since', (s) => s.historyPage(null, { since: 946_684_800_000, count: 10, offset: 0 })],
  ['count by type', (s) => s.countByType()],
  ['default-sorted search', (s) => search(s, 'Patient', '')],
  ['search by _id', (s) => search(s, 'Patient', '_id=pat-1')],
  ['search by _lastUpdated', (s) => search(s, 'Patient', '_lastUpdated=ge2000-01-01')],
  ['search by token', (s) => search(s, 'Observation', 'code=http://loinc.org|8302-2')],
  ['search by string', (s) => search(s, 'Patient', 'name=Smi')],
  ['search by date', (s) => search(s, 'Observation', 'date=ge2020-01-01')],
  ['search by quantity', (s) => search(s, 'Observation', 'value-quantity=gt100')],
  ['search by uri', (s) => search(s, 'Patient', `_profile=${US_CORE_PATIENT}`)],
];

/** The labels of the reads runStoreReads makes. */
export const READ_LABELS: string[] = STEPS.map(([label]) => label).filter((label) => label !== 'write');

/** Runs STEPS on a store opened on `db`, labelling the calls of each. */
export async function runStoreReads(store: ResourceStore, db: RecordingDatabase): Promise<void> {
  for (const [label, step] of STEPS) {
    db.label = label;
    await step(store);
  }
  db.label = '';
}

/** What a read asks of an index. */
export interface QueryShape {
  /** Fields compared for equality (a value, `$eq` or `$in`), `$elemMatch` entries as `array.field`. */
  equality: Set<string>;
  /** Those of them inside an `$elemMatch`. */
  elemMatch: Set<string>;
  /** Fields compared by a range (`$gt`, `$gte`, `$lt`, `$lte`) outside any `$elemMatch`. */
  range: Set<string>;
  sort: [string, 1 | -1][];
  /** Fields a covered aggregation needs from the index (those its `$group` reads). */
  needs: string[];
}

const isOperators = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).some((k) => k.startsWith('$'));

/** Equalities of a filter; `$or` and `$nor` give no bound every match shares, so they add none. */
function addFilter(shape: QueryShape, filter: MongoFilter, prefix = '', inElement = false): void {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and') for (const part of value as MongoFilter[]) addFilter(shape, part, prefix, inElement);
    else if (key.startsWith('$')) continue;
    else if (isOperators(value)) {
      if ('$elemMatch' in value) addFilter(shape, value.$elemMatch as MongoFilter, `${prefix}${key}.`, true);
      else if ('$eq' in value || '$in' in value) add(shape, prefix + key, inElement);
      else if (!inElement && ['$gt', '$gte', '$lt', '$lte'].some((op) => op in value)) shape.range.add(prefix + key);
    } else add(shape, prefix + key, inElement);
  }
}

function add(shape: QueryShape, field: string, inElement: boolean): void {
  shape.equality.add(field);
  if (inElement) shape.elemMatch.add(field);
}

/** The shape of a recorded read; an aggregation's index part is its leading `$match`, `$sort` and `$group`. */
export function queryShape(call: RecordedCall & { op: ReadOp }): QueryShape {
  const shape: QueryShape = { equality: new Set(), elemMatch: new Set(), range: new Set(), sort: [], needs: [] };
  const stages = [...(call.pipeline ?? [])];
  const match = stages[0] && '$match' in stages[0] ? (stages.shift()?.$match as MongoFilter) : call.filter;
  const sort = stages[0] && '$sort' in stages[0] ? (stages.shift()?.$sort as MongoSort) : call.options?.sort;
  const group = stages[0] && '$group' in stages[0] ? stages[0].$group : undefined;
  // Field paths are the `"$field"` values; `"$sum":` and the like are operators.
  if (group) shape.needs = [...JSON.stringify(group).matchAll(/"\$([A-Za-z_][\w.]*)"(?!:)/g)].map((m) => m[1]);
  addFilter(shape, match);
  shape.sort = Object.entries(sort ?? {});
  return shape;
}

/** MongoDB's own `_id` index, unique, on every collection. */
export const ID_INDEX: IndexDefinition & { unique: true } = { collection: '*', name: '_id_', key: { _id: 1 }, unique: true };

/** Whether `index` serves `shape` (see the file comment); `unique` indexes serve any query bounding all their fields. */
export function serves(index: IndexDefinition & { unique?: boolean }, shape: QueryShape): boolean {
  const keys = Object.entries(index.key);
  let bounded = 0;
  while (bounded < keys.length && shape.equality.has(keys[bounded][0])) bounded++;
  if (index.unique && bounded === keys.length) return true;
  const prefix = keys.slice(0, bounded).map(([field]) => field);
  if ([...shape.equality].some((field) => !prefix.includes(field))) return false;
  if (!shape.needs.every((field) => keys.some(([k]) => k === field))) return false;
  const sort = shape.sort.filter(([field]) => !shape.equality.has(field));
  // Matches inside an array are read and sorted in memory (mongo-indexes.ts says why): their bounds suffice.
  // A range on the field after the equalities bounds the scan too (a count by `lu` reads only index keys).
  if (sort.length === 0 || prefix.some((field) => shape.elemMatch.has(field))) return bounded > 0 || shape.needs.length > 0 || shape.range.has(keys[bounded]?.[0]);
  const next = keys.slice(bounded, bounded + sort.length);
  if (next.length < sort.length || next.some(([field], i) => field !== sort[i][0])) return false;
  return next.every(([, dir], i) => dir === sort[i][1]) || next.every(([, dir], i) => dir === -sort[i][1]);
}

/** The name of an index among `indexes` (plus `_id_`) that serves the read, or null. */
export function servingIndex(call: RecordedCall & { op: ReadOp }, indexes: IndexDefinition[]): string | null {
  const shape = queryShape(call);
  const candidates = [ID_INDEX, ...indexes.filter((i) => i.collection === call.collection)];
  return candidates.find((index) => serves(index, shape))?.name ?? null;
}

export const isRead = (call: RecordedCall): call is RecordedCall & { op: ReadOp } =>
  call.op === 'find' || call.op === 'findOne' || call.op === 'countDocuments' || call.op === 'aggregate' || call.op === 'updateMany' || call.op === 'findOneAndUpdate';
