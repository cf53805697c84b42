/**
 * The OHIF viewer against the server, cross-origin, in headless Chromium: OHIF's built app (npm @ohif/app,
 * fetched into .cache/ohif by tools/ohif/fetch.sh) is served on one loopback port and the server on another with
 * MEDGEN_CORS_ORIGINS naming OHIF's origin. The study list shows the generated studies, its patient-name filter
 * narrows them (QIDO-RS PatientName with a wildcard), and an MR series renders pixels into a viewport canvas.
 */
import { execFileSync } from 'node:child_process';
import type { Server } from 'node:http';
import path from 'node:path';
import express from 'express';
import type { Resource } from 'fhir/r4.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createApp } from '../../src/server.js';
import { findTool, skipped } from '../external-tool.js';
import { makeImagingFixture, seedResources, type ImagingFixture } from '../imaging/imaging-fixture.js';
import { type Browser, launchChromium } from './headless-chromium.js';
import { closeAll, listen } from './loopback.js';

const chromium = findTool('chromium');
const it = chromium ? test : skipped('chromium not found; the OHIF viewer runs in headless Chromium');

/** A second patient, Moore, with a stroke (so an MR study), for the name filter to tell apart from Núñez. */
const moore: Resource[] = seedResources
  .filter((r) => r.resourceType !== 'Condition' || r.id === 'cond-stroke')
  .map((r) => JSON.parse(JSON.stringify(r).replaceAll('img-patient-1', 'img-patient-2').replaceAll('"enc-', '"enc2-').replaceAll('Encounter/enc-', 'Encounter/enc2-').replaceAll('"cond-', '"cond2-').replaceAll('Núñez', 'Moore')) as Resource);


/** OHIF's configuration: one DICOMweb data source, this server's. */
function appConfig(dicomweb: string): string {
  const config = {
    routerBasename: '/',
    showStudyList: true,
    extensions: [],
    modes: [],
    defaultDataSourceName: 'medgen',
    dataSources: [
      {
        namespace: '@ohif/extension-default.dataSourcesModule.dicomweb',
        sourceName: 'medgen',
        configuration: {
          friendlyName: 'medgen-data',
          name: 'medgen',
          qidoRoot: dicomweb,
          wadoRoot: dicomweb,
          wadoUriRoot: dicomweb,
          qidoSupportsIncludeField: true,
          imageRendering: 'wadors',
          thumbnailRendering: 'wadors',
          enableStudyLazyLoad: true,
          supportsFuzzyMatching: false,
          supportsWildcard: true,
          omitQuotationForMultipartRequest: true,
        },
      },
    ],
  };
  return `window.config = ${JSON.stringify(config)};`;
}

/** The OHIF build served as a single-page app, with `config` as its app-config.js. */
function ohifApp(dist: string, config: string): express.Express {
  const app = express();
  app.get('/app-config.js', (_req, res) => void res.type('application/javascript').send(config));
  app.use(express.static(dist, { index: false }));
  app.use((_req, res) => res.sendFile('index.html', { root: dist }));
  return app;
}

/** The number of lit pixels (sampled) in the first 2D canvas larger than a thumbnail that has any. */
const LIT_PIXELS = `(() => {
  for (const c of document.querySelectorAll('canvas')) {
    if (c.width < 128 || c.height < 128) continue;
    const ctx = c.getContext('2d');
    if (!ctx) continue;
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let lit = 0;
    for (let i = 0; i < d.length; i += 4 * 7) if (d[i] + d[i + 1] + d[i + 2] > 30) lit++;
    if (lit > 500) return lit;
  }
  return 0;
})()`;

describe('OHIF viewer, cross-origin, in headless Chromium', () => {
  let fx: ImagingFixture;
  let servers: Server[] = [];
  let browser: Browser | undefined;
  let ohif = '';
  let mrStudy = '';

  beforeAll(async () => {
    if (!chromium) return;
    const dist = execFileSync(new URL('../../tools/ohif/fetch.sh', import.meta.url).pathname, { encoding: 'utf8' }).trim();
    fx = await makeImagingFixture();
    await fx.store.write(moore.map((resource) => ({ op: 'put' as const, resource: resource as Resource & { id: string } })));
    const ohifSide = await listen(express());
    ohifSide.server.close();
    const logger = createLogger('silent');
    // OHIF's origin must be known before the server starts (CORS), and the server's before OHIF's config.
    const api = createApp({ store: fx.store, files: fx.files, logger, config: loadConfig({ MEDGEN_CORS_ORIGINS: ohifSide.origin }, { dataDir: fx.dir }) });
    const apiSide = await listen(api);
    const enhanced = await fetch(`${apiSide.origin}/fhir/$enhance-imaging`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: '{}' });
    expect(enhanced.status).toBe(200);
    const studies = (await (await fetch(`${apiSide.origin}/dicomweb/studies?ModalitiesInStudy=MR&PatientID=img-patient-1`)).json()) as Record<string, { Value?: string[] }>[];
    mrStudy = studies[0]['0020000D'].Value?.[0] ?? '';
    const port = Number(new URL(ohifSide.origin).port);
    const served = ohifApp(dist, appConfig(`${apiSide.origin}/dicomweb`));
    servers = [apiSide.server, (await listen(served, port)).server];
    ohif = ohifSide.origin;
    browser = await launchChromium(chromium);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await closeAll(servers);
    await fx?.close();
  });

  it('the study list shows both patients\' studies, and a patient-name filter narrows it to one', async () => {
    const page = await (browser as Browser).open(`${ohif}/`);
    await page.waitFor(`document.body.innerText.includes('Moore') && document.body.innerText.includes('Núñez')`, 120_000, 'both patients in the study list');
    await page.navigate(`${ohif}/?patientName=Moor`);
    await page.waitFor(`location.search.includes('patientName') && document.body.innerText.includes('Moore') && !document.body.innerText.includes('Núñez')`, 60_000, 'the list narrowed to Moore');
  }, 240_000);

  it('an MR series renders into a viewport', async () => {
    expect(mrStudy).toMatch(/^[0-9.]+$/);
    const page = await (browser as Browser).open(`${ohif}/viewer?StudyInstanceUIDs=${mrStudy}`);
    const lit = await page.waitFor<number>(LIT_PIXELS, 180_000, 'a viewport canvas with image pixels');
    expect(lit).toBeGreaterThan(500);
  }, 240_000);
});
