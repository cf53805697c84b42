/**
 * A real client, fhir-kit-client, against the server on a loopback port: a search with `_include`,
 * `_revinclude` and `_summary` (#15 item 7, where such clients found the server wanting), and a read with
 * `_summary`.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'fhir-kit-client';
import type { Bundle } from 'fhir/r4.js';
import { makeTestApp, patient, type TestApp } from './test-app.js';

let t: TestApp;
let server: Server;
let client: Client;
beforeAll(async () => {
  t = await makeTestApp();
  server = createServer(t.app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  client = new Client({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir` });
  await t.store.update({ resourceType: 'Organization', id: 'org1', name: 'Clinic' } as never);
  await t.store.update({ ...patient('Rivera'), id: 'p1', maritalStatus: { text: 'married' }, managingOrganization: { reference: 'Organization/org1' } } as never);
  await t.store.update({ resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'weight' }, subject: { reference: 'Patient/p1' } } as never);
});
afterAll(async () => {
  server.close();
  await once(server, 'close');
  await t.close();
});

it('searches with _include, _revinclude and _summary: matches cut down, included resources whole, mode include', async () => {
  const bundle = (await client.search({
    resourceType: 'Patient',
    searchParams: { _id: 'p1', _include: 'Patient:organization', _revinclude: 'Observation:subject', _summary: 'true' },
  })) as unknown as Bundle;
  expect(bundle.total).toBe(1);
  const modes = (bundle.entry ?? []).map((e) => `${e.search?.mode}:${e.resource?.resourceType}/${e.resource?.id}`);
  expect(modes).toEqual(['match:Patient/p1', 'include:Organization/org1', 'include:Observation/o1']);
  const match = bundle.entry![0].resource as { maritalStatus?: unknown; meta: { tag: { code: string }[] } };
  expect(match.maritalStatus).toBeUndefined();
  expect(match.meta.tag.map((tag) => tag.code)).toContain('SUBSETTED');
});

it('reads with _summary', async () => {
  const read = (await client.request('Patient/p1?_summary=text')) as unknown as { name?: unknown; id: string };
  expect(read.id).toBe('p1');
  expect(read.name).toBeUndefined();
});

it('searches by POST to _search (a form body), within a compartment, and reads type-level history', async () => {
  const posted = (await client.search({ resourceType: 'Patient', searchParams: { family: 'Rivera' }, options: { postSearch: true } })) as unknown as Bundle;
  expect(posted.entry?.map((e) => e.resource?.id)).toEqual(['p1']);
  const inCompartment = (await client.compartmentSearch({ resourceType: 'Observation', compartment: { resourceType: 'Patient', id: 'p1' } })) as unknown as Bundle;
  expect(inCompartment.entry?.map((e) => e.resource?.id)).toEqual(['o1']);
  const history = (await client.history({ resourceType: 'Patient' })) as unknown as Bundle;
  expect(history).toMatchObject({ type: 'history', total: 1 });
});
