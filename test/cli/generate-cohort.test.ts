import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Bundle, Condition, Patient } from 'fhir/r4.js';
import { refusedBy } from './refusal.js';

const bin = path.resolve('bin/medgen-data.js');
const run = (args: string[]) => spawnSync(process.execPath, [bin, 'generate', '--reference-date', '2025-01-01', ...args], { encoding: 'utf8' });

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-cohort-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};
/** The patients' bundles a run wrote (the two support files left out). */
const patientsIn = (out: string): Bundle[] =>
  fs.readdirSync(out).filter((f) => !/^(hospital|practitioner)Information/.test(f)).map((f) => JSON.parse(fs.readFileSync(path.join(out, f), 'utf8')) as Bundle);
const hasCondition = (b: Bundle, code: string) => b.entry!.some((e) => e.resource!.resourceType === 'Condition' && (e.resource as Condition).code!.coding![0].code === code);

describe('medgen-data generate --cohort', () => {
  it('writes the cohort a YAML file describes', () => {
    const spec = file('ohio.yaml', 'count: 3\nage: { min: 60 }\nstate: Ohio\nconditions:\n  - code: 44054006\nencounters:\n  - { class: inpatient, atLeast: 3, within: { lastYears: 5 } }\n');
    const out = path.join(dir, 'ohio');
    const res = run(['--cohort', spec, '--out', out, '--json']);
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ patients: 3 });
    const patients = patientsIn(out);
    expect(patients).toHaveLength(3);
    for (const b of patients) {
      expect((b.entry![0].resource as Patient).address![0].state).toBe('OH');
      expect(hasCondition(b, '44054006')).toBe(true);
    }
  });

  it('takes the one-line form: --with-condition with the usual flags', () => {
    const out = path.join(dir, 'one-line');
    const res = run(['--with-condition', '44054006', '--without-condition', '53741008', '--min-age', '60', '--count', '3', '--out', out]);
    expect(res.status).toBe(0);
    for (const b of patientsIn(out)) {
      expect((b.entry![0].resource as Patient).birthDate! <= '1965-01-01').toBe(true);
      expect(hasCondition(b, '44054006')).toBe(true);
      expect(hasCondition(b, '53741008')).toBe(false);
    }
  });

  it('refuses bad cohorts with one line naming the fault and where it is, and writes nothing', () => {
    const refusals: [string[], RegExp][] = [
      [['--with-condition', '1234567'], /unknown condition code "1234567"; known: .* \(--with-condition\)$/],
      [['--with-condition', '72892002', '--gender', 'male'], /Normal pregnancy \(finding\) is for women only, but gender is male \(--with-condition\)$/],
      [['--cohort', file('empty-ages.json', '{"age": {"min": 70, "max": 60}}')], /cohort.age: min \(70\) is above max \(60\): the age range is empty \(in .*empty-ages.json\)$/],
      [['--cohort', file('negative.yaml', 'count: -5\n')], /cohort.count must be >= 1, got -5 \(in .*negative.yaml\)$/],
      [['--cohort', file('typo.yaml', 'conditions:\n  - code: 44054006\n    onset: { aftr: 2020-01-01 }\n')], /unknown key "aftr" in cohort.conditions\[0\].onset/],
      [['--cohort', file('count.yaml', 'count: 5\n'), '--count', '7'], /count is given both as a parameter and in the cohort \(cohort.count\)/],
      [['--cohort', path.join(dir, 'missing.yaml')], /cannot read the cohort file .*missing.yaml: ENOENT/],
      [['--cohort', file('both.yaml', 'count: 2\n'), '--with-condition', '44054006'], /not both/],
    ];
    for (const [args, message] of refusals) {
      const out = path.join(dir, 'refused');
      expect(refusedBy('generate', run([...args, '--out', out])).trim()).toMatch(message);
      expect(fs.existsSync(out)).toBe(false);
    }
  });
});
