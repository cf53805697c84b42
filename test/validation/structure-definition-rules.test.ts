import { validateResource } from '../../src/validation/validate-resource.js';

const errors = (r: unknown) => validateResource(r).filter((i) => i.severity === 'error' || i.severity === 'fatal');

function definition(type: string, extra: object = {}) {
  const root = type.includes(':') ? 'Thing' : type;
  return {
    resourceType: 'StructureDefinition',
    url: 'http://example.org/fhir/StructureDefinition/thing',
    name: 'Thing',
    status: 'draft',
    kind: 'logical',
    abstract: false,
    type,
    derivation: 'specialization',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Element',
    differential: { element: [{ id: root, path: root }] },
    ...extra,
  };
}

describe('StructureDefinition.type', () => {
  it('accepts a logical model named by URL, a profile of a FHIR type and a core base definition', () => {
    expect(errors(definition('http://example.org/fhir/StructureDefinition/thing'))).toEqual([]);
    expect(errors(definition('Patient', { kind: 'resource', derivation: 'constraint', baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient' }))).toEqual([]);
    expect(errors(definition('Event', { url: 'http://hl7.org/fhir/StructureDefinition/Event' }))).toEqual([]);
  });

  it('a type without a namespace must be one the specification defines', () => {
    expect(errors(definition('TestScript.meta'))).toEqual([
      {
        severity: 'error',
        code: 'invalid',
        diagnostics: 'The type TestScript.meta is not legal because it is not defined in the FHIR specification. Other types must have a namespace on them',
        expression: ['StructureDefinition.type'],
      },
    ]);
  });

  it('a type named by URL belongs to a logical model', () => {
    // The differential breaks sdf-8a as well: a non-logical model's paths start with its type.
    const found = errors(definition('http://example.org/fhir/StructureDefinition/thing', { kind: 'resource' })).filter((i) => i.expression?.[0] === 'StructureDefinition.type');
    expect(found.map((i) => [i.severity, i.expression?.[0], i.diagnostics])).toEqual([
      ['error', 'StructureDefinition.type', "The type http://example.org/fhir/StructureDefinition/thing can only be defined if the kind is 'logical' not resource"],
    ]);
  });

  it('a FHIR type is specialised only by its own base definition', () => {
    const found = errors(definition('Patient', { kind: 'resource' }));
    expect(found.map((i) => [i.severity, i.expression?.[0], i.diagnostics])).toEqual([
      ['error', 'StructureDefinition.type', 'The type Patient can only be used as a type when constraining the base definition of the type'],
    ]);
  });
});
