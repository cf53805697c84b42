import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { qualityReport, writeQualityReport } from '../../src/report/quality-report.js';
import { fixture, observation, patient, type Fixture } from './fixture.js';

const CHROMIUM = '/usr/bin/chromium';

describe('statistics and quality report', () => {
  let f: Fixture;
  beforeEach(() => (f = fixture()));
  afterEach(() => f.close());

  it('counts, pyramid, completeness and quality; the HTML opens in headless Chromium with its charts and no console errors', async () => {
    await f.store.write([
      { op: 'put', resource: patient('p1', 'A', { gender: 'male', birthDate: '1950-01-01', address: [{ state: 'MA' }] }) },
      { op: 'put', resource: patient('p2', 'B', { birthDate: '2010-01-01' }) },
      { op: 'put', resource: observation('o1', 'p1') },
      { op: 'put', resource: observation('o2', 'missing') },
    ]);
    const report = await qualityReport(f.store, new Date('2024-06-01'));
    expect(report.byType).toEqual({ Observation: 2, Patient: 2 });
    expect(report.demographics.pyramid.find((b) => b.band === '70-79')).toMatchObject({ male: 1 });
    expect(report.demographics.pyramid.find((b) => b.band === '10-19')).toMatchObject({ female: 1 });
    expect(report.completeness.find((c) => c.resourceType === 'Patient')!.elements).toMatchObject({ name: 1, address: 0.5, telecom: 0 });
    expect(report.quality.referenceIntegrity).toBeLessThan(1);
    const [json, html] = writeQualityReport(report, path.join(f.dir, 'reports'));
    expect(JSON.parse(fs.readFileSync(json, 'utf8')).resources).toBe(4);
    expect(fs.readFileSync(html, 'utf8')).not.toMatch(/(src|href)=["']?(https?:)?\/\//);

    const profile = fs.mkdtempSync(path.join(f.dir, 'chromium-'));
    const run = spawnSync(
      CHROMIUM,
      ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0', '--dump-dom', `file://${html}`],
      { encoding: 'utf8', timeout: 30000 },
    );
    expect(run.status).toBe(0);
    expect((run.stdout.match(/<svg class="chart"/g) ?? []).length).toBeGreaterThanOrEqual(8);
    expect(run.stdout).toContain('Age pyramid');
    expect(run.stderr).not.toMatch(/CONSOLE|Uncaught|Refused to/);
  });
});
