/**
 * The reference harness (issue #14) answers as the HL7 validator does. Its first run builds it with Maven
 * (downloading HAPI FHIR into ~/.m2), hence the long timeout.
 */
import { type ReferenceValidator, startReferenceValidator } from '../../scripts/reference-validator.js';
import { generatePopulation } from '../../src/generate/population.js';
import { needsTool } from '../external-tool.js';

const it = needsTool(['java', 'mvn'], 'the reference validator is a Java program built with Maven (tools/reference-validator)');
const FIRST_BUILD_MS = 15 * 60 * 1000;

let running: Promise<ReferenceValidator> | undefined;
const harness = () => (running ??= startReferenceValidator({ extensions: ['http://hl7.org/fhir/us/core/', 'http://synthetichealth.github.io/'] }));

afterAll(async () => {
  await running?.then((validator) => validator.close(), () => undefined);
});

describe('reference validator harness', () => {
  it('finds no error in a valid Patient', async () => {
    const issues = await (await harness()).validate('valid', { resourceType: 'Patient', id: 'a', gender: 'female', birthDate: '1990-01-02' });
    expect(issues.filter((i) => i.severity === 'error' || i.severity === 'fatal')).toEqual([]);
  }, FIRST_BUILD_MS);

  it('reports an impossible birthDate at Patient.birthDate', async () => {
    const issues = await (await harness()).validate('bad-date', { resourceType: 'Patient', birthDate: '1990-13-45' });
    expect(issues).toContainEqual(expect.objectContaining({ severity: 'error', expression: 'Patient.birthDate' }));
  }, FIRST_BUILD_MS);

  it('finds no error in generated patients, of every profile (issue #14: generated data is valid to both validators)', async () => {
    const judge = await harness();
    const bundles = ['default', 'chronic_disease', 'pediatric', 'emergency'].flatMap((profile, i) => {
      const pop = generatePopulation({ count: 2, seed: 60 + i, profile, referenceDate: '2024-06-30' });
      return [pop.hospitalInformation, pop.practitionerInformation, ...pop.patients];
    });
    const errors = (
      await Promise.all(
        bundles.flatMap((b, n) => (b.entry ?? []).map(async (e, m) => {
          const issues = await judge.validate(`${n}/${m}`, e.resource as object);
          return issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => `${i.expression}: ${i.message}`);
        })),
      )
    ).flat();
    expect(errors).toEqual([]);
  }, FIRST_BUILD_MS);
});
