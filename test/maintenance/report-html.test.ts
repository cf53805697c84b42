import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { qualityReport, writeQualityReport } from '../../src/report/quality-report.js';
import { findTool, skipped } from '../external-tool.js';
import { fixture, observation, patient, type Fixture } from './fixture.js';

// As a user's machine has it: on PATH, or where Debian's package puts it when PATH is trimmed.
const CHROMIUM = findTool('chromium', ['/usr/bin/chromium']);
const withChromium = CHROMIUM ? test : skipped('chromium not found on PATH or at /usr/bin/chromium; the HTML report is opened in headless Chromium, which .ci/run installs');

/** The report of two patients and two observations (one referencing a missing patient), written to `<dir>/reports`. */
async function writeReport(f: Fixture) {
  await f.store.write([
    { op: 'put', resource: patient('p1', 'A', { gender: 'male', birthDate: '1950-01-01', address: [{ state: 'MA' }] }) },
    { op: 'put', resource: patient('p2', 'B', { birthDate: '2010-01-01' }) },
    { op: 'put', resource: observation('o1', 'p1') },
    { op: 'put', resource: observation('o2', 'missing') },
  ]);
  const report = await qualityReport(f.store, new Date('2024-06-01'));
  const [json, html] = writeQualityReport(report, path.join(f.dir, 'reports'));
  return { report, json, html };
}

describe('statistics and quality report', () => {
  let f: Fixture;
  beforeEach(() => (f = fixture()));
  afterEach(() => f.close());

  it('counts, pyramid, completeness and quality; the HTML loads nothing from elsewhere', async () => {
    const { report, json, html } = await writeReport(f);
    expect(report.byType).toEqual({ Observation: 2, Patient: 2 });
    expect(report.demographics.pyramid.find((b) => b.band === '70-79')).toMatchObject({ male: 1 });
    expect(report.demographics.pyramid.find((b) => b.band === '10-19')).toMatchObject({ female: 1 });
    expect(report.completeness.find((c) => c.resourceType === 'Patient')!.elements).toMatchObject({ name: 1, address: 0.5, telecom: 0 });
    expect(report.quality.referenceIntegrity).toBeLessThan(1);
    expect(JSON.parse(fs.readFileSync(json, 'utf8')).resources).toBe(4);
    expect(fs.readFileSync(html, 'utf8')).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
  });

  withChromium('the HTML opens in headless Chromium with its charts and no console errors', async () => {
    const { html } = await writeReport(f);
    const profile = fs.mkdtempSync(path.join(f.dir, 'chromium-'));
    const run = spawnSync(
      CHROMIUM!,
      ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0', '--dump-dom', `file://${html}`],
      { encoding: 'utf8', timeout: 30000 },
    );
    expect(run.status).toBe(0);
    expect((run.stdout.match(/<svg class="chart"/g) ?? []).length).toBeGreaterThanOrEqual(8);
    expect(run.stdout).toContain('Age pyramid');
    expect(run.stderr).not.toMatch(/CONSOLE|Uncaught|Refused to/);
  });
});
