/**
 * Run in a child process by schema-cache.test.ts (a fresh process is what reads the cache): validates the
 * samples with the R4 schema validators of the cache directory given, and prints the outcome as JSON.
 */
import { structureValidator } from '../../src/validation/fhir-schema.js';

const samples: unknown[] = [
  { resourceType: 'Patient', id: 'ok', gender: 'female', birthDate: '1980-02-29', name: [{ family: 'Zoë' }] },
  { resourceType: 'Patient', gender: 'woman', birthDate: '1980-13-01', unknownElement: true },
  { resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueQuantity: { value: '12' }, contained: [{ resourceType: 'Patient', active: 'yes' }] },
  { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' } } }, { resource: { resourceType: 'Nope' } }] },
];

const results = samples.map((sample) => {
  const validate = structureValidator((sample as { resourceType: string }).resourceType, process.argv[2]);
  const valid = validate(sample);
  return { valid, errors: (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword} ${e.message ?? ''}`) };
});
process.stdout.write(JSON.stringify(results));
