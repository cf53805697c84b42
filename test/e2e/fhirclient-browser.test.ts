/**
 * A SMART app in a browser: SMART's fhirclient (its browser build) on a page served from one loopback origin,
 * the server on another with MEDGEN_CORS_ORIGINS naming the page's origin, in headless Chromium. The app reads
 * its patient, pages a search, creates (reading the exposed Location header) and is refused an invalid create
 * with the OperationOutcome; a page from an origin not in the list cannot read the server at all.
 */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import express from 'express';
import { findTool, skipped } from '../external-tool.js';
import { makeTestApp, patient, type TestApp } from '../http/test-app.js';
import { type Browser, launchChromium } from './headless-chromium.js';
import { closeAll, listen } from './loopback.js';

const chromium = findTool('chromium');
const it = chromium ? test : skipped('chromium not found; the SMART app runs in headless Chromium');
const fhirClientJs = createRequire(import.meta.url).resolve('fhirclient/build/fhir-client.js');


/** The SMART app's page: fhirclient and nothing else; the test drives it by evaluating expressions. */
function appPage(): express.Express {
  const app = express();
  app.get('/fhir-client.js', (_req, res) => res.sendFile(fhirClientJs));
  app.get('/', (_req, res) => void res.type('html').send('<!doctype html><title>app</title><script src="/fhir-client.js"></script>'));
  return app;
}

/** What the app does with a patient-bound client for `fhirBase`, summarised as JSON. */
const APP_RUN = (fhirBase: string) => `(async () => {
  const client = FHIR.client({ serverUrl: ${JSON.stringify(fhirBase)}, tokenResponse: { patient: 'p1' } });
  const me = await client.patient.read();
  const all = await client.request('Observation?patient=p1&_count=2&_sort=_id', { pageLimit: 0, flat: true });
  const created = await client.create({ resourceType: 'Observation', status: 'final', code: { text: 'height' }, subject: { reference: 'Patient/p1' } }, { includeResponse: true });
  let refused = null;
  try { await client.create({ resourceType: 'Observation', status: 'not-a-status' }); } catch (e) { refused = { status: e.status, outcome: e.message.includes('OperationOutcome') }; }
  return { family: me.name[0].family, ids: all.map((o) => o.id), location: created.response.headers.get('location'), refused };
})()`;

describe('SMART fhirclient in a browser, cross-origin', () => {
  let t: TestApp;
  let servers: Server[] = [];
  let browser: Browser | undefined;
  let allowed = '';
  let stranger = '';
  let api = '';

  beforeAll(async () => {
    if (!chromium) return;
    const page = await listen(appPage());
    const other = await listen(appPage());
    t = await makeTestApp({ corsOrigins: [page.origin] });
    await t.store.update({ ...patient('Rivera'), id: 'p1' } as never);
    for (let i = 0; i < 3; i++) {
      await t.store.update({ resourceType: 'Observation', id: `o${i}`, status: 'final', code: { text: 'weight' }, subject: { reference: 'Patient/p1' } } as never);
    }
    const apiSide = await listen(t.app);
    servers = [page.server, other.server, apiSide.server];
    [allowed, stranger, api] = [page.origin, other.origin, apiSide.origin];
    browser = await launchChromium(chromium);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await closeAll(servers);
    await t?.close();
  });

  it('the app in the listed origin reads, pages, creates and is refused an invalid resource', async () => {
    const page = await (browser as Browser).open(`${allowed}/`);
    await page.waitFor('typeof FHIR === "object"', 30_000, 'fhirclient loaded');
    const run = await page.evaluate<{ family: string; ids: string[]; location: string | null; refused: unknown }>(APP_RUN(`${api}/fhir`));
    expect(run).toMatchObject({ family: 'Rivera', ids: ['o0', 'o1', 'o2'], refused: { status: 400, outcome: true } });
    expect(run.location).toMatch(new RegExp(`^${api}/fhir/Observation/[^/]+/_history/1$`));
  }, 60_000);

  it('an app in another origin is not let read', async () => {
    const page = await (browser as Browser).open(`${stranger}/`);
    await page.waitFor('typeof FHIR === "object"', 30_000, 'fhirclient loaded');
    const failure = await page.evaluate<string>(`FHIR.client(${JSON.stringify(`${api}/fhir`)}).request('Patient/p1').then(() => 'read', (e) => String(e.message))`);
    expect(failure).not.toBe('read');
    expect(failure).toMatch(/network|fetch/i);
  }, 60_000);
});
