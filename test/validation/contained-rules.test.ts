import { validateResource } from '../../src/validation/validate-resource.js';

const errors = (r: unknown) => validateResource(r).filter((i) => i.severity === 'error' || i.severity === 'fatal');
const brief = (r: unknown) => errors(r).map((i) => ({ severity: i.severity, at: i.expression?.[0], message: i.diagnostics }));

/** An Observation holding `contained`, referring to `#<ref>` from its subject when ref is given. */
const observation = (contained: object[], ref?: string) => ({
  resourceType: 'Observation',
  status: 'final',
  code: { text: 'x' },
  contained,
  ...(ref === undefined ? {} : { subject: { reference: `#${ref}` } }),
});

describe('contained resources (https://hl7.org/fhir/R4/references.html#contained)', () => {
  it('a valid contained resource, referred to by its container, raises nothing', () => {
    expect(errors(observation([{ resourceType: 'Patient', id: 'p' }], 'p'))).toEqual([]);
  });

  it('`#` alone refers to the container: neither an invalid reference nor a ref-1 failure', () => {
    const basic = { resourceType: 'Basic', id: 'b', code: { text: 'x' }, subject: { reference: '#' } };
    expect(errors(observation([basic]))).toEqual([]);
  });

  it('a contained resource requires an id', () => {
    const basic = { resourceType: 'Basic', code: { text: 'x' }, subject: { reference: '#' } };
    expect(brief(observation([basic]))).toEqual([{ severity: 'error', at: 'Observation.contained[0]', message: 'Resource requires an id, but none is present' }]);
  });

  it('dom-3 is reported on the contained resource nobody refers to, not on the container', () => {
    const found = brief(observation([{ resourceType: 'Patient', id: 'p' }, { resourceType: 'Basic', id: 'orphan', code: { text: 'x' } }], 'p'));
    expect(found).toEqual([{ severity: 'error', at: 'Observation.contained[1]', message: expect.stringMatching(/^dom-3: .*SHALL be referred to/) }]);
  });
});
