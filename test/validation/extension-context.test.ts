import { validateResource } from '../../src/validation/validate-resource.js';

const CORE = 'http://hl7.org/fhir/StructureDefinition/';
const errors = (r: unknown) => validateResource(r).filter((i) => i.severity === 'error' || i.severity === 'fatal');
const brief = (r: unknown) => errors(r).map((i) => ({ severity: i.severity, at: i.expression?.[0], message: i.diagnostics }));
const ext = (name: string, value: object) => ({ url: `${CORE}${name}`, ...value });
const birthTime = ext('patient-birthTime', { valueDateTime: '1970-01-01T08:30:00Z' });
const observation = (more: object) => ({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, ...more });

describe('core extensions are used only where their context allows (https://hl7.org/fhir/R4/defining-extensions.html#context)', () => {
  it('extensions in their contexts raise nothing: a path, a primitive, a backbone element, a base type, a contained resource', () => {
    expect(errors({ resourceType: 'Patient', birthDate: '1970-01-01', _birthDate: { extension: [birthTime] } })).toEqual([]);
    expect(errors(observation({ component: [{ code: { text: 'c' }, extension: [ext('observation-timeOffset', { valueInteger: 5 })] }] }))).toEqual([]);
    // iso21090-uncertainty is defined on Quantity, so it may sit on an Age; resource-pertainsToGoal on any Resource.
    const onsetAge = { value: 40, unit: 'a', system: 'http://unitsofmeasure.org', code: 'a', extension: [ext('iso21090-uncertainty', { valueDecimal: 1 })] };
    const goal = ext('resource-pertainsToGoal', { valueReference: { reference: 'Goal/1' } });
    expect(errors({ resourceType: 'Condition', subject: { reference: 'Patient/1' }, onsetAge, extension: [goal] })).toEqual([]);
    const contained = { resourceType: 'Patient', id: 'p', extension: [ext('patient-congregation', { valueString: 'x' })] };
    expect(errors(observation({ contained: [contained], subject: { reference: '#p' } }))).toEqual([]);
  });

  it('an extension elsewhere is an error at the element it is on, naming that element and the allowed contexts', () => {
    expect(brief({ resourceType: 'Patient', extension: [birthTime] })).toEqual([
      {
        severity: 'error',
        at: 'Patient',
        message: `The extension ${CORE}patient-birthTime is not allowed to be used at this point (this element is [Patient]; allowed: e:Patient.birthDate)`,
      },
    ]);
    const range = [{ low: { value: 1 }, extension: [ext('observation-timeOffset', { valueInteger: 5 })] }];
    expect(brief(observation({ referenceRange: range }))).toEqual([
      {
        severity: 'error',
        at: 'Observation.referenceRange[0]',
        message: expect.stringContaining('(this element is [BackboneElement, Observation.referenceRange]; allowed: e:Observation.component)'),
      },
    ]);
  });

  it('a reference or a choice is known by its paths through each type and by its own type', () => {
    const subject = { reference: 'Patient/1', extension: [ext('patient-congregation', { valueString: 'x' })] };
    expect(brief(observation({ subject }))[0]).toMatchObject({ at: 'Observation.subject', message: expect.stringContaining('[Observation.subject, Reference]') });
    const value = { valueQuantity: { value: 1, extension: [ext('patient-congregation', { valueString: 'x' })] } };
    const names = '[Observation.value, Observation.value.ofType(Quantity), Observation.valueQuantity, Quantity]';
    expect(brief(observation(value))[0]).toMatchObject({ at: 'Observation.valueQuantity', message: expect.stringContaining(names) });
  });

  it('a modifier extension out of its context is reported as one', () => {
    const found = brief(observation({ modifierExtension: [ext('request-doNotPerform', { valueBoolean: true })] }));
    expect(found).toEqual([{ severity: 'error', at: 'Observation', message: expect.stringMatching(/^The modifier extension \S+request-doNotPerform is not allowed to be used at this point/) }]);
  });
});
