import { readFileSync } from 'node:fs';
import { buildCorpus } from '../../scripts/fault-corpus/driver.js';
import { officialExampleFiles, resourcesOf } from '../../scripts/validation-corpus.js';
import { structureValidator } from '../../src/validation/fhir-schema.js';
import { walkContext } from '../../src/validation/walk-context.js';
import { walkResource } from '../../src/validation/walk-elements.js';

type Json = Record<string, unknown>;

/** Whether the walk marked the resource for the schema validator. */
function suspected(resource: Json): boolean {
  const ctx = walkContext(resource);
  walkResource(resource, ctx);
  return ctx.structural === true;
}

const refused = (resource: Json) => !structureValidator(String(resource.resourceType))(resource);

const patient = (extra: Json): Json => ({ resourceType: 'Patient', id: 'p', active: true, name: [{ family: 'Doe' }], ...extra });

describe('the walk tells when the JSON schema may refuse a resource (ajv runs only then)', () => {
  it('on every resource ajv refuses among the official examples and a fault corpus built from them', () => {
    const corpus = buildCorpus({ seed: 11, perCategory: 40, perType: 6, sources: ['official'], syntheaDir: '' });
    const resources = [...resourcesOf(officialExampleFiles()), ...[...corpus.variants.values()].flat().map((v) => v.resource)];
    const missed = resources.filter((r) => refused(r) && !suspected(r)).map((r) => JSON.stringify(r).slice(0, 200));
    expect(missed).toEqual([]);
    // The corpus holds structural faults, so the equality above is about something.
    expect(resources.filter(refused).length).toBeGreaterThan(100);
  }, 300_000);

  it('on hand-made structural faults at every level', () => {
    const faults: Json[] = [
      patient({ unknown: 1 }),
      patient({ active: 'yes' }),
      patient({ name: { family: 'Doe' } }),
      patient({ birthDate: ['2020-01-01'] }),
      patient({ birthDate: '2020-1-1' }),
      patient({ gender: 'robot' }),
      patient({ name: [{ family: 'Doe', nickname: 'D' }] }),
      patient({ name: [{ given: 'John' }] }),
      patient({ _birthDate: 'x' }),
      patient({ _active: [{}] }),
      patient({ contained: [{ resourceType: 'Nonsense', id: 'x' }] }),
      patient({ contained: [{ resourceType: 'Organization', id: 'o', name: 'O', bogus: true }] }),
      patient({ text: { status: 'generated' } }),
      patient({ id: 'has space' }),
      patient({ extension: [{ url: 'http://x.org/e', valueCodeableConcept: { coding: [{ code: 'a', weird: 1 }] } }] }),
      patient({ name: [[{ family: 'Doe' }]] }),
      { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Patient', id: 'a', foo: 1 } }] },
      { resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueQuantity: { value: '1' } },
    ];
    for (const f of faults) expect({ fault: f, refused: refused(f) }).toEqual({ fault: f, refused: true });
    expect(faults.filter((f) => !suspected(f))).toEqual([]);
  });

  it('not on valid Synthea resources, so that ajv does not run for them', () => {
    const sample = JSON.parse(readFileSync(new URL('../fixtures/validation/synthea-sample.json', import.meta.url), 'utf8')) as { entry: { resource: Json }[] };
    const flagged = sample.entry.map((e) => e.resource).filter(suspected);
    expect(flagged.map((r) => r.resourceType)).toEqual([]);
    expect(sample.entry.length).toBeGreaterThan(10);
  });
});
