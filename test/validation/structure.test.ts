import { readFileSync } from 'node:fs';
import type { Bundle } from 'fhir/r4.js';
import { validateResource } from '../../src/validation/validate-resource.js';

const sample = JSON.parse(readFileSync(new URL('../fixtures/validation/synthea-sample.json', import.meta.url), 'utf8')) as Bundle;
const errors = (r: unknown) => validateResource(r).filter((i) => i.severity === 'error' || i.severity === 'fatal');

describe('validateResource: structure layer', () => {
  it('accepts real Synthea resources of every common type', () => {
    for (const entry of sample.entry ?? []) expect([entry.resource?.resourceType, errors(entry.resource)]).toEqual([entry.resource?.resourceType, []]);
  });

  it('rejects an unknown element at its FHIRPath location with code structure', () => {
    const issues = errors({ resourceType: 'Patient', name: [{ family: 'Doe', nickname: 'J' }] });
    expect(issues).toContainEqual(expect.objectContaining({ code: 'structure', expression: ['Patient.name[0].nickname'] }));
  });

  it('reports bad primitive formats as value issues, locating `_x` at `x`', () => {
    const issues = errors({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, effectiveDateTime: '2020-02-31T25:00:00Z', _status: { id: 'a b', foo: 1 } });
    expect(issues).toContainEqual(expect.objectContaining({ code: 'value', expression: ['Observation.effectiveDateTime'] }));
    expect(issues).toContainEqual(expect.objectContaining({ code: 'structure', expression: ['Observation.status.foo'] }));
  });

  it('reports wrong JSON types and an unknown contained resource type', () => {
    const issues = errors({ resourceType: 'Patient', active: 'yes', contained: [{ resourceType: 'Nope' }] });
    expect(issues).toContainEqual(expect.objectContaining({ code: 'structure', expression: ['Patient.active'] }));
    expect(issues).toContainEqual(expect.objectContaining({ code: 'structure', expression: ['Patient.contained[0].resourceType'] }));
  });

  it('refuses an array, a string or null where a complex type or the narrative div belongs', () => {
    const issues = errors({
      resourceType: 'Observation', status: 'final', code: 'x', subject: [{ reference: 'Patient/1' }],
      text: { status: 'generated', div: null },
    });
    expect(issues).toContainEqual(expect.objectContaining({ code: 'structure', diagnostics: 'Must be an object, not an array', expression: ['Observation.subject'] }));
    expect(issues).toContainEqual(expect.objectContaining({ code: 'structure', diagnostics: 'Must be an object, not a string', expression: ['Observation.code'] }));
    expect(issues).toContainEqual(expect.objectContaining({ code: 'structure', expression: ['Observation.text.div'] }));
  });

  it('rejects non-objects and unknown or missing resource types', () => {
    expect(errors([])[0].code).toBe('structure');
    expect(errors({ id: 'x' })[0]).toMatchObject({ code: 'required', expression: ['resourceType'] });
    expect(errors({ resourceType: 'Patientx' })[0]).toMatchObject({ code: 'not-supported', expression: ['resourceType'] });
  });
});
