/** Contract: search totals, _count/offset paging, _sort, the default order and _summary=count. */
import { observation } from '../fixtures/store-resources.js';
import type { StoreGetter } from './contract.js';
import { criterion, ids, query, tick } from './contract-helpers.js';

const N = 25;
const pad = (i: number) => String(i).padStart(2, '0');

export function searchPagingContract(get: StoreGetter): void {
  beforeEach(async () => {
    // Dates and values go down as ids go up, so each sort order is distinguishable from id order.
    await get().write(
      Array.from({ length: N }, (_, i) => ({
        op: 'create' as const,
        resource: observation(`obs-${pad(i)}`, 'pat-1', `2020-01-${pad(N + 1 - i)}T10:00:00Z`, 200 - i),
      })),
    );
  });
  const all = Array.from({ length: N }, (_, i) => `obs-${pad(i)}`);

  it('count and offset page through a stable order; total counts every match', async () => {
    const pages: string[][] = [];
    for (let offset = 0; offset < N; offset += 10) {
      const result = await get().search(query('Observation', [], { count: 10, offset }));
      expect(result.total).toBe(N);
      pages.push(result.resources.map((r) => r.id));
    }
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual(all);
  });

  it('the default order is _lastUpdated, then id', async () => {
    await tick();
    await get().update({ ...observation('obs-00'), status: 'amended' } as never);
    const order = await ids(get(), query('Observation'));
    expect(order[order.length - 1]).toBe('obs-00');
    expect(order.slice(0, -1)).toEqual(all.slice(1));
  });

  it('total reflects the criteria, not the page', async () => {
    const q = query('Observation', [criterion('value-quantity', 'quantity', { kind: 'number', prefix: 'ge', lo: 190, hi: 190 })], { count: 3 });
    const result = await get().search(q);
    expect(result.total).toBe(11);
    expect(result.resources).toHaveLength(3);
  });

  it('_summary=count and count 0 give only the total', async () => {
    expect(await get().search(query('Observation', [], { summaryCount: true }))).toEqual({ resources: [], total: N });
    expect(await get().search(query('Observation', [], { count: 0 }))).toEqual({ resources: [], total: N });
    expect(await get().search(query('Patient', [], { summaryCount: true }))).toEqual({ resources: [], total: 0 });
  });

  it('sorts by _id, by a date parameter and by a quantity, both directions', async () => {
    const sorted = (param: string, type: 'date' | 'quantity' | '_id', descending: boolean) =>
      ids(get(), query('Observation', [], { sort: [{ param, type, descending }] }));
    expect(await sorted('_id', '_id', true)).toEqual([...all].reverse());
    expect(await sorted('date', 'date', false)).toEqual([...all].reverse());
    expect(await sorted('date', 'date', true)).toEqual(all);
    expect(await sorted('value-quantity', 'quantity', false)).toEqual([...all].reverse());
    expect(await sorted('value-quantity', 'quantity', true)).toEqual(all);
  });

  it('sort combines with criteria and paging', async () => {
    const q = query('Observation', [criterion('value-quantity', 'quantity', { kind: 'number', prefix: 'lt', lo: 190, hi: 190 })], {
      sort: [{ param: 'date', type: 'date', descending: false }],
      count: 5,
      offset: 5,
    });
    const result = await get().search(q);
    expect(result.total).toBe(14);
    expect(result.resources.map((r) => r.id)).toEqual(['obs-19', 'obs-18', 'obs-17', 'obs-16', 'obs-15']);
  });

  it('resources without a value for the sort parameter come last', async () => {
    const { effectiveDateTime: _drop, ...noDate } = observation('obs-nodate');
    await get().create(noDate);
    for (const descending of [false, true]) {
      const order = await ids(get(), query('Observation', [], { sort: [{ param: 'date', type: 'date', descending }] }));
      expect(order[order.length - 1]).toBe('obs-nodate');
    }
  });
}
