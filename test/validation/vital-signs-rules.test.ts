import { AS_STORED, validateResource } from '../../src/validation/validate-resource.js';

const errors = (r: unknown) => validateResource(r).filter((i) => i.severity === 'error' || i.severity === 'fatal');

const loinc = (code: string) => ({ system: 'http://loinc.org', code });
const vitalSigns = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }];

function observation(codings: object[], extra: object = {}) {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: vitalSigns,
    code: { coding: codings },
    subject: { reference: 'Patient/p' },
    effectiveDateTime: '2020-01-01',
    valueQuantity: { value: 37, unit: 'Cel', system: 'http://unitsofmeasure.org', code: 'Cel' },
    ...extra,
  };
}

describe('vital signs: the profile a vital-sign code implies', () => {
  it('accepts a vital sign with its magic code, category, subject and time', () => {
    expect(errors(observation([loinc('8310-5')]))).toEqual([]);
    expect(errors(observation([loinc('8331-1'), loinc('8310-5')]))).toEqual([]);
  });

  it('leaves an Observation with no vital-sign code alone', () => {
    expect(errors({ resourceType: 'Observation', status: 'final', code: { coding: [loinc('2339-0')] } })).toEqual([]);
  });

  it('a code that names a vital sign needs the profile’s magic LOINC code too', () => {
    const found = errors(observation([loinc('8331-1')]));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'error', expression: ['Observation.code'] });
    expect(found[0].diagnostics).toMatch(/^BodyTempCode: magic LOINC code 8310-5 required, but not found .*bodytemp/);
  });

  it('the first sign listed wins, and SNOMED CT codes imply the profile too', () => {
    const bp = errors(observation([{ system: 'http://snomed.info/sct', code: '271649006' }], { valueQuantity: undefined }));
    expect(bp.map((i) => i.diagnostics)).toContainEqual(expect.stringMatching(/^BPCode: magic LOINC code 85354-9/));
  });

  it('a vital sign needs a vital-signs category, a subject and an effective time', () => {
    const bare = observation([loinc('8310-5')], { category: undefined, subject: undefined, effectiveDateTime: undefined });
    const found = errors(bare);
    expect(found.map((i) => i.expression?.[0])).toEqual(['Observation', 'Observation', 'Observation']);
    expect(found.map((i) => i.diagnostics)).toEqual([
      expect.stringMatching(/^Slice 'Observation.category:VSCat': a matching slice is required/),
      expect.stringMatching(/^Observation.subject: minimum required = 1/),
      expect.stringMatching(/^Observation.effective\[x\]: minimum required = 1/),
    ]);
  });

  it('judges an Observation inside a Bundle at its path there', () => {
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:5e0f8f0c-6f4b-4d4b-9c1e-1a2b3c4d5e6f', resource: observation([loinc('55284-4')], { valueQuantity: undefined }) }] };
    expect(errors(bundle).map((i) => i.expression?.[0])).toEqual(['Bundle.entry[0].resource.code']);
  });

  it('only warns when judging data to store: an import keeps a Synthea 2019 blood pressure coded 55284-4', () => {
    const bp = observation([loinc('55284-4')], { valueQuantity: undefined });
    expect(errors(bp)).toContainEqual(expect.objectContaining({ expression: ['Observation.code'] }));
    const stored = validateResource(bp, AS_STORED);
    expect(stored.filter((i) => i.severity === 'error')).toEqual([]);
    expect(stored).toContainEqual(expect.objectContaining({ severity: 'warning', expression: ['Observation.code'] }));
  });
});
