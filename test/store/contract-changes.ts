/** Contract: the outbox (changes, lastChange): every version one change, in commit order, numbers never reused. */
import type { Observation, Patient } from 'fhir/r4.js';
import { observation, organization, patient } from '../fixtures/store-resources.js';
import type { ChangeEvent, ResourceStore } from '../../src/store/resource-store.js';
import type { StoreGetter } from './contract.js';
import { expectOutcome } from './contract-helpers.js';

const label = (c: ChangeEvent) => `${c.resourceType}/${c.id}/${c.versionId}${c.deleted ? ' deleted' : ''}`;

/** Every change after `since`, page by page of `limit`, as a reader following `through` gets them. */
async function readAll(store: ResourceStore, since: number, limit: number, types?: string[]): Promise<{ changes: ChangeEvent[]; through: number }> {
  const changes: ChangeEvent[] = [];
  let cursor = since;
  for (;;) {
    const page = await store.changes(cursor, { limit, types });
    expect(page.through).toBeGreaterThanOrEqual(cursor);
    changes.push(...page.changes);
    if (!page.more) return { changes, through: page.through };
    expect(page.through).toBeGreaterThan(cursor);
    cursor = page.through;
  }
}

export function changeContract(get: StoreGetter): void {
  it('gives every version written after a number once, in commit order, with its content', async () => {
    const start = await get().lastChange();
    await get().create(patient('pat-1'));
    await get().write([
      { op: 'create', resource: organization('org-1') },
      { op: 'create', resource: observation('obs-1', 'pat-1') },
    ]);
    await get().update({ ...patient('pat-1'), gender: 'male' } as Patient & { id: string });
    await get().delete('Organization', 'org-1');
    // Unchanged content and a failed write are no changes.
    await get().update({ ...patient('pat-1'), gender: 'male' } as Patient & { id: string });
    await get().write([{ op: 'create', resource: patient('pat-1') }]);
    const { changes, through } = await readAll(get(), start, 2);
    expect(changes.map(label)).toEqual(['Patient/pat-1/1', 'Organization/org-1/1', 'Observation/obs-1/1', 'Patient/pat-1/2', 'Organization/org-1/2 deleted']);
    const seqs = changes.map((c) => c.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs[0]).toBeGreaterThan(start);
    expect(through).toBeGreaterThanOrEqual(seqs[seqs.length - 1]);
    expect(JSON.parse(changes[3].json as string)).toMatchObject({ resourceType: 'Patient', id: 'pat-1', gender: 'male', meta: { versionId: '2' } });
    expect(changes[4].json).toBeNull();
    expect(await get().lastChange()).toBeGreaterThanOrEqual(seqs[seqs.length - 1]);
    // Nothing new: an empty page that keeps the reader where it is or moves it on.
    const idle = await get().changes(through, { limit: 10 });
    expect(idle.changes).toEqual([]);
    expect(idle.through).toBeGreaterThanOrEqual(through);
    // Read again from the same number: the same changes with the same numbers.
    expect((await readAll(get(), start, 100)).changes).toEqual(changes);
  });

  it('filters by type without skipping what it leaves out for the next reader', async () => {
    const start = await get().lastChange();
    for (let i = 0; i < 5; i++) {
      await get().create(patient(`p-${i}`));
      await get().create(observation(`o-${i}`, `p-${i}`));
    }
    const observations = await readAll(get(), start, 2, ['Observation']);
    expect(observations.changes.map(label)).toEqual([0, 1, 2, 3, 4].map((i) => `Observation/o-${i}/1`));
    const after = await get().changes(observations.through, { limit: 10 });
    expect(after.changes).toEqual([]);
    await get().create(patient('p-late'));
    expect((await get().changes(observations.through, { limit: 10 })).changes.map(label)).toEqual(['Patient/p-late/1']);
  });

  it('filters a common type and a rare one alike (the embedded store reads them by different plans)', async () => {
    const start = await get().lastChange();
    const ops = Array.from({ length: 80 }, (_, i) => ({ op: 'put' as const, resource: observation(`o-many-${i}`, i % 2 ? 'pat-odd' : 'pat-even') as Observation & { id: string } }));
    await get().write(ops.slice(0, 40));
    await get().create(patient('p-rare-1'));
    await get().write(ops.slice(40));
    await get().delete('Patient', 'p-rare-1');
    const observations = await readAll(get(), start, 30, ['Observation']);
    expect(observations.changes.map(label)).toEqual(ops.map((o) => `Observation/${o.resource.id}/1`));
    expect((await readAll(get(), start, 30, ['Patient'])).changes.map(label)).toEqual(['Patient/p-rare-1/1', 'Patient/p-rare-1/2 deleted']);
    const both = await readAll(get(), start, 7, ['Patient', 'Observation']);
    expect(both.changes.map(label)).toEqual([...observations.changes.slice(0, 40).map(label), 'Patient/p-rare-1/1', ...observations.changes.slice(40).map(label), 'Patient/p-rare-1/2 deleted']);
    const odd = await get().changes(start, { limit: 100, types: ['Observation'], containing: ['Patient/pat-odd'] });
    expect(odd.changes.map((c) => c.id)).toEqual(ops.filter((_, i) => i % 2).map((o) => o.resource.id));
  });

  it('keeps only changes whose JSON contains every text asked for, and no deletion', async () => {
    const start = await get().lastChange();
    await get().create(observation('o-a', 'pat-a'));
    await get().create(observation('o-b', 'pat-b'));
    await get().create(observation('o-c', 'pat-a'));
    await get().delete('Observation', 'o-a');
    const page = await get().changes(start, { limit: 10, types: ['Observation'], containing: ['Patient/pat-a', 'Body Height'] });
    expect(page.changes.map(label)).toEqual(['Observation/o-a/1', 'Observation/o-c/1']);
    expect((await get().changes(start, { limit: 10, containing: ['Patient/pat-a', 'no such text'] })).changes).toEqual([]);
    // Text with characters regular expressions and LIKE patterns give meaning to is looked for as it is.
    expect((await get().changes(start, { limit: 10, containing: ['.*'] })).changes).toEqual([]);
    expect((await get().changes(start, { limit: 10, containing: ['%'] })).changes).toEqual([]);
    expect((await get().changes(start, { limit: 10, containing: ['Body_Height'] })).changes).toEqual([]);
    // Case counts, as it does in the JSON.
    expect((await get().changes(start, { limit: 10, containing: ['body height'] })).changes).toEqual([]);
  });

  it('looks for a long text too (longer than a LIKE pattern may be on the embedded store: 50,000)', async () => {
    const start = await get().lastChange();
    const text = 'long '.repeat(12_000);
    await get().create({ ...observation('o-long', 'pat-a'), note: [{ text }] } as Observation);
    await get().create(observation('o-short', 'pat-a'));
    expect((await get().changes(start, { limit: 10, containing: [text] })).changes.map(label)).toEqual(['Observation/o-long/1']);
    expect((await get().changes(start, { limit: 10, containing: [`${text}!`] })).changes).toEqual([]);
  });

  it('numbers go on after clear(): a reader never sees a number twice', async () => {
    await get().create(patient('before'));
    const last = await get().lastChange();
    await get().clear();
    expect(await get().lastChange()).toBeGreaterThanOrEqual(last);
    await get().create(patient('after'));
    const { changes } = await readAll(get(), last, 10);
    expect(changes.map(label)).toEqual(['Patient/after/1']);
    expect(changes[0].seq).toBeGreaterThan(last);
  });

  it('refuses a malformed number or limit with 400', async () => {
    await expectOutcome(get().changes(-1, { limit: 10 }), 400, 'whole number');
    await expectOutcome(get().changes(1.5, { limit: 10 }), 400, 'whole number');
    await expectOutcome(get().changes(0, { limit: 0 }), 400, 'limit');
    await expectOutcome(get().changes(0, { limit: 1, containing: [''] }), 400, 'texts');
  });
}
