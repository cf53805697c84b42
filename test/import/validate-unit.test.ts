/** validateUnitAhead: what the validation worker computes for one unit, as a pure function. */
import type { BundleEntry, Resource } from 'fhir/r4.js';
import { validateUnitAhead, type EntryIssues } from '../../src/import/ahead/validate-unit.js';
import { unitsOfDocument } from '../../src/import/bundle-units.js';
import { patientBundle, patientId } from './synthea-like.js';

const unitOf = (extra: BundleEntry[]) => [...unitsOfDocument(patientBundle(1, extra))][0];
const errors = (entry: EntryIssues) => entry!.issues.filter((i) => i.severity === 'error');
const post = (fullUrl: string, resource: object): BundleEntry => ({ fullUrl, resource: resource as Resource, request: { method: 'POST', url: (resource as Resource).resourceType } });

test('valid entries, with urn:uuid and conditional references, have no errors', async () => {
  const issues = await validateUnitAhead(unitOf([]));
  expect(issues).toHaveLength(4);
  expect(issues.map(errors)).toEqual([[], [], [], []]);
});

test('references are rewritten as the import rewrites them, so their target types are checked', async () => {
  // Observation.subject may not be a Claim: visible only once urn:uuid:claim-1 has become Claim/claim-1.
  const wrongTarget = post('urn:uuid:obs-x', {
    resourceType: 'Observation',
    id: 'obs-x',
    status: 'final',
    code: { text: 'x' },
    subject: { reference: 'urn:uuid:claim-1' },
  });
  const issues = await validateUnitAhead(unitOf([wrongTarget]));
  expect(errors(issues[4])).toEqual([expect.objectContaining({ expression: ['Observation.subject'], diagnostics: expect.stringMatching(/Found Claim, but expected one of/) })]);
});

test('a conditional reference is validated for its type without a store', async () => {
  const badConditional = post('urn:uuid:enc-x', {
    resourceType: 'Encounter',
    id: 'enc-x',
    status: 'finished',
    class: { code: 'AMB' },
    subject: { reference: 'Organization?identifier=x|y' },
  });
  const issues = await validateUnitAhead(unitOf([badConditional]));
  expect(issues[4]!.issues.map((i) => i.expression?.[0])).toContain('Encounter.subject');
});

test('content errors carry their FHIRPath; the id is the one the import gives', async () => {
  // The import gives a resource without id its fullUrl's uuid, so no Patient.id issue may appear.
  const invalid = post(`urn:uuid:${patientId(9)}`, { resourceType: 'Patient', gender: 'sometimes' });
  const issues = await validateUnitAhead(unitOf([invalid]));
  expect(new Set(errors(issues[4]).map((i) => i.expression?.[0]))).toEqual(new Set(['Patient.gender']));
  expect(issues[4]!.issues.filter((i) => i.expression?.[0] === 'Patient.id')).toEqual([]);
  expect(issues[4]!.key).toBe(`Patient/${patientId(9)}`);
});

test('entries the worker cannot prepare are null, left to the import (which fails them itself)', async () => {
  const unit = unitOf([post('urn:uuid:obs-y', { resourceType: 'Observation', id: 'obs-y', status: 'final', code: { text: 'y' }, subject: { reference: 'urn:uuid:nowhere' } })]);
  unit.entries.push({ resource: undefined, index: 5, unreadable: 'Line 6: not JSON' }, { resource: 'text', index: 6 }, { resource: { resourceType: 'Patient', id: 'not an id!' }, index: 7 });
  const issues = await validateUnitAhead(unit);
  expect(issues.slice(4)).toEqual([null, null, null, null]);
});
