/** The notification Bundle in the backport IG's R4 shape, for each payload content. */
import type { Parameters } from 'fhir/r4.js';
import { notificationBundle } from '../../src/events/notification.js';
import type { ChangeEvent } from '../../src/store/resource-store.js';

const events: ChangeEvent[] = [
  { seq: 41, resourceType: 'Observation', id: 'o1', versionId: '1', lastUpdated: '2026-01-02T03:04:05.000Z', deleted: false, json: '{"resourceType":"Observation","id":"o1","status":"final"}' },
  { seq: 57, resourceType: 'Observation', id: 'o2', versionId: '3', lastUpdated: '2026-01-02T03:04:06.000Z', deleted: false, json: '{"resourceType":"Observation","id":"o2","status":"amended"}' },
  { seq: 60, resourceType: 'Observation', id: 'o3', versionId: '2', lastUpdated: '2026-01-02T03:04:07.000Z', deleted: true, json: null },
];
const fields = { subscriptionId: 's1', status: 'active', type: 'event-notification' as const, eventsSinceStart: 9 };

const param = (p: Parameters, name: string) => p.parameter!.filter((x) => x.name === name);

describe('notification bundle', () => {
  it('starts with the SubscriptionStatus: subscription, status, type, count, and each event by its outbox number', () => {
    const bundle = notificationBundle(fields, events, 'id-only');
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'history', meta: { profile: [expect.stringContaining('backport-subscription-notification-r4')] } });
    const status = bundle.entry![0].resource as Parameters;
    expect(status.meta!.profile).toEqual(['http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-status-r4']);
    expect(param(status, 'subscription')[0].valueReference!.reference).toBe('Subscription/s1');
    expect(param(status, 'status')[0].valueCode).toBe('active');
    expect(param(status, 'type')[0].valueCode).toBe('event-notification');
    expect(param(status, 'events-since-subscription-start')[0].valueString).toBe('9');
    const parts = param(status, 'notification-event').map((e) => Object.fromEntries(e.part!.map((p) => [p.name, p.valueString ?? p.valueInstant ?? p.valueReference?.reference])));
    expect(parts).toEqual([
      { 'event-number': '41', timestamp: '2026-01-02T03:04:05.000Z', focus: 'Observation/o1/_history/1' },
      { 'event-number': '57', timestamp: '2026-01-02T03:04:06.000Z', focus: 'Observation/o2/_history/3' },
      { 'event-number': '60', timestamp: '2026-01-02T03:04:07.000Z', focus: 'Observation/o3/_history/2' },
    ]);
    expect(bundle.entry![0]).toMatchObject({ fullUrl: `urn:uuid:${status.id}`, request: { method: 'GET', url: 'Subscription/s1/$status' } });
  });

  it('id-only: one entry per event with request and response, no resource', () => {
    const entries = notificationBundle(fields, events, 'id-only').entry!.slice(1);
    expect(entries).toEqual([
      { request: { method: 'POST', url: 'Observation' }, response: { status: '201', location: 'Observation/o1/_history/1', lastModified: events[0].lastUpdated, etag: 'W/"1"' } },
      { request: { method: 'PUT', url: 'Observation/o2' }, response: { status: '200', location: 'Observation/o2/_history/3', lastModified: events[1].lastUpdated, etag: 'W/"3"' } },
      { request: { method: 'DELETE', url: 'Observation/o3' }, response: { status: '204', location: 'Observation/o3/_history/2', lastModified: events[2].lastUpdated, etag: 'W/"2"' } },
    ]);
  });

  it('full-resource: the resources as stored; empty: the status alone, events without focus', () => {
    const full = notificationBundle(fields, events, 'full-resource', 'http://h/fhir').entry!.slice(1);
    expect(full.map((e) => e.resource)).toEqual([JSON.parse(events[0].json!), JSON.parse(events[1].json!), undefined]);
    expect(full[0].fullUrl).toBe('http://h/fhir/Observation/o1');
    const empty = notificationBundle(fields, events, 'empty');
    expect(empty.entry).toHaveLength(1);
    const status = empty.entry![0].resource as Parameters;
    expect(param(status, 'notification-event').map((e) => e.part!.map((p) => p.name))).toEqual([
      ['event-number', 'timestamp'],
      ['event-number', 'timestamp'],
      ['event-number', 'timestamp'],
    ]);
  });

  it('a heartbeat has no events; an error is said in the status', () => {
    const bundle = notificationBundle({ ...fields, type: 'heartbeat', status: 'error', error: 'HTTP 500' }, [], 'full-resource');
    expect(bundle.entry).toHaveLength(1);
    const status = bundle.entry![0].resource as Parameters;
    expect(param(status, 'type')[0].valueCode).toBe('heartbeat');
    expect(param(status, 'error')[0].valueCodeableConcept!.text).toBe('HTTP 500');
  });
});
