/**
 * A real FHIR client (fhir-kit-client) against the server on a loopback port: an invalid create is refused
 * with 400 and an OperationOutcome the client hands back, and nothing is stored.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'fhir-kit-client';
import type { Bundle, OperationOutcome } from 'fhir/r4.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';

let dataDir: string;
let running: RunningServer;
let client: Client;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-fkc-'));
  running = await startServer(loadConfig({}, { dataDir, port: 0, host: '127.0.0.1' }), createLogger('silent'));
  client = new Client({ baseUrl: `${running.url}/fhir` });
});

afterAll(async () => {
  await running.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('fhir-kit-client', () => {
  it('gets a 400 and the OperationOutcome for an invalid create, and the resource is not stored', async () => {
    const body = { resourceType: 'Patient', birthDate: 'not-a-date', gender: 'robot', name: 'notarray', foo: 1 };
    const error = await client.create({ resourceType: 'Patient', body: body as never }).then(
      () => undefined,
      (err: { response?: { status: number; data: OperationOutcome } }) => err,
    );
    expect(error?.response?.status).toBe(400);
    const outcome = error!.response!.data;
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue.map((i) => i.expression?.[0])).toEqual(expect.arrayContaining(['Patient.birthDate', 'Patient.gender', 'Patient.name', 'Patient.foo']));
    const found = (await client.search({ resourceType: 'Patient', searchParams: { _summary: 'count' } })) as unknown as Bundle;
    expect(found.total).toBe(0);
  });

  it('creates a valid resource through the same path', async () => {
    const created = await client.create({ resourceType: 'Patient', body: { resourceType: 'Patient', name: [{ family: 'Valid' }], birthDate: '1970-05-06' } as never });
    expect(created).toEqual(expect.objectContaining({ resourceType: 'Patient', id: expect.any(String) }));
  });
});
