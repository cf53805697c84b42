import request from 'supertest';
import { makeTestApp, patient, type TestApp } from '../http/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
});
afterEach(() => t.close());

async function finished(location: string) {
  const url = new URL(location).pathname;
  for (let i = 0; i < 200; i++) {
    const res = await request(t.app).get(url);
    if (res.status !== 202) return res;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('job did not finish');
}

describe('POST /fhir/$maintenance', () => {
  it('runs a task as a job whose record shows the outcome', async () => {
    await request(t.app).post('/fhir/Patient').send(patient('Stats'));
    const res = await request(t.app).post('/fhir/$maintenance').send({ resourceType: 'Parameters', parameter: [{ name: 'task', valueCode: 'statistics' }] });
    expect(res.status).toBe(202);
    const done = await finished(res.headers['content-location']);
    expect(done.status).toBe(200);
    expect(done.body.counts.task).toBe('statistics');
    expect(done.body.output[0].type).toBe('Parameters');
  });

  it('refuses an unknown task with 400 and starts nothing', async () => {
    const res = await request(t.app).post('/fhir/$maintenance?task=reindex');
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.headers['content-location']).toBeUndefined();
  });

  it('refuses a backup id that climbs out of the backup folder', async () => {
    const res = await request(t.app).post('/fhir/$restore').send({ resourceType: 'Parameters', parameter: [{ name: 'backup', valueString: '../../etc' }] });
    expect(res.status).toBe(400);
  });
});
