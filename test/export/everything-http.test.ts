/**
 * `GET Patient/{id}/$everything` over HTTP on a generated population: paging by `next` links, the compartment
 * closed over references, never another patient's resources (even when something of this patient references
 * them), `_type`, `_since`, `_count`, and the refusals. The tests that change the store come last.
 */
import request from 'supertest';
import type { Bundle, Resource } from 'fhir/r4.js';
import { compartmentPatients } from '../../src/export/patient-compartment.js';
import type { StoredResource } from '../../src/store/resource-store.js';
import { serverUri } from '../store/server-uri.js';
import { closeServers, dangling, keyOf, populate, server, type Json } from './export-fixture.js';

afterAll(closeServers, 60_000);

const SKIPPED = 'Patient/$everything on a MongoDB store skipped: MONGODB_URI is not set';
const backends: [string, string | undefined][] = [['SQLite', undefined]];
if (serverUri) backends.push(['MongoDB', serverUri]);
else test(SKIPPED, () => console.warn(`${SKIPPED} (set MONGODB_URI for npm test to run it against a server)`));

describe.each(backends)('Patient/$everything on %s', (_, uri) => {
  let s: Awaited<ReturnType<typeof server>>;
  let patients: string[];
  beforeAll(async () => {
    s = await server(uri);
    await populate(s.store);
    patients = (await s.store.search({ resourceType: 'Patient', criteria: [], sort: [], count: 100, offset: 0, summaryCount: false })).resources.map((p) => p.id).sort();
  }, 120_000);

  const get = (url: string, prefer?: string) => {
    const req = request(s.app).get(url).set('Accept', 'application/fhir+json');
    return prefer ? req.set('Prefer', prefer) : req;
  };

  /** Every page from `url` on, following `next`; each page checked as a searchset of matches. */
  async function everything(url: string): Promise<{ pages: Bundle[]; resources: Json[] }> {
    const pages: Bundle[] = [];
    for (let next: string | undefined = url; next !== undefined; ) {
      const res = await get(next);
      expect({ url: next, status: res.status }).toEqual({ url: next, status: 200 });
      const bundle = res.body as Bundle;
      expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: pages[0]?.total ?? expect.any(Number) });
      for (const e of bundle.entry ?? []) {
        expect(e.search?.mode).toBe('match');
        expect(e.fullUrl).toMatch(new RegExp(`/fhir/${e.resource!.resourceType}/${e.resource!.id}$`));
      }
      pages.push(bundle);
      if (pages.length > 500) throw new Error('next links do not end');
      const link = bundle.link?.find((l) => l.relation === 'next')?.url;
      next = link === undefined ? undefined : `${new URL(link).pathname}${new URL(link).search}`;
    }
    return { pages, resources: pages.flatMap((p) => (p.entry ?? []).map((e) => e.resource as unknown as Json)) };
  }

  const compartmentIds = async (patient: string, type: string) =>
    ((await get(`/fhir/Patient/${patient}/${type}?_count=1000`)).body as Bundle).entry?.map((e) => String(e.resource!.id)).sort() ?? [];
  const idsOf = (resources: Json[], type: string) => resources.filter((r) => r.resourceType === type).map((r) => String(r.id)).sort();
  const patientsOf = (r: Json) => compartmentPatients(r as unknown as Resource);

  it('pages through the Patient, its compartment and what that references, each once, closed over references, no other patient', async () => {
    const [a] = patients;
    const { pages, resources } = await everything(`/fhir/Patient/${a}/$everything?_count=37`);
    expect(pages.length).toBeGreaterThan(1);
    expect(new URL(pages[1].link!.find((l) => l.relation === 'self')!.url).searchParams.get('_offset')).toBe('37');
    expect(resources).toHaveLength(pages[0].total!);
    expect(new Set(resources.map(keyOf)).size).toBe(resources.length);
    expect(keyOf(resources[0])).toBe(`Patient/${a}`);
    expect(idsOf(resources, 'Encounter')).toEqual(await compartmentIds(a, 'Encounter'));
    expect(idsOf(resources, 'Observation')).toEqual(await compartmentIds(a, 'Observation'));
    expect(idsOf(resources, 'Encounter').length).toBeGreaterThan(0);
    expect(idsOf(resources, 'Practitioner').length).toBeGreaterThan(0);
    expect(idsOf(resources, 'Organization').length).toBeGreaterThan(0);
    expect(dangling(resources)).toEqual([]);
    for (const r of resources) expect({ r: keyOf(r), patients: patientsOf(r).filter((p) => p !== a) }).toEqual({ r: keyOf(r), patients: [] });
    const again = await everything(`/fhir/Patient/${a}/$everything?_count=1000`);
    expect(again.pages).toHaveLength(1);
    expect(again.resources.map(keyOf)).toEqual(resources.map(keyOf));
  }, 60_000);

  it('_type keeps those types of the whole set; _count=0 gives the total only', async () => {
    const [a] = patients;
    const { resources } = await everything(`/fhir/Patient/${a}/$everything?_type=Patient,Condition&_count=1000`);
    expect(new Set(resources.map((r) => r.resourceType))).toEqual(new Set(['Patient', 'Condition']));
    expect(idsOf(resources, 'Condition')).toEqual(await compartmentIds(a, 'Condition'));
    const whole = (await everything(`/fhir/Patient/${a}/$everything?_count=1000`)).resources;
    const practitioners = await everything(`/fhir/Patient/${a}/$everything?_type=Practitioner&_type=Organization`);
    expect(practitioners.resources.map(keyOf)).toEqual(whole.filter((r) => r.resourceType === 'Organization' || r.resourceType === 'Practitioner').map(keyOf));
    const counted = (await get(`/fhir/Patient/${a}/$everything?_count=0`)).body as Bundle;
    expect(counted.total).toBe(whole.length);
    expect(counted.entry).toBeUndefined();
    expect(counted.link?.map((l) => l.relation)).toEqual(['self']);
  }, 60_000);

  it('parameters it does not know are ignored and reported, or refused with Prefer: handling=strict', async () => {
    const [a] = patients;
    const lenient = (await get(`/fhir/Patient/${a}/$everything?_type=Patient&start=2020-01-01`)).body as Bundle;
    expect(lenient.total).toBe(1);
    const reported = lenient.entry!.find((e) => e.search?.mode === 'outcome')!.resource;
    expect(JSON.stringify(reported)).toContain('start');
    expect(lenient.link!.find((l) => l.relation === 'self')!.url).not.toContain('start');
    const strict = await get(`/fhir/Patient/${a}/$everything?start=2020-01-01`, 'handling=strict');
    expect(strict.status).toBe(400);
    expect(strict.body.issue[0].expression).toEqual(['start']);
  });

  it('refuses unknown and deleted patients, bad parameters, other methods and other targets', async () => {
    await s.store.update({ resourceType: 'Patient', id: 'gone-patient' } as Resource & { id: string });
    await s.store.delete('Patient', 'gone-patient');
    const refused = async (url: string, status: number, method: 'get' | 'post' = 'get') => {
      const res = method === 'get' ? await get(url) : await request(s.app).post(url).send({ resourceType: 'Parameters' });
      expect({ url, status: res.status, type: res.body.resourceType }).toEqual({ url, status, type: 'OperationOutcome' });
      return res.body.issue[0] as { diagnostics: string; expression?: string[] };
    };
    const [a] = patients;
    await refused('/fhir/Patient/nobody-here/$everything', 404);
    await refused('/fhir/Patient/gone-patient/$everything', 410);
    expect((await refused(`/fhir/Patient/${a}/$everything?_since=yesterday`, 400)).expression).toEqual(['_since']);
    expect((await refused(`/fhir/Patient/${a}/$everything?_since=2024-01-01`, 400)).expression).toEqual(['_since']);
    expect((await refused(`/fhir/Patient/${a}/$everything?_type=Patient,Nonsense`, 400)).expression).toEqual(['_type']);
    expect((await refused(`/fhir/Patient/${a}/$everything?_count=-1`, 400)).expression).toEqual(['_count']);
    expect((await refused(`/fhir/Patient/${a}/$everything?_count=many`, 400)).expression).toEqual(['_count']);
    expect((await refused(`/fhir/Patient/${a}/$everything?_count=5&_count=6`, 400)).expression).toEqual(['_count']);
    expect((await refused(`/fhir/Patient/${a}/$everything?_offset=x`, 400)).expression).toEqual(['_offset']);
    expect((await refused(`/fhir/Patient/${a}/$everything`, 400, 'post')).diagnostics).toMatch(/takes GET/);
    expect((await refused('/fhir/Patient/$everything', 400)).diagnostics).toMatch(/Patient instance/);
    expect((await refused('/fhir/Encounter/e1/$everything', 400)).diagnostics).toMatch(/Patient instance/);
  });

  it('_since: only what changed at or after the instant; in the future, nothing', async () => {
    const [a] = patients;
    const future = (await get(`/fhir/Patient/${a}/$everything?_since=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`)).body as Bundle;
    expect(future.total).toBe(0);
    expect(future.entry).toBeUndefined();
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const [id] = await compartmentIds(a, 'Observation');
    const observation = (await s.store.read('Observation', id)) as StoredResource & { status: string };
    await s.store.update({ ...observation, status: observation.status === 'amended' ? 'final' : 'amended' } as StoredResource);
    const changed = await everything(`/fhir/Patient/${a}/$everything?_since=${encodeURIComponent(since)}`);
    expect(changed.resources.map(keyOf)).toEqual([`Observation/${id}`]);
  });

  // R4's Patient compartment holds a Provenance by its `patient` parameter (a target that is a Patient), so one
  // whose targets are A and B is in both records. Its references into B's record, like A's Observation derived
  // from B's, are left dangling: B's resources are never part of A's everything.
  it('never adds another patient\'s resources, even when A\'s resources reference them', async () => {
    const [a, b] = patients;
    const [ownId] = await compartmentIds(a, 'Observation');
    const [otherId] = await compartmentIds(b, 'Observation');
    const own = await s.store.read('Observation', ownId);
    await s.store.update({ ...own, derivedFrom: [{ reference: `Observation/${otherId}` }] } as StoredResource);
    const practitioner = (await s.store.search({ resourceType: 'Practitioner', criteria: [], sort: [], count: 1, offset: 0, summaryCount: false })).resources[0];
    const provenance = {
      resourceType: 'Provenance',
      id: 'shared-provenance',
      target: [{ reference: `Patient/${a}` }, { reference: `Patient/${b}` }, { reference: `Observation/${otherId}` }],
      recorded: '2024-01-01T00:00:00Z',
      agent: [{ who: { reference: `Practitioner/${practitioner.id}` } }],
    };
    await s.store.update(provenance as Resource & { id: string });
    expect(patientsOf(provenance).sort()).toEqual([a, b].sort());

    const { resources } = await everything(`/fhir/Patient/${a}/$everything?_count=100`);
    const keys = resources.map(keyOf);
    expect(keys).toContain(`Observation/${ownId}`);
    expect(keys).toContain('Provenance/shared-provenance');
    expect(keys).toContain(`Practitioner/${practitioner.id}`);
    expect(keys).not.toContain(`Observation/${otherId}`);
    expect(keys).not.toContain(`Patient/${b}`);
    for (const r of resources) expect({ r: keyOf(r), own: patientsOf(r).length === 0 || patientsOf(r).includes(a) }).toEqual({ r: keyOf(r), own: true });
    expect(dangling(resources).sort()).toEqual([
      `Observation/${ownId} -> Observation/${otherId}`,
      `Provenance/shared-provenance -> Observation/${otherId}`,
      `Provenance/shared-provenance -> Patient/${b}`,
    ].sort());

    const ofB = (await everything(`/fhir/Patient/${b}/$everything?_count=1000`)).resources.map(keyOf);
    expect(ofB).toContain('Provenance/shared-provenance');
    expect(ofB).toContain(`Observation/${otherId}`);
    expect(ofB).not.toContain(`Patient/${a}`);
    expect(ofB).not.toContain(`Observation/${ownId}`);
  }, 60_000);
});
