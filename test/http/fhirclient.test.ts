/**
 * SMART's fhirclient (the library SMART apps are built on) against the server on a loopback port, in Node: a
 * patient-bound client reads its patient, pages a search to the end, resolves references client-side, and
 * creates; an invalid create is refused with the OperationOutcome (#15). The browser side, cross-origin with
 * CORS, is test/e2e/fhirclient-browser.test.ts.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import smart from 'fhirclient';
import type { Observation, OperationOutcome, Patient } from 'fhir/r4.js';
import { makeTestApp, patient, type TestApp } from './test-app.js';

let t: TestApp;
let server: Server;
let client: ReturnType<ReturnType<typeof smart>['client']>;
beforeAll(async () => {
  t = await makeTestApp();
  server = createServer(t.app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  await t.store.update({ ...patient('Rivera'), id: 'p1' } as never);
  for (let i = 0; i < 5; i++) {
    await t.store.update({ resourceType: 'Observation', id: `o${i}`, status: 'final', code: { text: 'weight' }, subject: { reference: 'Patient/p1' } } as never);
  }
  // fhirclient's Node adapter reads the app's own request only for launches and redirects; a client for a
  // known server and patient needs neither.
  const request = { headers: { host: '127.0.0.1' }, url: '/', method: 'GET' } as unknown as IncomingMessage;
  const serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
  client = smart(request, {} as ServerResponse).client({ serverUrl, tokenResponse: { patient: 'p1' } });
});
afterAll(async () => {
  server.close();
  await once(server, 'close');
  await t.close();
});

it('reads the context patient and searches its compartment', async () => {
  expect(((await client.patient.read()) as Patient).name?.[0].family).toBe('Rivera');
  expect(await client.patient.request('Observation')).toMatchObject({ resourceType: 'Bundle', total: 5 });
});

it('follows next links to the last page and resolves subject references', async () => {
  const all = (await client.request('Observation?patient=p1&_count=2&_sort=_id', { pageLimit: 0, flat: true, resolveReferences: ['subject'] })) as Observation[];
  expect(all.map((o) => o.id)).toEqual(['o0', 'o1', 'o2', 'o3', 'o4']);
  expect(all[4].subject).toMatchObject({ resourceType: 'Patient', id: 'p1' });
});

it('creates, and an invalid create fails with the OperationOutcome and stores nothing', async () => {
  const created = (await client.create({ resourceType: 'Observation', status: 'final', code: { text: 'height' }, subject: { reference: 'Patient/p1' } })) as Observation;
  expect(((await t.store.read('Observation', created.id as string)) as Observation).code.text).toBe('height');
  const before = await t.store.countByType();
  const failure = (await client.create({ resourceType: 'Observation', status: 'not-a-status' }).catch((e: unknown) => e)) as { status: number; message: string };
  expect(failure.status).toBe(400);
  const body = JSON.parse(failure.message.slice(failure.message.indexOf('{'))) as OperationOutcome;
  expect(body.resourceType).toBe('OperationOutcome');
  expect(body.issue.some((i) => i.expression?.some((e) => e.startsWith('Observation.')))).toBe(true);
  expect(await t.store.countByType()).toEqual(before);
});
