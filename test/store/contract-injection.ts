/**
 * Contract: values that look like SQL or MongoDB operators are stored and searched as plain strings.
 * Every backend must bind values, never splice them into its query language.
 */
import type { Patient } from 'fhir/r4.js';
import { MRN, patient } from '../fixtures/store-resources.js';
import type { StoreGetter } from './contract.js';
import { collect, criterion as c, idSet, query } from './contract-helpers.js';

const HOSTILE = ["'; DROP TABLE resources; --", '$where', '{"$ne":null}', '" OR 1=1 --', '%', '\\'];

export function injectionContract(get: StoreGetter): void {
  beforeEach(async () => {
    await get().write([
      { op: 'create', resource: patient('plain') },
      ...HOSTILE.map((value, i) => ({
        op: 'create' as const,
        resource: patient(`hostile-${i}`, { identifier: [{ system: MRN, value }], name: [{ family: value }] }),
      })),
    ]);
  });

  it('hostile values round-trip unchanged and leave the store working', async () => {
    for (const [i, value] of HOSTILE.entries()) {
      const stored = (await get().read('Patient', `hostile-${i}`)) as Patient;
      expect(stored.identifier?.[0].value).toBe(value);
      expect(stored.name?.[0].family).toBe(value);
    }
    expect((await collect(get().stream('Patient'))).length).toBe(HOSTILE.length + 1);
  });

  it('searching for a hostile value matches exactly the resource holding it', async () => {
    for (const [i, value] of HOSTILE.entries()) {
      expect(await idSet(get(), query('Patient', [c('identifier', 'token', { kind: 'token', system: MRN, value })]))).toEqual([`hostile-${i}`]);
      expect(await get().findByIdentifier('Patient', null, value)).toEqual([`hostile-${i}`]);
      expect(await get().findByIdentifiers([{ resourceType: 'Patient', system: MRN, value }, { resourceType: 'Patient', system: value, value }])).toEqual([[`hostile-${i}`], []]);
      // String values reach the store normalised (lower case) by the index and the query parser alike.
      const normalised = value.toLowerCase();
      expect(await idSet(get(), query('Patient', [c('family', 'string', { kind: 'string', value: normalised, match: 'exact' })]))).toEqual([`hostile-${i}`]);
    }
  });

  it('hostile values in every position of a query are inert', async () => {
    for (const value of HOSTILE) {
      const q = query(value, [
        c(value, 'token', { kind: 'token', system: value, value }),
        c('_id', '_id', { kind: 'token', value }),
      ], { sort: [{ param: value, type: 'string', descending: false }] });
      // A store may refuse a parameter name it cannot use (400) or run the query and match nothing.
      const outcome = await get().search(q).then((r) => r.total, (err: unknown) => err);
      if (typeof outcome === 'number') expect(outcome).toBe(0);
      else expect(outcome).toMatchObject({ status: 400 });
      expect((await get().search(query('Patient', [c('_id', '_id', { kind: 'token', value })]))).total).toBe(0);
      expect(await get().findByIdentifier(value, value, value)).toEqual([]);
      expect(await get().findByIdentifiers([{ resourceType: value, system: value, value }])).toEqual([[]]);
      expect(await get().referencesTo(value, value)).toEqual([]);
    }
    expect(await idSet(get(), query('Patient', [c('family', 'string', { kind: 'string', value: "'", match: 'contains' })]))).toEqual(['hostile-0']);
    expect((await get().search(query('Patient'))).total).toBe(HOSTILE.length + 1);
  });
}
