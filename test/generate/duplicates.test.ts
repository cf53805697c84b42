import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Bundle, Encounter, Patient } from 'fhir/r4.js';
import { CORRUPTION_KINDS, SSN_SYSTEM, transposeDayMonth } from '../../src/generate/duplicate-corruptions.js';
import { GROUND_TRUTH_FILE, GROUND_TRUTH_HEADER } from '../../src/generate/duplicate-ground-truth.js';
import { nicknamesOf } from '../../src/generate/duplicate-nicknames.js';
import { writePopulation, type GenerateSummary } from '../../src/generate/write-population.js';
import { importFiles } from '../../src/import/import-files.js';
import { createLogger } from '../../src/logger.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { digitsApart, optimalStringAlignment } from './edit-distance.js';

const COUNT = 200;
const RATE = 0.1;
const input = { count: COUNT, seed: 21, referenceDate: '2024-06-30', yearsOfHistory: 2, duplicates: RATE };

interface Row {
  left: string;
  right: string;
  relation: string;
  kinds: string[];
}

let dir: string;
let summary: GenerateSummary;
let rows: Row[];
let csv: string;
const patients = new Map<string, Patient>();
const bundles = new Map<string, Bundle>();

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-duplicates-'));
  summary = await writePopulation(input, path.join(dir, 'bundles'));
  csv = fs.readFileSync(path.join(dir, 'bundles', GROUND_TRUTH_FILE), 'utf8');
  rows = csv.trim().split('\n').slice(1).map((line) => {
    const [left, right, relation, kinds] = line.split(',');
    return { left, right, relation, kinds: kinds ? kinds.split(';') : [] };
  });
  for (const file of summary.files) {
    const bundle = JSON.parse(fs.readFileSync(path.join(dir, 'bundles', file), 'utf8')) as Bundle;
    const patient = bundle.entry!.find((e) => e.resource!.resourceType === 'Patient')?.resource as Patient | undefined;
    if (patient) (patients.set(patient.id!, patient), bundles.set(patient.id!, bundle));
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const letters = (name: string) => name.replace(/\d+$/, '');
const official = (p: Patient) => p.name!.find((n) => n.use === 'official')!;
const ssn = (p: Patient) => p.identifier!.find((i) => i.system === SSN_SYSTEM)?.value;
const mrn = (p: Patient) => p.identifier!.find((i) => i.type?.coding?.[0].code === 'MR')!.value;
const phone = (p: Patient) => p.telecom?.find((t) => t.system === 'phone')?.value;
const mothersMaidenName = (p: Patient) => p.extension!.find((e) => e.url.endsWith('patient-mothersMaidenName'))!.valueString;

describe('generate with duplicates', () => {
  it(`gives round(${RATE} × ${COUNT}) = 20 duplicates exactly (tolerance 0: the sample is exact by construction) and 1.6% twins`, () => {
    expect(summary).toMatchObject({ patients: COUNT, duplicates: 20, twins: 3, groundTruth: GROUND_TRUTH_FILE });
    expect(csv.split('\n')[0]).toBe(GROUND_TRUTH_HEADER);
    expect(rows.filter((r) => r.relation === 'duplicate')).toHaveLength(20);
    expect(rows.filter((r) => r.relation === 'twin')).toHaveLength(3);
    expect(patients.size).toBe(COUNT + 20 + 3);
    expect(summary.files).not.toContain(GROUND_TRUTH_FILE);
  });

  it('lists only Patients present in the output, each record in at most one pair as the right side', () => {
    for (const r of rows) {
      expect(patients.has(r.left)).toBe(true);
      expect(patients.has(r.right)).toBe(true);
      expect(r.left).not.toBe(r.right);
      expect(['duplicate', 'twin']).toContain(r.relation);
      for (const k of r.kinds) expect(CORRUPTION_KINDS).toContain(k);
    }
    expect(new Set(rows.map((r) => r.right)).size).toBe(rows.length);
    expect(rows.filter((r) => rows.some((o) => o.left === r.right))).toEqual([]);
  });

  it('a duplicate is the same person registered again: own id, MRN and visits, corrupted exactly as its kinds say', () => {
    for (const r of rows.filter((row) => row.relation === 'duplicate')) {
      const [a, b] = [patients.get(r.left)!, patients.get(r.right)!];
      const has = (k: string) => r.kinds.includes(k);
      expect(r.kinds.length).toBeGreaterThanOrEqual(1);
      expect(mrn(b)).toBe(b.id);
      expect(mrn(b)).not.toBe(mrn(a));
      expect(b.gender).toBe(a.gender);
      const [ga, gb] = [official(a).given![0], official(b).given![0]];
      if (has('nickname')) expect(nicknamesOf(ga)).toContain(gb);
      else if (has('typo:given')) expect(optimalStringAlignment(ga.toLowerCase(), gb.toLowerCase())).toBe(1);
      else expect(gb).toBe(ga);
      const [fa, fb] = [official(a).family!, official(b).family!];
      if (has('married-name')) expect([b.gender, fb !== fa]).toEqual(['female', true]);
      else if (has('typo:family')) expect(optimalStringAlignment(fa.toLowerCase(), fb.toLowerCase())).toBe(1);
      else expect(fb).toBe(fa);
      expect(b.birthDate).toBe(has('day-month-transposed') ? transposeDayMonth(a.birthDate!) : a.birthDate);
      if (has('missing:address')) expect(b.address).toBeUndefined();
      else if (has('moved')) expect(b.address![0].line).not.toEqual(a.address![0].line);
      else expect(b.address).toEqual(a.address);
      if (has('missing:phone')) expect(phone(b)).toBeUndefined();
      else if (has('new-phone')) expect(phone(b)).not.toBe(phone(a));
      else expect(phone(b)).toBe(phone(a));
      expect(ssn(b)).toBe(has('missing:ssn') ? undefined : ssn(a));
      const encounters = bundles.get(b.id!)!.entry!.map((e) => e.resource!).filter((x): x is Encounter => x.resourceType === 'Encounter');
      expect(encounters.length).toBeGreaterThanOrEqual(1);
      expect(encounters.length).toBeLessThanOrEqual(3);
      for (const e of encounters) expect(e.subject!.reference).toBe(`urn:uuid:${b.id}`);
    }
  });

  it('twins are distinct people: another first name and exactly one birth-date digit, everything else shared', () => {
    const twins = rows.filter((r) => r.relation === 'twin');
    for (const r of twins) {
      const [a, b] = [patients.get(r.left)!, patients.get(r.right)!];
      expect(r.kinds).toEqual([]);
      expect(letters(official(b).given![0])).not.toBe(letters(official(a).given![0]));
      expect(digitsApart(a.birthDate!, b.birthDate!)).toBe(1);
      expect(official(b).family).toBe(official(a).family);
      expect(b.address).toEqual(a.address);
      expect(phone(b)).toBe(phone(a));
      expect(mothersMaidenName(b)).toBe(mothersMaidenName(a));
      expect(ssn(b)).not.toBe(ssn(a));
      expect([a.multipleBirthBoolean, b.multipleBirthBoolean]).toEqual([true, true]);
    }
  });

  it('imports strictly with no failure', async () => {
    const store = createSqliteStore({ path: path.join(dir, 'store.sqlite') });
    try {
      const result = await importFiles(store, [path.join(dir, 'bundles')], { mode: 'strict', logger: createLogger('silent') });
      expect(result.failures.slice(0, 3)).toEqual([]);
      expect(result.failed).toBe(0);
      expect((await store.countByType()).Patient).toBe(COUNT + 20 + 3);
      for (const r of rows.slice(0, 5)) expect((await store.read('Patient', r.right)).id).toBe(r.right);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('is the same for a seed in NDJSON too, the ground truth beside it', async () => {
    const again = await writePopulation(input, path.join(dir, 'ndjson'), 'ndjson');
    expect(again).toMatchObject({ duplicates: 20, twins: 3, groundTruth: GROUND_TRUTH_FILE, resources: summary.resources });
    expect(fs.readFileSync(path.join(dir, 'ndjson', GROUND_TRUTH_FILE), 'utf8')).toBe(csv);
    const ids = fs.readFileSync(path.join(dir, 'ndjson', 'Patient.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).id);
    expect(new Set(ids)).toEqual(new Set(patients.keys()));
    const other = await writePopulation({ ...input, seed: 22, count: 20 }, path.join(dir, 'other'));
    expect(other.duplicates).toBe(2);
    expect(fs.readFileSync(path.join(dir, 'other', GROUND_TRUTH_FILE), 'utf8')).not.toContain(rows[0].right);
  });
});

describe('medgen-data generate --duplicates refusals', () => {
  const bin = path.resolve('bin/medgen-data.js');
  it('a rate outside 0..1, not a number, or with the Synthea engine: exit 2, one clear message, nothing written', () => {
    for (const [rate, extra] of [['1.5', []], ['-0.1', []], ['ten', []], ['0.1', ['--engine', 'synthea']]] as const) {
      const out = path.join(dir, `refused-${rate}`);
      const result = spawnSync(process.execPath, [bin, 'generate', '--count', '5', '--duplicates', rate, ...extra, '--out', out], { encoding: 'utf8' });
      expect(result.status).toBe(2);
      expect(result.stderr.split('\n')[0]).toMatch(extra.length ? /^generate: --duplicates works with the built-in engine only$/ : new RegExp(`^generate: duplicates must be a number from 0 to 1 .*got "${rate}" \\(--duplicates\\)$`));
      expect(result.stdout).toBe('');
      expect(fs.existsSync(out)).toBe(false);
    }
  }, 60_000);
});
