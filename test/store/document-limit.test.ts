/**
 * The stored size limit (document-limit.ts): its measure is never below the BSON size of the MongoDB
 * document it stands for, and both stores refuse the same oversized resource with the same 413 before
 * writing anything.
 */
import { randomUUID } from 'node:crypto';
import type { Resource } from 'fhir/r4.js';
import { calculateObjectSize } from 'bson';
import { computeIndex } from '../../src/search/index-resource.js';
import { MAX_DOCUMENT_BYTES, storedDocumentBytes } from '../../src/store/document-limit.js';
import type { BulkOp, MongoDoc } from '../../src/store/mongo/collection.js';
import { toResourceDoc } from '../../src/store/mongo/documents.js';
import { createMongoStoreFromDatabase } from '../../src/store/mongo/mongo-store.js';
import { stamp } from '../../src/store/resource-meta.js';
import type { ResourceStore, StoredResource } from '../../src/store/resource-store.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { officialExamples } from '../search/official-examples.js';
import { MingoDatabase } from './mingo-collection.js';

const LAST_UPDATED = Date.parse('2024-01-02T03:04:05.678Z');

/** The measure and the BSON size of the document the MongoDB store would write for `resource`. */
function sizes(resource: Resource, id = 'x-1'): { measured: number; bson: number } {
  const stored = stamp(resource, id, 12345, LAST_UPDATED);
  const entries = computeIndex(stored);
  const doc = toResourceDoc(stored.resourceType, id, 12345, stored.meta.lastUpdated, stored, entries, randomUUID());
  return { measured: storedDocumentBytes(doc.json as string, entries), bson: calculateObjectSize(doc) };
}

const basic = (id: string, text: string): Resource & { id: string } =>
  ({ resourceType: 'Basic', id, code: { text: 'blob' }, extension: [{ url: 'http://x.org/blob', valueString: text }] }) as Resource & { id: string };

describe('the measure bounds the MongoDB document from above', () => {
  test('for every official R4 example', () => {
    let worst = Infinity;
    for (const { file, resource } of officialExamples()) {
      const { measured, bson } = sizes(resource as Resource);
      if (measured < bson) throw new Error(`${file}: measured ${measured} < BSON ${bson}`);
      worst = Math.min(worst, measured - bson);
    }
    expect(worst).toBeGreaterThanOrEqual(0);
  });

  test('for resources of many, long, non-ASCII and lone-surrogate index values, on the exact (UTF-8) path too', () => {
    const names = (n: number, text: string) => Array.from({ length: n }, (_, i) => ({ family: `${text}${i}`, given: [text, `${i}`], text }));
    const cases: Resource[] = [
      { resourceType: 'Patient', name: names(2000, 'Ōno'), telecom: Array.from({ length: 500 }, (_, i) => ({ system: 'email', value: `${i}@x.org` })) } as Resource,
      { resourceType: 'Patient', name: [{ family: '漢'.repeat(700_000) }] } as Resource,
      { resourceType: 'Patient', name: [{ family: '\ud83d'.repeat(300_000), given: ['😀'.repeat(300_000)] }] } as Resource,
      { resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://x.org/'.repeat(100_000), code: 'c' }] }, subject: { reference: `http://x.org/${'p'.repeat(500_000)}` } } as Resource,
      basic('b', 'é'.repeat(6_000_000)),
    ];
    for (const resource of cases) {
      const { measured, bson } = sizes(resource);
      expect(measured).toBeGreaterThanOrEqual(bson);
    }
  });

  test('and stays close to it: 16,000,000 characters of text fit, as they fit a MongoDB document', () => {
    const { measured, bson } = sizes(basic('b', 'x'.repeat(16_000_000)));
    expect(bson).toBeLessThanOrEqual(MAX_DOCUMENT_BYTES);
    expect(measured).toBeLessThanOrEqual(MAX_DOCUMENT_BYTES);
  });
});

/** A MongoDB store over mingo, recording every bulk op it is asked to write. */
async function mongoStore(): Promise<{ store: ResourceStore; written: string[] }> {
  const written: string[] = [];
  const failOp = (collection: string, op: BulkOp<MongoDoc>) => {
    const doc = 'insertOne' in op ? op.insertOne.document : 'replaceOne' in op ? op.replaceOne.replacement : null;
    written.push(`${collection}:${String(doc?._id)}`);
    return null;
  };
  return { store: await createMongoStoreFromDatabase(new MingoDatabase({ failOp })), written };
}

describe.each([
  ['sqlite', async () => ({ store: createSqliteStore({ path: ':memory:' }) as ResourceStore, written: null as string[] | null })],
  ['mongo (mingo)', mongoStore],
])('%s store refuses a resource over 16 MiB with 413', (_kind, open) => {
  const big = basic('big', 'x'.repeat(17_000_000));
  let store: ResourceStore;
  let written: string[] | null;
  beforeEach(async () => {
    ({ store, written } = await open());
  });
  afterEach(() => store.close());

  const expectRefused = (error: unknown) =>
    expect(error).toMatchObject({ status: 413, outcome: { issue: [{ code: 'too-long', diagnostics: expect.stringMatching(/^Basic\/big is too large.*16 MiB \(16777216 bytes\)/) }] } });

  test('create and update reject, and nothing is written', async () => {
    await store.create(basic('small', 'ok'));
    const before = written?.length;
    expectRefused(await store.create(big).catch((err: unknown) => err));
    expectRefused(await store.update(big).catch((err: unknown) => err));
    expect(written?.length).toBe(before);
    await expect(store.read('Basic', 'big')).rejects.toMatchObject({ status: 404 });
  });

  test('a bulk write fails that op alone; an atomic one fails whole', async () => {
    const results = await store.write([{ op: 'put', resource: big }, { op: 'put', resource: basic('small', 'ok') }]);
    expect(results.map((r) => [r.status, r.error?.status])).toEqual([['failed', 413], ['created', undefined]]);
    if (written) expect(written.filter((w) => w.includes('Basic/big'))).toEqual([]);
    const atomic = store.write([{ op: 'put', resource: basic('other', 'ok') }, { op: 'put', resource: big }], { atomic: true });
    await expect(atomic).rejects.toMatchObject({ status: 413, index: 1 });
    await expect(store.read('Basic', 'other')).rejects.toMatchObject({ status: 404 });
  });

  test('just under the limit is stored', async () => {
    const fits = basic('fits', 'x'.repeat(16_000_000));
    const stored = await store.create(fits);
    expect(((await store.read('Basic', 'fits')) as StoredResource & { extension: { valueString: string }[] }).extension[0].valueString).toHaveLength(16_000_000);
    expect(stored.meta.versionId).toBe('1');
  });
});

test('sqlite restoreVersions refuses a version over 16 MiB with 413 and restores nothing', async () => {
  const store = createSqliteStore({ path: ':memory:' });
  const record = (id: string, text: string) => {
    const resource = stamp(basic(id, text), id, 1, LAST_UPDATED);
    return { resourceType: 'Basic', id, versionId: '1', lastUpdated: resource.meta.lastUpdated, deleted: false, json: JSON.stringify(resource) };
  };
  await expect(store.restoreVersions([record('small', 'ok'), record('big', 'x'.repeat(17_000_000))])).rejects.toMatchObject({ status: 413 });
  expect(await store.countByType()).toEqual({});
  await store.close();
});
