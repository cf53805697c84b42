/**
 * How many store lookups an import makes for conditions (ifNoneExist, conditional references): one per unit
 * for the identifiers not answered yet, and none for an identifier this import already resolved or
 * created. On a server where each lookup scans the collection (FerretDB v1) that is what an import costs.
 */
import type { Bundle, Encounter, Resource } from 'fhir/r4.js';
import { unitsOfDocument } from '../../src/import/bundle-units.js';
import { createImportContext } from '../../src/import/import-context.js';
import { runImport } from '../../src/import/run-import.js';
import { createLogger } from '../../src/logger.js';
import type { ResourceStore, TypedIdentifier } from '../../src/store/resource-store.js';
import { storeFixture, type StoreFixture } from './store-fixture.js';
import { NPI, SYNTHEA, patientBundle, supportBatch } from './synthea-like.js';

let f: StoreFixture;
beforeEach(() => {
  f = storeFixture();
});
afterEach(() => f.close());

/** The store, recording each identifier lookup as `Type xN` (N identifiers asked at once). */
function recording(store: ResourceStore): { store: ResourceStore; lookups: string[] } {
  const lookups: string[] = [];
  const wrapped = Object.create(store, {
    findByIdentifier: { value: (type: string, system: string | null, value: string) => (lookups.push(`${type} x1`), store.findByIdentifier(type, system, value)) },
    findByIdentifiers: {
      value: (identifiers: TypedIdentifier[]) => {
        const types = [...new Set(identifiers.map((i) => i.resourceType))].sort();
        lookups.push(types.map((t) => `${t} x${identifiers.filter((i) => i.resourceType === t).length}`).join(' + '));
        return store.findByIdentifiers(identifiers);
      },
    },
  }) as ResourceStore;
  return { store: wrapped, lookups };
}

const importDocs = (store: ResourceStore, docs: Bundle[]) =>
  runImport(createImportContext({ store, mode: 'strict', logger: createLogger('silent') }), docs.flatMap((d) => [...unitsOfDocument(structuredClone(d))]));

/** A support batch of `n` Practitioners and one Organization, each with its ifNoneExist. */
function largeSupportBatch(n: number): Bundle {
  const batch = supportBatch();
  for (let i = 2; i <= n; i++) {
    const value = `99999${String(i).padStart(5, '0')}`;
    batch.entry?.push({
      fullUrl: `urn:uuid:pr-${i}`,
      resource: { resourceType: 'Practitioner', id: `pr-${i}`, identifier: [{ system: NPI, value }], name: [{ family: `P${i}` }] } as Resource,
      request: { method: 'POST', url: 'Practitioner', ifNoneExist: `identifier=${NPI}|${value}` },
    });
  }
  return batch;
}

test('a unit asks the store once; what the import created or resolved is not asked again', async () => {
  const { store, lookups } = recording(f.store);
  const s = await importDocs(store, [largeSupportBatch(40), patientBundle(1), patientBundle(2)]);
  expect(s.failed).toBe(0);
  expect(s.created).toBe(41 + 8);
  expect(lookups).toEqual(['Organization x1 + Practitioner x40']);
});

test('a second import asks once per unit, and finds what is stored', async () => {
  await importDocs(f.store, [largeSupportBatch(40)]);
  const { store, lookups } = recording(f.store);
  const s = await importDocs(store, [largeSupportBatch(40), patientBundle(1)]);
  expect([s.created, s.unchanged, s.failed]).toEqual([4, 41, 0]);
  expect(lookups).toEqual(['Organization x1 + Practitioner x40']);
  expect(await f.store.countByType()).toMatchObject({ Practitioner: 40, Organization: 1 });
});

test('a conditional reference written another way (URL-encoded bar) shares the answer', async () => {
  const { store, lookups } = recording(f.store);
  const bundle = patientBundle(1);
  const encounter = bundle.entry?.[1].resource as Encounter;
  encounter.serviceProvider = { reference: `Organization?identifier=${encodeURIComponent(`${SYNTHEA}|org-1`)}` };
  const s = await importDocs(store, [supportBatch(), bundle]);
  expect(s.failed).toBe(0);
  expect(lookups).toEqual(['Organization x1 + Practitioner x1']);
});
