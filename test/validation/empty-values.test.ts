import { validateResource } from '../../src/validation/validate-resource.js';

const errors = (r: unknown) => validateResource(r).filter((i) => i.severity === 'error' || i.severity === 'fatal');
const brief = (r: unknown) => errors(r).map((i) => [i.severity, i.expression?.[0], i.diagnostics]);

describe('empty values (ele-1), as the reference validator reads them', () => {
  it('an empty string is no value: one ele-1 error at the element, whatever its type', () => {
    const empty = 'ele-1: A primitive value cannot be empty: it needs a value or extensions';
    const patient = { resourceType: 'Patient', identifier: [{ system: '', value: 'x' }], gender: '', name: [{ given: ['Ann', ''] }] };
    expect(brief(patient)).toEqual([
      ['error', 'Patient.identifier[0].system', empty],
      ['error', 'Patient.gender', empty],
      ['error', 'Patient.name[0].given[1]', empty],
    ]);
  });

  it('an empty string with extensions is a value carried by its extensions', () => {
    const absent = { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' }] };
    expect(errors({ resourceType: 'Patient', gender: '', _gender: absent, name: [{ given: [''], _given: [absent] }] })).toEqual([]);
  });

  it('an empty array of primitives is no values: no error itself, only the minimum cardinality it leaves unmet', () => {
    expect(errors({ resourceType: 'Patient', meta: { profile: [] }, name: [{ given: [], family: 'Doe' }] })).toEqual([]);
    const search = { resourceType: 'SearchParameter', url: 'http://x/sp', name: 'x', status: 'draft', description: 'x', code: 'x', base: [], type: 'token' };
    expect(brief(search)).toEqual([['error', 'SearchParameter', "Missing required element 'base' (minimum cardinality 1)"]]);
  });

  it('an empty array of a complex type is an error at the array', () => {
    expect(brief({ resourceType: 'Patient', name: [] })).toEqual([['error', 'Patient.name', 'Arrays must not be empty']]);
  });
});
