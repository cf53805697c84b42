/**
 * Delivery on both stores (the outbox is each store's own): a small subscription delivered in full, the
 * worker's state kept as system documents, and a worker that takes over from a closed one going on from the
 * cursor without losing or repeating what was accepted. MongoDB runs when MONGODB_URI is set (FerretDB is slow:
 * kept small).
 */
import request from 'supertest';
import type { Subscription } from 'fhir/r4.js';
import { createLogger } from '../../src/logger.js';
import { createSubscriptionWorker } from '../../src/events/subscription-worker.js';
import type { SubscriptionState } from '../../src/events/subscription-state.js';
import { serverUri } from '../store/server-uri.js';
import { eventsOf, startReceiver, waitFor } from './receiver.js';
import { SECRET, subscription, subscriptionApp } from './subscription-app.js';

const FHIR_JSON = 'application/fhir+json';
const SKIPPED = 'Subscription delivery on a MongoDB store skipped: MONGODB_URI is not set';
const backends: [string, string | undefined][] = [['SQLite', undefined]];
if (serverUri) backends.push(['MongoDB', serverUri]);
else test(SKIPPED, () => console.warn(`${SKIPPED} (set MONGODB_URI for npm test to run it against a server)`));

describe.each(backends)('subscription delivery on %s', (_, mongodbUri) => {
  it('delivers every matching change once, and a worker taking over goes on from the cursor', async () => {
    const s = await subscriptionApp({ mongodbUri, worker: { leaseMs: 600 } });
    const r = await startReceiver();
    const post = (path: string, body: unknown) => request(s.app).post(`/fhir/${path}`).set('Content-Type', FHIR_JSON).send(JSON.stringify(body));
    const flag = (code: string, patient = 'p') => ({ resourceType: 'Flag', status: 'active', code: { text: code }, subject: { reference: `Patient/${patient}` } });
    try {
      const sub = (await post('Subscription', subscription('Flag?patient=Patient/p', r.url, 'full-resource'))).body as Subscription & { id: string };
      expect(sub).toMatchObject({ status: 'active' });
      const expected: string[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await post('Flag', flag(`f${i}`, i % 3 === 2 ? 'q' : 'p'));
        expect(res.status).toBe(201);
        if (i % 3 !== 2) expected.push(`Flag/${res.body.id}/_history/1`);
      }
      const focuses = () => r.received.flatMap((n) => eventsOf(n.bundle).map((e) => e.focus));
      await waitFor('four flags', () => focuses().length >= 4, 60_000);
      expect(focuses()).toEqual(expected);
      // The state is saved once the receiver has answered: waited for, not read at once.
      const state = () => s.store.getSystem<SubscriptionState>(`subscription:${sub.id}`);
      await waitFor('the delivery recorded', async () => (await state())?.delivered === 4, 60_000);
      expect(await state()).toMatchObject({ delivered: 4, eventsSinceStart: 4, failures: 0 });

      // The worker stops (its lease given back); another takes over and hears only what is new.
      await s.worker.close();
      const later = await post('Flag', flag('later'));
      const next = createSubscriptionWorker({ store: s.store, logger: createLogger('silent'), secret: SECRET, pollMs: 20, leaseMs: 600 });
      try {
        await waitFor('the flag written between the workers', () => focuses().length >= 5, 60_000);
        expect(focuses()).toEqual([...expected, `Flag/${later.body.id}/_history/1`]);
      } finally {
        await next.close();
      }
    } finally {
      await s.close();
      await r.stop();
    }
  }, 180_000);
});
