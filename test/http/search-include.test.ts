/**
 * `_include`, `_revinclude` (with `:iterate`, `:recurse`, `*` and a target type), over HTTP on SQLite:
 * included resources arrive once each with `search.mode = include`, paging counts matches only, and
 * unknown includes are noted (or a 400 under strict handling).
 */
import request from 'supertest';
import { MAX_INCLUDE_ROUNDS } from '../../src/fhir/rest/search-includes.js';
import { makeTestApp, patient, type TestApp } from './test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
  await t.store.update({ resourceType: 'Organization', id: 'org1', name: 'Clinic' } as never);
  await t.store.update({ ...patient('Rivera'), id: 'p1', managingOrganization: { reference: 'Organization/org1' } } as never);
  await t.store.update({ ...patient('Okafor'), id: 'p2' } as never);
  await t.store.update({ resourceType: 'Encounter', id: 'e1', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'Patient/p1' } } as never);
  for (const [id, subject] of [['o1', 'p1'], ['o2', 'p1'], ['o3', 'p2']]) {
    await t.store.update({
      resourceType: 'Observation',
      id,
      status: 'final',
      code: { text: 'weight' },
      subject: { reference: `Patient/${subject}` },
      ...(id === 'o1' ? { encounter: { reference: 'Encounter/e1' } } : {}),
    } as never);
  }
});
afterEach(() => t.close());

interface Entry {
  resource: { resourceType: string; id: string; issue?: { diagnostics: string; expression?: string[] }[] };
  search: { mode: string };
}

async function search(url: string, prefer?: string): Promise<{ status: number; body: { total: number; entry?: Entry[]; link: { relation: string; url: string }[] } }> {
  const req = request(t.app).get(url);
  return prefer ? req.set('Prefer', prefer) : req;
}

/** `mode:Type/id` of each entry, in Bundle order. */
const entries = (body: { entry?: Entry[] }) => (body.entry ?? []).map((e) => `${e.search.mode}:${e.resource.resourceType}/${e.resource.id}`);

describe('_include', () => {
  it('brings in the referenced resources once each, as include, after the matches', async () => {
    const res = await search('/fhir/Observation?_include=Observation:subject&_sort=_id');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(3);
    expect(entries(res.body)).toEqual(['match:Observation/o1', 'match:Observation/o2', 'match:Observation/o3', 'include:Patient/p1', 'include:Patient/p2']);
  });

  it('Type:param:Target keeps only references to that type; Type:* follows every reference', async () => {
    expect(entries((await search('/fhir/Observation?_id=o1&_include=Observation:subject:Group')).body)).toEqual(['match:Observation/o1']);
    expect(entries((await search('/fhir/Observation?_id=o1&_include=Observation:*')).body).sort()).toEqual(
      ['include:Encounter/e1', 'include:Patient/p1', 'match:Observation/o1'],
    );
    expect(entries((await search('/fhir/Observation?_id=o1&_include=Observation:*:Encounter')).body)).toEqual(['match:Observation/o1', 'include:Encounter/e1']);
  });

  it(':iterate (and :recurse) follows includes from included resources; without it they are not followed', async () => {
    const plain = await search('/fhir/Observation?_id=o1&_include=Observation:subject&_include=Patient:organization');
    expect(entries(plain.body)).toEqual(['match:Observation/o1', 'include:Patient/p1']);
    for (const modifier of ['iterate', 'recurse']) {
      const res = await search(`/fhir/Observation?_id=o1&_include=Observation:subject&_include:${modifier}=Patient:organization`);
      expect(entries(res.body)).toEqual(['match:Observation/o1', 'include:Patient/p1', 'include:Organization/org1']);
    }
  });

  it('pages the matches only, and each page brings in what its matches reference', async () => {
    const first = await search('/fhir/Observation?_include=Observation:subject&_sort=_id&_count=2');
    expect(first.body.total).toBe(3);
    expect(entries(first.body)).toEqual(['match:Observation/o1', 'match:Observation/o2', 'include:Patient/p1']);
    const next = first.body.link.find((l) => l.relation === 'next')!;
    expect(next.url).toContain('_include=Observation%3Asubject');
    const url = new URL(next.url);
    const second = await search(url.pathname + url.search);
    expect(entries(second.body)).toEqual(['match:Observation/o3', 'include:Patient/p2']);
  });

  it('does not repeat a match as an include', async () => {
    const res = await search('/fhir/Patient?_id=p1&_revinclude=Observation:subject&_include:iterate=Observation:subject');
    expect(entries(res.body)).toEqual(['match:Patient/p1', 'include:Observation/o1', 'include:Observation/o2']);
  });

  it('_summary=count gives only the total, whatever is included', async () => {
    const res = await search('/fhir/Observation?_include=Observation:subject&_summary=count');
    expect(res.body.total).toBe(3);
    expect(res.body.entry).toBeUndefined();
  });
});

it(`:iterate stops after ${MAX_INCLUDE_ROUNDS} rounds, saying so`, async () => {
  // A chain c0 → c1 → … longer than the rounds allow: round 0 reaches c1, each further round one more.
  const length = MAX_INCLUDE_ROUNDS + 3;
  for (let i = 0; i < length; i++) {
    await t.store.update({
      resourceType: 'Observation', id: `c${i}`, status: 'final', code: { text: 'panel' },
      ...(i + 1 < length ? { hasMember: [{ reference: `Observation/c${i + 1}` }] } : {}),
    } as never);
  }
  const res = await search('/fhir/Observation?_id=c0&_include:iterate=Observation:has-member');
  const included = entries(res.body).filter((e) => e.startsWith('include:'));
  expect(included).toEqual(Array.from({ length: MAX_INCLUDE_ROUNDS }, (_, i) => `include:Observation/c${i + 1}`));
  const note = res.body.entry!.at(-1)!;
  expect(note.search.mode).toBe('outcome');
  expect(note.resource.issue![0].diagnostics).toMatch(/stopped after/);
});

describe('_revinclude', () => {
  it('brings in the resources that reference the matches, by parameter or by *', async () => {
    const res = await search('/fhir/Patient?_id=p1&_revinclude=Observation:subject');
    expect(entries(res.body)).toEqual(['match:Patient/p1', 'include:Observation/o1', 'include:Observation/o2']);
    const any = await search('/fhir/Patient?_id=p1&_revinclude=Encounter:*');
    expect(entries(any.body)).toEqual(['match:Patient/p1', 'include:Encounter/e1']);
    const wrongTarget = await search('/fhir/Patient?_id=p1&_revinclude=Observation:subject:Group');
    expect(entries(wrongTarget.body)).toEqual(['match:Patient/p1']);
  });

  it('brings in a resource once however many matches it references, and never a match again', async () => {
    await t.store.update({ resourceType: 'Observation', id: 'panel', status: 'final', code: { text: 'panel' }, hasMember: [{ reference: 'Observation/o1' }, { reference: 'Observation/o2' }] } as never);
    const res = await search('/fhir/Observation?_id=o1,o2,panel&_sort=_id&_revinclude=Observation:has-member');
    expect(entries(res.body)).toEqual(['match:Observation/o1', 'match:Observation/o2', 'match:Observation/panel']);
    const members = await search('/fhir/Observation?_id=o1,o2&_sort=_id&_revinclude=Observation:has-member');
    expect(entries(members.body)).toEqual(['match:Observation/o1', 'match:Observation/o2', 'include:Observation/panel']);
  });

  it(':iterate goes on from what was brought in', async () => {
    const res = await search('/fhir/Organization?_revinclude=Patient:organization&_revinclude:iterate=Observation:subject');
    expect(entries(res.body)).toEqual(['match:Organization/org1', 'include:Patient/p1', 'include:Observation/o1', 'include:Observation/o2']);
  });
});

describe('unknown includes', () => {
  it.each([
    ['_include=Observation:nope', '_include'],
    ['_include=Observation:status', '_include'],
    ['_revinclude=Nope:subject', '_revinclude'],
    ['_include:deep=Observation:subject', '_include:deep'],
  ])('%s is ignored with a note, or a 400 under strict handling', async (qs, param) => {
    const res = await search(`/fhir/Observation?_id=o1&${qs}`);
    expect(res.status).toBe(200);
    expect(entries(res.body)).toEqual(['match:Observation/o1', 'outcome:OperationOutcome/undefined']);
    const note = res.body.entry!.at(-1)!.resource.issue![0];
    expect(note.expression).toEqual([param]);
    expect(res.body.link[0].url).not.toContain(param);
    const strict = await search(`/fhir/Observation?_id=o1&${qs}`, 'handling=strict');
    expect(strict.status).toBe(400);
    expect((strict.body as unknown as { issue: { expression: string[] }[] }).issue[0].expression).toEqual([param]);
  });
});

describe('CapabilityStatement', () => {
  it('lists per type the includes and revincludes the server follows, each one accepted under strict handling, and _summary/_elements', async () => {
    const res = await request(t.app).get('/fhir/metadata');
    const rest = res.body.rest[0];
    const byType = (type: string) => rest.resource.find((r: { type: string }) => r.type === type);
    const observation = byType('Observation');
    expect(observation.searchInclude).toEqual(expect.arrayContaining(['Observation:*', 'Observation:subject', 'Observation:encounter']));
    expect(byType('Patient').searchRevInclude).toEqual(expect.arrayContaining(['Observation:subject', 'Encounter:patient']));
    expect(byType('Patient').searchRevInclude).not.toContain('Observation:encounter');
    for (const include of observation.searchInclude) {
      expect((await search(`/fhir/Observation?_id=o1&_include=${include}`, 'handling=strict')).status).toBe(200);
    }
    for (const revinclude of byType('Encounter').searchRevInclude.slice(0, 20)) {
      expect((await search(`/fhir/Encounter?_revinclude=${revinclude}`, 'handling=strict')).status).toBe(200);
    }
    expect(rest.searchParam.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['_summary', '_elements']));
  });
});
