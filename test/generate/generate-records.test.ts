import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Bundle, Patient, Resource } from 'fhir/r4.js';
import { generatePopulation, type GeneratedPopulation } from '../../src/generate/population.js';
import { writePopulation } from '../../src/generate/write-population.js';

/** All `reference` strings in a resource, skipping contained-resource refs (`#…`). */
function references(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => references(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else references(v, out);
    }
  }
  return out;
}

/** Every dateTime-like string in a resource, by path, excluding Provenance.recorded (when the record was made). */
function times(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => times(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && k !== 'recorded') out.push(v);
      else times(v, out);
    }
  }
  return out;
}

let pop: GeneratedPopulation;
beforeAll(() => {
  pop = generatePopulation({ count: 60, seed: 11, referenceDate: '2024-06-30' });
});

const resources = (b: Bundle) => (b.entry ?? []).map((e) => e.resource as Resource);

describe('generated bundles', () => {
  it('are transactions in Synthea shape: urn:uuid fullUrls, POST to the type, US Core claims', () => {
    for (const b of pop.patients) {
      expect(b.type).toBe('transaction');
      for (const e of b.entry!) {
        expect(e.fullUrl).toBe(`urn:uuid:${e.resource!.id}`);
        expect(e.request).toEqual({ method: 'POST', url: e.resource!.resourceType });
      }
      const patient = b.entry![0].resource as Patient;
      expect(patient.meta?.profile).toEqual(['http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient']);
    }
    expect(pop.hospitalInformation.type).toBe('batch');
    for (const e of [...pop.hospitalInformation.entry!, ...pop.practitionerInformation.entry!]) {
      if (e.resource!.resourceType !== 'PractitionerRole') expect(e.request?.ifNoneExist).toMatch(/^identifier=.+\|.+$/);
    }
  });

  it('resolves every reference inside the bundle or, conditionally, to an identifier of the support files', () => {
    const identifiers = new Set<string>();
    for (const e of [...pop.hospitalInformation.entry!, ...pop.practitionerInformation.entry!]) {
      const r = e.resource as Resource & { identifier?: { system?: string; value?: string }[] };
      for (const id of r.identifier ?? []) identifiers.add(`${r.resourceType}?identifier=${id.system}|${id.value}`);
    }
    const dangling: string[] = [];
    for (const b of pop.patients) {
      const local = new Set(b.entry!.map((e) => e.fullUrl));
      for (const r of resources(b)) {
        for (const ref of references(r)) {
          if (ref.startsWith('#')) continue;
          if (ref.startsWith('urn:uuid:') ? !local.has(ref) : !identifiers.has(ref)) dangling.push(`${r.resourceType}: ${ref}`);
        }
      }
    }
    expect(dangling).toEqual([]);
    const types = new Set(pop.patients.flatMap((b) => resources(b).map((r) => r.resourceType)));
    for (const t of ['Patient', 'Encounter', 'Condition', 'Observation', 'DiagnosticReport', 'Procedure', 'Immunization', 'MedicationRequest', 'CarePlan', 'Claim', 'ExplanationOfBenefit', 'Provenance']) expect(types).toContain(t);
  });

  it('has no impossible records: nothing before birth or after death, no male pregnancy, no licence under 16', () => {
    const sixteen = Date.parse('2024-06-30') - 16 * 365.2425 * 86_400_000;
    for (const b of pop.patients) {
      const patient = resources(b)[0] as Patient;
      const birth = Date.parse(patient.birthDate!);
      const end = Date.parse(patient.deceasedDateTime ?? '2024-06-30T00:00:00Z');
      for (const r of resources(b).slice(1)) {
        for (const t of times(r)) {
          const ms = Date.parse(t);
          expect(ms).toBeGreaterThanOrEqual(birth);
          // EOB billablePeriod runs a year past the claim, as in Synthea; it is a coverage window, not an event.
          if (r.resourceType !== 'ExplanationOfBenefit') expect(ms).toBeLessThanOrEqual(end);
        }
      }
      const codes = JSON.stringify(b);
      if (patient.gender === 'male') expect(codes).not.toMatch(/"72892002"|Prenatal|delivery procedure|Cesarean/);
      const licence = patient.identifier!.some((i) => i.type?.coding?.[0].code === 'DL');
      if (birth > sixteen) expect(licence).toBe(false);
    }
  });

  it('has no period that ends before it starts (seed 7 once made CarePlans for conditions abated before the record)', () => {
    const backwards: string[] = [];
    const visit = (v: unknown, where: string) => {
      if (v === null || typeof v !== 'object') return;
      const p = v as { start?: unknown; end?: unknown };
      if (typeof p.start === 'string' && typeof p.end === 'string' && Date.parse(p.start) > Date.parse(p.end)) backwards.push(`${where}: ${p.start} > ${p.end}`);
      for (const [k, child] of Object.entries(v)) visit(child, `${where}.${k}`);
    };
    for (const population of [pop, generatePopulation({ count: 50, seed: 7, yearsOfHistory: 10, referenceDate: '2024-06-30' })]) {
      for (const b of population.patients) for (const r of resources(b)) visit(r, r.resourceType);
    }
    expect(backwards).toEqual([]);
  });

  it('addresses are real city/ZIP pairs of the state', async () => {
    const { default: zipcodes } = await import('zipcodes');
    const ma = new Set(zipcodes.lookupByState('MA').map((z) => `${z.city}|${z.zip}`));
    for (const b of pop.patients) {
      const a = (resources(b)[0] as Patient).address![0];
      expect(a.state).toBe('MA');
      expect(ma.has(`${a.city}|${a.postalCode}`)).toBe(true);
    }
  });
});

describe('determinism', () => {
  it('the same seed gives byte-identical files; another seed other people', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-gen-'));
    const opts = { count: 8, seed: 99, referenceDate: '2024-01-01' };
    const a = await writePopulation(opts, path.join(dir, 'a'));
    const b = await writePopulation(opts, path.join(dir, 'b'));
    expect(b.files).toEqual(a.files);
    expect(a.files[0]).toMatch(/^hospitalInformation\d+\.json$/);
    expect(a.files[1]).toMatch(/^practitionerInformation\d+\.json$/);
    for (const f of a.files) expect(fs.readFileSync(path.join(dir, 'b', f)).equals(fs.readFileSync(path.join(dir, 'a', f)))).toBe(true);
    const c = await writePopulation({ ...opts, seed: 100 }, path.join(dir, 'c'));
    expect(c.files.slice(2).filter((f) => a.files.includes(f))).toEqual([]);
    const nd = await writePopulation(opts, path.join(dir, 'nd'), 'ndjson');
    expect(nd.files).toEqual(expect.arrayContaining(['Patient.ndjson', 'Organization.ndjson', 'Practitioner.ndjson']));
    const line = fs.readFileSync(path.join(dir, 'nd', 'Encounter.ndjson'), 'utf8').split('\n')[0];
    expect(line).not.toMatch(/urn:uuid|\?identifier=/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
