import { ucumProblem } from '../../src/validation/ucum-units.js';
import { AS_STORED, validateResource } from '../../src/validation/validate-resource.js';

const UCUM = 'http://unitsofmeasure.org';

function observation(code: string): Record<string, unknown> {
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { text: 'a measurement' },
    valueQuantity: { value: 120, unit: code, system: UCUM, code },
    component: [{ code: { text: 'rate' }, valueQuantity: { value: 60, system: UCUM, code: '/min' } }],
  };
}

describe('UCUM codes', () => {
  test('unit expressions parse; Synthea 2021 spellings and pharmacy abbreviations do not', () => {
    for (const unit of ['mm[Hg]', '/min', 'kg/m2', 'mL/min/{1.73_m2}', '10*3/uL', '{score}', '%', '1', 'mo', '[degF]']) expect(ucumProblem(unit)).toBeNull();
    for (const unit of ['mmHg', 'beats/minute', 'mEq', 'tbl', 'ml/hr', 'month', 'degF', 'm(']) expect(ucumProblem(unit)).toEqual(expect.any(String));
  });

  test('$validate rejects a Quantity coded outside UCUM, at the Quantity, as the reference validator does', () => {
    const errors = validateResource(observation('mmHg')).filter((i) => i.severity === 'error');
    expect(errors).toEqual([expect.objectContaining({ code: 'invalid', expression: ['Observation.valueQuantity'] })]);
    expect(errors[0].diagnostics).toContain("'mmHg'");
    expect(validateResource(observation('mm[Hg]')).filter((i) => i.severity === 'error')).toEqual([]);
  });

  test('Durations, Ages and Codings with system UCUM are judged too; other systems are not', () => {
    const request = {
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/1' },
      medicationCodeableConcept: { coding: [{ system: UCUM, code: 'tablets' }] },
      dosageInstruction: [
        {
          timing: { repeat: { boundsDuration: { value: 1, system: UCUM, code: 'dayz' } } },
          doseAndRate: [{ doseQuantity: { value: 1, system: 'http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm', code: 'TAB' } }],
        },
      ],
    };
    const at = validateResource(request).filter((i) => i.severity === 'error').map((i) => i.expression?.[0]);
    expect(at.sort()).toEqual(['MedicationRequest.dosageInstruction[0].timing.repeat.boundsDuration', 'MedicationRequest.medicationCodeableConcept.coding[0]']);
  });

  test('an import only warns, so Synthea 2021 vital signs still import', () => {
    const issues = validateResource(observation('beats/minute'), AS_STORED).filter((i) => i.diagnostics?.includes('UCUM'));
    expect(issues.map((i) => i.severity)).toEqual(['warning']);
  });
});
