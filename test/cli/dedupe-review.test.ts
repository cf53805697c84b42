/**
 * `medgen-data dedupe` with the matcher: `--review` lists the possible matches (JSON with a count, CSV with the
 * count on stderr, or lines) and changes nothing; a dry run reports the planned merge and how many pairs wait
 * for review; the threshold flags are checked; a real run merges.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { openStore } from '../../src/store/open-store.js';
import { load, population } from '../match/match-stores.js';
import { refusedBy } from './refusal.js';

const bin = path.resolve('bin/medgen-data.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-dedupe-cli-'));
const dedupe = (...args: string[]) => spawnSync(process.execPath, [bin, 'dedupe', ...args, '--data-dir', work], { encoding: 'utf8' });

async function versions(): Promise<string[]> {
  const store = await openStore(loadConfig({}, { dataDir: work }));
  try {
    return await Promise.all(['p1', 'd1', 'd2', 't1'].map(async (id) => (await store.read('Patient', id)).meta.versionId));
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  const store = await openStore(loadConfig({}, { dataDir: work }));
  await load(store, population()).finally(() => store.close());
}, 60_000);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('medgen-data dedupe', () => {
  it('--review --json lists the possible matches with a count; --csv the same rows; neither changes anything', () => {
    const json = dedupe('--review', '--json');
    expect(json.status).toBe(0);
    const printed = JSON.parse(json.stdout) as { count: number; thresholds: object; pairs: { left: string; right: string; score: number; grade: string }[] };
    expect(printed.count).toBe(printed.pairs.length);
    expect(printed.thresholds).toEqual({ match: 0.99, possible: 0.2 });
    expect(printed.pairs.map((p) => [p.left, p.right].sort().join(' '))).toContain('p1 t1');
    for (const p of printed.pairs) expect(p.score).toBeLessThan(0.99);

    const csv = dedupe('--review', '--csv');
    expect(csv.status).toBe(0);
    expect(csv.stderr).toBe(`${printed.count} possible matches for review\n`);
    const rows = csv.stdout.trim().split('\n');
    expect(rows[0]).toBe('left,right,score,grade,rules,levels');
    expect(rows.slice(1).map((r) => r.split(',').slice(0, 2).join(' '))).toEqual(printed.pairs.map((p) => `${p.left} ${p.right}`));

    const text = dedupe('--review');
    expect(text.stdout).toMatch(new RegExp(`^${printed.count} possible matches for review \\(nothing changed\\)\\n`));
    expect(text.stdout).toMatch(/Patient\/p1 ~ Patient\/t1|Patient\/t1 ~ Patient\/p1/);
  }, 60_000);

  it('--dry-run reports the planned merge and the count left for review, changing nothing', async () => {
    const run = dedupe('--dry-run');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^1 merges \(dry run, nothing changed\); \d+ possible matches left for review \(dedupe --review lists them\)\n/);
    expect(run.stdout).toMatch(/Patient\/d1 <- Patient\/d2, Patient\/p1/);
    expect(run.stdout).toMatch(/not merged, scores contradict identifier urn:oid:2\.16\.840\.1\.113883\.4\.3\.25\|S99912345/);
    expect(await versions()).toEqual(['1', '1', '1', '1']);
  }, 60_000);

  it('refuses thresholds out of range or out of order', () => {
    expect(refusedBy('dedupe', dedupe('--match-threshold', '1.5'))).toMatch(/--match-threshold must be a number between 0 and 1/);
    expect(refusedBy('dedupe', dedupe('--match-threshold', '0.5', '--possible-match-threshold', '0.6'))).toMatch(/must be below MEDGEN_MATCH_THRESHOLD/);
  });

  it('a real run merges the person\'s three records and leaves the twin', async () => {
    const run = dedupe('--json');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as { merges: { survivor: string; merged: string[] }[] };
    expect(result.merges).toEqual([expect.objectContaining({ survivor: 'd1', merged: ['d2', 'p1'] })]);
    expect(await versions()).toEqual(['2', '2', '2', '1']);
  }, 60_000);
});
