/**
 * Subscription delivery end to end over a real SQLite store, the real app and a real loopback receiver: every
 * matching change and nothing else, in each payload content; signed; retried with growing gaps while the
 * receiver fails, the failure shown in the Subscription and $status, writes not slowed meanwhile; everything
 * delivered once the receiver is back; dropped past the horizon; heartbeats; $events replays.
 */
import request from 'supertest';
import type { Bundle, Observation, Parameters, Subscription } from 'fhir/r4.js';
import { verifySignature } from '../../src/events/signature.js';
import type { SubscriptionState } from '../../src/events/subscription-state.js';
import { eventsOf, notificationType, startReceiver, statusOf, waitFor, type Receiver } from './receiver.js';
import { heartbeat, SECRET, subscription, subscriptionApp, type SubscriptionApp } from './subscription-app.js';

const FHIR_JSON = 'application/fhir+json';

const observation = (patient: string, value: number): Observation => ({
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
  subject: { reference: `Patient/${patient}` },
  valueQuantity: { value, unit: '/min' },
});

/** Focus references of every event a receiver got, in order. */
const focuses = (r: Receiver) => r.received.flatMap((n) => eventsOf(n.bundle).map((e) => e.focus));
const numbers = (r: Receiver) => r.received.flatMap((n) => eventsOf(n.bundle).map((e) => e.number));

describe('subscription delivery (SQLite)', () => {
  let s: SubscriptionApp;
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    s = await subscriptionApp();
  });
  afterAll(async () => {
    await s.close();
    for (const r of receivers) await r.stop();
  });

  const receiver = async () => {
    const r = await startReceiver();
    receivers.push(r);
    return r;
  };
  const post = (path: string, body: unknown) => request(s.app).post(`/fhir/${path}`).set('Content-Type', FHIR_JSON).send(JSON.stringify(body));
  const put = (path: string, body: unknown) => request(s.app).put(`/fhir/${path}`).set('Content-Type', FHIR_JSON).send(JSON.stringify(body));
  const subscribe = async (body: Subscription) => {
    const res = await post('Subscription', body);
    expect(res.status).toBe(201);
    return res.body as Subscription & { id: string };
  };
  const state = (id: string) => s.store.getSystem<SubscriptionState>(`subscription:${id}`);

  it('Observation?patient=X: every matching change of a few hundred writes, none of the others, in each payload content', async () => {
    const [full, ids, empty] = [await receiver(), await receiver(), await receiver()];
    await put('Patient/x', { resourceType: 'Patient', id: 'x' });
    await put('Patient/y', { resourceType: 'Patient', id: 'y' });
    const criteria = 'Observation?patient=Patient/x';
    await subscribe(subscription(criteria, full.url, 'full-resource'));
    await subscribe(subscription(criteria, ids.url, 'id-only'));
    await subscribe(subscription(criteria, empty.url));
    const expected: string[] = [];
    const kept: { id: string; patient: string }[] = [];
    for (let i = 0; i < 240; i++) {
      const patient = i % 3 === 0 ? 'x' : 'y';
      const res = await post('Observation', observation(patient, i));
      expect(res.status).toBe(201);
      if (patient === 'x') expected.push(`Observation/${res.body.id}/_history/1`);
      if (i % 20 === 0) kept.push({ id: res.body.id, patient });
    }
    for (const { id, patient } of kept) {
      const res = await put(`Observation/${id}`, { ...observation(patient, -1), id });
      if (patient === 'x') expected.push(`Observation/${id}/_history/2`);
    }
    // A transaction notifies once per page: its matches arrive together.
    const batch = await post('', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: Array.from({ length: 30 }, (_, i) => ({ resource: observation(i % 2 ? 'x' : 'y', 1000 + i), request: { method: 'POST', url: 'Observation' } })),
    });
    expect(batch.status).toBe(200);
    for (const [i, e] of (batch.body as Bundle).entry!.entries()) if (i % 2) expected.push(`Observation/${/Observation\/([^/]+)/.exec(e.response!.location!)![1]}/_history/1`);
    // Neither a deletion (no content to match a search) nor another type is heard.
    await request(s.app).delete(`/fhir/Observation/${kept[0].id}`);
    await put('Patient/x', { resourceType: 'Patient', id: 'x', active: true });

    await waitFor('the full-resource receiver', () => focuses(full).length >= expected.length);
    await waitFor('the id-only receiver', () => focuses(ids).length >= expected.length);
    await waitFor('the empty receiver', () => numbers(empty).length >= expected.length);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(focuses(full).sort()).toEqual([...expected].sort());
    expect(focuses(ids).sort()).toEqual([...expected].sort());
    expect(numbers(empty)).toEqual(numbers(full));
    expect(focuses(empty).every((f) => f === undefined)).toBe(true);
    const all = numbers(full);
    expect(all).toEqual([...all].sort((a, b) => a - b));
    expect(new Set(all).size).toBe(all.length);
    expect(full.received.length).toBeLessThan(expected.length);

    for (const n of full.received) {
      expect(n.headers['content-type']).toBe(FHIR_JSON);
      expect(verifySignature(SECRET, String(n.headers['x-medgen-signature']), n.body, Math.floor(Date.now() / 1000))).toBe(true);
      expect(notificationType(n.bundle)).toBe('event-notification');
      const resources = n.bundle.entry!.slice(1).map((e) => e.resource as Observation);
      expect(resources.every((o) => o.resourceType === 'Observation' && o.subject!.reference === 'Patient/x')).toBe(true);
      expect(resources.map((o) => `Observation/${o.id}/_history/${o.meta!.versionId}`)).toEqual(eventsOf(n.bundle).map((e) => e.focus));
    }
    for (const n of ids.received) expect(n.bundle.entry!.slice(1).every((e) => e.resource === undefined && e.request!.url.startsWith('Observation'))).toBe(true);
    for (const n of empty.received) expect(n.bundle.entry).toHaveLength(1);
    const last = full.received.at(-1)!.bundle;
    expect(statusOf(last).parameter!.find((p) => p.name === 'events-since-subscription-start')!.valueString).toBe(String(expected.length));
  }, 60_000);

  it('a receiver answering 500: retries with growing gaps, error in the Subscription and $status, writes not slowed; then everything arrives', async () => {
    const time = async (n: number) => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < n; i++) expect((await post('Observation', observation('z', i))).status).toBe(201);
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const without = await time(60);
    const r = await receiver();
    r.answer = 500;
    const sub = await subscribe({ ...subscription('Observation?patient=Patient/z', r.url, 'id-only'), channel: { ...subscription('Observation', r.url, 'id-only').channel, header: ['Authorization: Bearer hook-token'] } });
    const first = await post('Observation', observation('z', 1));
    await waitFor('five attempts', () => r.received.length >= 5);
    const gaps = r.received.slice(0, 5).map((n, i, all) => (i === 0 ? 0 : n.at - all[i - 1].at)).slice(1);
    // 50, 100, 200, 400 ms, and rounds every 20 ms (longer on a busy machine) add to each: compared two apart.
    expect(gaps[2]).toBeGreaterThan(gaps[0] + 50);
    expect(gaps[3]).toBeGreaterThan(gaps[1] + 100);
    expect(gaps[3]).toBeGreaterThanOrEqual(390);
    expect(r.received.every((n) => eventsOf(n.bundle)[0].focus === `Observation/${first.body.id}/_history/1`)).toBe(true);
    expect(r.received[0].headers.authorization).toBe('Bearer hook-token');

    const during = await time(60);
    // Delivery never holds a write: the same writes take about as long with a failing subscription as without.
    expect(during).toBeLessThan(without * 3 + 500);

    await waitFor('status error', async () => ((await s.store.read('Subscription', sub.id)) as Subscription).status === 'error');
    const stored = (await request(s.app).get(`/fhir/Subscription/${sub.id}`)).body as Subscription;
    expect(stored).toMatchObject({ status: 'error', error: expect.stringContaining('500') });
    const status = await request(s.app).get(`/fhir/Subscription/${sub.id}/$status`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    const params = Object.fromEntries(((status.body as Bundle).entry![0].resource as Parameters).parameter!.map((p) => [p.name, p.valueCode ?? p.valueString ?? p.valueCodeableConcept?.text]));
    expect(params).toMatchObject({ status: 'error', type: 'query-status', 'events-since-subscription-start': '0', error: expect.stringContaining('500') });
    const versions = (await s.store.history('Subscription', sub.id)).length;

    r.answer = 200;
    await waitFor('status active again', async () => ((await s.store.read('Subscription', sub.id)) as Subscription).status === 'active');
    const back = (await s.store.read('Subscription', sub.id)) as Subscription;
    expect(back.error).toBeUndefined();
    // Error then active: two writes of the worker, whatever the number of failed attempts; the state went on.
    expect((await s.store.history('Subscription', sub.id)).length).toBe(versions + 1);
    expect(await state(sub.id)).toMatchObject({ eventsSinceStart: 61, delivered: 61, failures: 0, dropped: 0 });
  }, 60_000);

  it('a receiver down, then up: everything written meanwhile arrives; deletions are heard by a type-only subscription', async () => {
    const r = await receiver();
    await r.stop();
    const sub = await subscribe(subscription('Encounter', r.url, 'id-only'));
    const written: string[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await post('Encounter', { resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' } });
      written.push(`Encounter/${res.body.id}/_history/1`);
    }
    const gone = written[0].split('/')[1];
    expect((await request(s.app).delete(`/fhir/Encounter/${gone}`)).status).toBe(200);
    written.push(`Encounter/${gone}/_history/2`);
    await waitFor('a failed attempt', async () => ((await state(sub.id))?.failures ?? 0) >= 2);
    expect((await state(sub.id))!.lastError).toMatch(/could not be reached/);
    await r.start();
    await waitFor('every event', () => focuses(r).length >= written.length);
    expect(focuses(r)).toEqual(written);
    const deletion = r.received.flatMap((n) => n.bundle.entry!.slice(1)).at(-1)!;
    expect(deletion.request).toEqual({ method: 'DELETE', url: `Encounter/${gone}` });
  }, 60_000);

  it('$events replays a range of event numbers from the outbox, in any payload content', async () => {
    const r = await receiver();
    const sub = await subscribe(subscription('Observation?patient=Patient/w', r.url, 'id-only'));
    for (let i = 0; i < 12; i++) await post('Observation', observation(i % 2 ? 'w' : 'v', i));
    await waitFor('six events', () => numbers(r).length >= 6);
    const delivered = numbers(r);
    const replay = await request(s.app).get(`/fhir/Subscription/${sub.id}/$events?eventsSinceNumber=${delivered[1]}&eventsUntilNumber=${delivered[4]}&content=full-resource`);
    expect(replay.status).toBe(200);
    const bundle = replay.body as Bundle;
    expect(notificationType(bundle)).toBe('query-event');
    expect(eventsOf(bundle).map((e) => e.number)).toEqual(delivered.slice(1, 5));
    expect(bundle.entry!.slice(1).map((e) => (e.resource as Observation).subject!.reference)).toEqual(['Patient/w', 'Patient/w', 'Patient/w', 'Patient/w']);
    const all = await request(s.app).get(`/fhir/Subscription/${sub.id}/$events`);
    expect(eventsOf(all.body as Bundle).map((e) => e.number)).toEqual(delivered);
    const posted = await post(`Subscription/${sub.id}/$events`, { resourceType: 'Parameters', parameter: [{ name: 'eventsSinceNumber', valueString: String(delivered[5]) }, { name: 'content', valueCode: 'empty' }] });
    expect(eventsOf(posted.body as Bundle)).toEqual([{ number: delivered[5] }]);
    expect((await request(s.app).get(`/fhir/Subscription/${sub.id}/$events?eventsSinceNumber=abc`)).body.issue[0].expression).toEqual(['eventsSinceNumber']);
    expect((await request(s.app).get(`/fhir/Subscription/${sub.id}/$events?content=everything`)).status).toBe(400);
    expect((await request(s.app).get('/fhir/Subscription/nope/$events')).status).toBe(404);
    expect((await request(s.app).get('/fhir/Patient/x/$status')).status).toBe(404);
  }, 60_000);

  it('a quiet subscription with a heartbeat period is sent heartbeats; one turned off hears nothing, and on again starts anew', async () => {
    const r = await receiver();
    const sub = await subscribe({ ...subscription('Immunization', r.url, 'id-only'), channel: { ...subscription('Immunization', r.url, 'id-only').channel, extension: [heartbeat(1)] } });
    await waitFor('a heartbeat', () => r.received.length >= 1, 5000);
    expect(notificationType(r.received[0].bundle)).toBe('heartbeat');
    expect(eventsOf(r.received[0].bundle)).toEqual([]);

    const quiet = await receiver();
    const off = await subscribe(subscription('Device', quiet.url, 'id-only'));
    await put(`Subscription/${off.id}`, { ...off, status: 'off' });
    await post('Device', { resourceType: 'Device' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(quiet.received).toEqual([]);
    await put(`Subscription/${off.id}`, { ...off, status: 'requested' });
    const after = await post('Device', { resourceType: 'Device' });
    await waitFor('the device written after', () => quiet.received.length >= 1);
    expect(focuses(quiet)).toEqual([`Device/${after.body.id}/_history/1`]);
    expect(sub.status).toBe('active');
  }, 30_000);
});

describe('subscription delivery past the horizon', () => {
  it('drops the pending events of a subscription failing longer than the horizon, and counts them', async () => {
    const s = await subscriptionApp({ worker: { horizonMs: 300, retryCapMs: 100 } });
    const r = await startReceiver();
    try {
      r.answer = 500;
      const sub = (await request(s.app).post('/fhir/Subscription').set('Content-Type', FHIR_JSON).send(JSON.stringify(subscription('Device', r.url, 'id-only')))).body as Subscription & { id: string };
      await request(s.app).post('/fhir/Device').set('Content-Type', FHIR_JSON).send(JSON.stringify({ resourceType: 'Device' }));
      await waitFor('the event dropped', async () => ((await s.store.getSystem<SubscriptionState>(`subscription:${sub.id}`))?.dropped ?? 0) === 1);
      r.answer = 200;
      const later = await request(s.app).post('/fhir/Device').set('Content-Type', FHIR_JSON).send(JSON.stringify({ resourceType: 'Device' }));
      await waitFor('the next event', () => r.received.some((n) => eventsOf(n.bundle).some((e) => e.focus === `Device/${later.body.id}/_history/1`)));
      // The state is saved once the receiver has answered: waited for, not read at once.
      const st = () => s.store.getSystem<SubscriptionState>(`subscription:${sub.id}`);
      await waitFor('the delivery recorded', async () => (await st())?.delivered === 1);
      expect(await st()).toMatchObject({ dropped: 1, delivered: 1, eventsSinceStart: 2, failures: 0 });
    } finally {
      await s.close();
      await r.stop();
    }
  }, 30_000);
});
