/**
 * What a Subscription must be to be stored, over HTTP: every REST write path (create, update, batch and
 * transaction entries) answers 4xx OperationOutcomes at the element at fault, whatever MEDGEN_VALIDATE_WRITES
 * says; an accepted `requested` subscription is stored `active`.
 */
import request from 'supertest';
import type { Bundle, OperationOutcome, Subscription } from 'fhir/r4.js';
import { subscription, subscriptionApp, type SubscriptionApp } from './subscription-app.js';

const FHIR_JSON = 'application/fhir+json';
const HOOK = 'http://127.0.0.1:9/hook';

describe('Subscription write rules', () => {
  let s: SubscriptionApp;
  beforeAll(async () => {
    s = await subscriptionApp();
  });
  afterAll(() => s.close());

  const post = (body: unknown, path = '/fhir/Subscription') => request(s.app).post(path).set('Content-Type', FHIR_JSON).send(JSON.stringify(body));
  const expression = (body: unknown) => (body as OperationOutcome).issue.map((i) => i.expression?.[0]);

  it('accepts a rest-hook subscription asked for as requested, and stores it active', async () => {
    const res = await post(subscription('Observation?patient=Patient/x', HOOK, 'id-only'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ resourceType: 'Subscription', status: 'active', criteria: 'Observation?patient=Patient/x' });
    expect(((await s.store.read('Subscription', res.body.id)) as Subscription).status).toBe('active');
  });

  it.each([
    ['unsupported criteria', subscription('Observation?no-such-parameter=1', HOOK), 400, 'Subscription.criteria', /no-such-parameter/],
    ['criteria of no resource type', subscription('Nothing?x=1', HOOK), 400, 'Subscription.criteria', /resource type/],
    ['a websocket channel', { ...subscription('Observation', HOOK), channel: { type: 'websocket', endpoint: 'wss://h.example/' } }, 422, 'Subscription.channel.type', /rest-hook/],
    ['http to a private address', subscription('Observation', 'http://10.0.0.1/'), 422, 'Subscription.channel.endpoint', /MEDGEN_SUBSCRIPTION_ENDPOINTS/],
    ['a cloud metadata address', subscription('Observation', 'http://169.254.169.254/latest/meta-data/'), 422, 'Subscription.channel.endpoint', /MEDGEN_SUBSCRIPTION_ENDPOINTS/],
    ['status error', subscription('Observation', HOOK, undefined, { status: 'error' }), 422, 'Subscription.status', /server/],
    ['an XML payload', { ...subscription('Observation', HOOK), channel: { type: 'rest-hook', endpoint: HOOK, payload: 'application/fhir+xml' } }, 422, 'Subscription.channel.payload', /application\/fhir\+json/],
    [
      'an unknown payload content',
      { ...subscription('Observation', HOOK), channel: { type: 'rest-hook', endpoint: HOOK, payload: FHIR_JSON, _payload: { extension: [{ url: 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content', valueCode: 'everything' }] } } },
      400,
      'Subscription.channel.payload.extension',
      /full-resource/,
    ],
    [
      'a zero heartbeat',
      { ...subscription('Observation', HOOK), channel: { type: 'rest-hook', endpoint: HOOK, extension: [{ url: 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-heartbeat-period', valueUnsignedInt: 0 }] } },
      400,
      'Subscription.channel.extension',
      /heartbeat/,
    ],
    ['a header replacing the signature', { ...subscription('Observation', HOOK), channel: { type: 'rest-hook', endpoint: HOOK, header: ['Authorization: Bearer x', 'X-Medgen-Signature: forged'] } }, 422, 'Subscription.channel.header[1]', /X-Medgen-Signature/],
  ])('refuses %s at create', async (_, body, status, at, message) => {
    const res = await post(body);
    expect({ status: res.status, expression: expression(res.body) }).toEqual({ status, expression: [at] });
    expect(res.body.issue[0].diagnostics).toMatch(message);
  });

  it('refuses at update, and in batch and transaction entries, located at the entry', async () => {
    const created = (await post(subscription('Observation', HOOK))).body as Subscription;
    const put = await request(s.app)
      .put(`/fhir/Subscription/${created.id}`)
      .set('Content-Type', FHIR_JSON)
      .send(JSON.stringify({ ...created, channel: { type: 'rest-hook', endpoint: 'http://192.168.1.1/hook' } }));
    expect({ status: put.status, expression: expression(put.body) }).toEqual({ status: 422, expression: ['Subscription.channel.endpoint'] });
    const bad = subscription('Observation', 'http://10.0.0.1/');
    const transaction = await post({ resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { resourceType: 'Patient' }, request: { method: 'POST', url: 'Patient' } }, { resource: bad, request: { method: 'POST', url: 'Subscription' } }] }, '/fhir');
    expect({ status: transaction.status, expression: expression(transaction.body) }).toEqual({ status: 422, expression: ['Bundle.entry[1].resource.channel.endpoint'] });
    const batch = await post({ resourceType: 'Bundle', type: 'batch', entry: [{ resource: bad, request: { method: 'POST', url: 'Subscription' } }, { resource: subscription('Observation', HOOK), request: { method: 'POST', url: 'Subscription' } }] }, '/fhir');
    expect(batch.status).toBe(200);
    const [refused, accepted] = (batch.body as Bundle).entry!;
    expect(refused.response!.status).toMatch(/^422/);
    expect((refused.response!.outcome as OperationOutcome).issue[0].expression).toEqual(['Subscription.channel.endpoint']);
    expect(accepted.response!.status).toMatch(/^201/);
    const id = /Subscription\/([^/]+)/.exec(accepted.response!.location!)![1];
    expect(((await s.store.read('Subscription', id)) as Subscription).status).toBe('active');
  });

  it('refuses a forbidden endpoint even with MEDGEN_VALIDATE_WRITES=off, and follows MEDGEN_SUBSCRIPTION_ENDPOINTS', async () => {
    const lenient = await subscriptionApp({ config: { validateWrites: 'off', subscriptionEndpoints: ['https://hooks.example.org/fhir/'] } });
    try {
      const send = (endpoint: string) => request(lenient.app).post('/fhir/Subscription').set('Content-Type', FHIR_JSON).send(JSON.stringify(subscription('Observation', endpoint)));
      expect((await send('http://10.0.0.1/')).status).toBe(422);
      expect((await send(HOOK)).status).toBe(422);
      expect((await send('https://hooks.example.org/elsewhere')).status).toBe(422);
      expect((await send('https://hooks.example.org/fhir/hook-1')).status).toBe(201);
    } finally {
      await lenient.close();
    }
  });
});
