/**
 * `GET /fhir/_changes`: the change feed as server-sent events over a real listening server (an event stream never
 * ends, so supertest cannot read it): every change after `since` once and in order, `Last-Event-ID` resuming,
 * `_type`, new changes arriving while the stream is open, and 400 for a malformed `since` or `_type`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Organization, Patient } from 'fhir/r4.js';
import request from 'supertest';
import { makeTestApp, patient, type TestApp } from './test-app.js';

interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
}

/** Reads events from `path` until `count` have come (or `ms` passed), then closes the connection. */
function readEvents(base: string, path: string, count: number, headers: Record<string, string> = {}, ms = 10_000): Promise<{ status: number; type: string; events: SseEvent[] }> {
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    const req = http.get(`${base}${path}`, { headers }, (res) => {
      let buffer = '';
      const done = () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), events });
      };
      const timer = setTimeout(done, ms);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = {};
          for (const line of block.split('\n')) {
            const colon = line.indexOf(':');
            if (colon <= 0) continue;
            const field = line.slice(0, colon) as keyof SseEvent;
            if (field === 'id' || field === 'event' || field === 'data') event[field] = line.slice(colon + 1).trimStart();
          }
          if (event.event !== undefined) events.push(event);
          if (events.length >= count) return done();
        }
      });
      res.on('end', done);
    });
    req.on('error', (err) => (events.length >= count ? undefined : reject(err)));
  });
}

describe('GET /fhir/_changes (server-sent events)', () => {
  let t: TestApp;
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    t = await makeTestApp();
    server = t.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  it('streams every change after `since` in order, with its number as the event id, then what comes later', async () => {
    const since = await t.store.lastChange();
    const a = await t.store.create(patient('Alpha') as Patient);
    await t.store.update({ ...a, gender: 'male' } as Patient & { id: string });
    await t.store.create({ resourceType: 'Organization', name: 'Clinic' } as Organization);
    await t.store.delete('Patient', a.id);
    const streaming = readEvents(base, `/_changes?since=${since}`, 5);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const late = await t.store.create(patient('Late') as Patient);
    const { status, type, events } = await streaming;
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/event-stream/);
    const data = events.map((e) => JSON.parse(e.data as string));
    expect(data.map((d) => `${d.action} ${d.resourceType}/${d.versionId}`)).toEqual(['create Patient/1', 'update Patient/2', 'create Organization/1', 'delete Patient/3', 'create Patient/1']);
    expect(data[4].id).toBe(late.id);
    expect(events.map((e) => e.event)).toEqual(Array(5).fill('change'));
    expect(events.map((e) => Number(e.id))).toEqual(data.map((d) => d.seq));
    const seqs = data.map((d) => d.seq as number);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    expect(seqs[0]).toBeGreaterThan(since);
  });

  it('resumes after Last-Event-ID, and keeps only the `_type` asked for', async () => {
    const since = await t.store.lastChange();
    const first = await t.store.create(patient('One') as Patient);
    await t.store.create({ resourceType: 'Organization', name: 'Skipped' } as Organization);
    const second = await t.store.create(patient('Two') as Patient);
    const firstOnly = await readEvents(base, `/_changes?since=${since}&_type=Patient`, 1);
    expect(JSON.parse(firstOnly.events[0].data as string).id).toBe(first.id);
    const resumed = await readEvents(base, '/_changes?_type=Patient', 1, { 'Last-Event-ID': firstOnly.events[0].id as string });
    expect(JSON.parse(resumed.events[0].data as string).id).toBe(second.id);
  });

  it('starts at the newest change when given no position', async () => {
    await t.store.create(patient('Old') as Patient);
    const streaming = readEvents(base, '/_changes', 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const fresh = await t.store.create(patient('New') as Patient);
    const { events } = await streaming;
    expect(JSON.parse(events[0].data as string).id).toBe(fresh.id);
  });

  it.each([
    ['/_changes?since=abc', 'since'],
    ['/_changes?since=-4', 'since'],
    ['/_changes?_type=Nonsense', '_type'],
    ['/_changes?_type=', '_type'],
  ])('answers %s with 400 naming %s', async (path, where) => {
    const res = await request(t.app).get(`/fhir${path}`);
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].expression).toEqual([where]);
  });
});
