/**
 * The store contract suite: every ResourceStore implementation runs these same tests (kysely-style
 * "one suite, every dialect"). It builds SearchQuery objects directly and uses only the ResourceStore API,
 * so it is neutral to the backend. Each test starts from an empty store (`clear()`).
 * @see ../../src/store/resource-store.ts
 */
import type { ResourceStore } from '../../src/store/resource-store.js';
import { changeContract } from './contract-changes.js';
import { crudContract } from './contract-crud.js';
import { includeContract } from './contract-includes.js';
import { indexContract } from './contract-indexes.js';
import { injectionContract } from './contract-injection.js';
import { maintenanceContract } from './contract-maintenance.js';
import { searchContract } from './contract-search.js';
import { searchPagingContract } from './contract-search-paging.js';
import { streamContract } from './contract-streams.js';
import { writeContract } from './contract-write.js';

export type StoreGetter = () => ResourceStore;

export function runStoreContract(
  name: string,
  makeStore: () => Promise<ResourceStore>,
  dispose: (store: ResourceStore) => Promise<void> = (store) => store.close(),
): void {
  describe(`ResourceStore contract: ${name}`, () => {
    let store: ResourceStore;
    beforeAll(async () => {
      store = await makeStore();
    });
    afterAll(async () => {
      if (store) await dispose(store);
    });
    beforeEach(async () => {
      await store.clear();
    });
    const get: StoreGetter = () => store;

    it('names its kind', () => {
      expect(typeof store.kind).toBe('string');
      expect(store.kind.length).toBeGreaterThan(0);
    });
    describe('read, create, update, delete, versions', () => crudContract(get));
    describe('bulk write', () => writeContract(get));
    describe('search', () => searchContract(get));
    describe('search paging, sort and totals', () => searchPagingContract(get));
    describe('identifier and reference indexes', () => indexContract(get));
    describe('_include and _revinclude', () => includeContract(get));
    describe('streams, counts and clear', () => streamContract(get));
    describe('injection safety', () => injectionContract(get));
    describe('backup, restore, leases and system documents', () => maintenanceContract(get));
    describe('the change feed (outbox)', () => changeContract(get));
  });
}
