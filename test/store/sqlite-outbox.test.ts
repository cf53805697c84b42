/**
 * The embedded store's outbox: its change feed reads a bounded range of numbers per call (change-feed.ts), so a
 * reader of a rare type gets short pages that are not the end (`more` says to read on, and reading on finds what
 * is there); and a write's `follow` ops share its transaction, so one that fails leaves no change at all.
 */
import type { Organization, Patient } from 'fhir/r4.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

it('a rare type behind 25,000 other changes: short pages with `more`, then the change', async () => {
  const store = createSqliteStore({ path: ':memory:' });
  try {
    const since = await store.lastChange();
    for (let batch = 0; batch < 5; batch++) {
      await store.write(Array.from({ length: 5000 }, (_, i) => ({ op: 'create' as const, resource: { resourceType: 'Patient', id: `p-${batch}-${i}` } as Patient })));
    }
    const org = await store.create({ resourceType: 'Organization', name: 'Rare' } as Organization);
    const pages = [];
    for (let cursor = since; ; ) {
      const page = await store.changes(cursor, { limit: 10, types: ['Organization'] });
      pages.push(page);
      expect(page.through).toBeGreaterThan(cursor);
      if (!page.more) break;
      cursor = page.through;
    }
    expect(pages.length).toBe(2);
    expect(pages[0]).toMatchObject({ changes: [], more: true });
    expect(pages[1].changes.map((c) => c.id)).toEqual([org.id]);
    expect(pages[1].through).toBe(await store.lastChange());
  } finally {
    await store.close();
  }
});

it('a follow op that fails rolls the whole write back, its own ops included', async () => {
  const store = createSqliteStore({ path: ':memory:' });
  try {
    await store.create({ resourceType: 'Organization', id: 'taken', name: 'Taken' } as Organization);
    const before = await store.lastChange();
    const follow = (): { op: 'create'; resource: Organization }[] => [{ op: 'create', resource: { resourceType: 'Organization', id: 'taken', name: 'Again' } }];
    await expect(store.write([{ op: 'create', resource: { resourceType: 'Patient', id: 'p-rolled-back' } as Patient }], { follow })).rejects.toMatchObject({ status: 409 });
    await expect(store.read('Patient', 'p-rolled-back')).rejects.toMatchObject({ status: 404 });
    expect(await store.lastChange()).toBe(before);
  } finally {
    await store.close();
  }
});
