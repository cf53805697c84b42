import { readFileSync } from 'node:fs';
import { compareNatives } from '../../scripts/check-native-invariants.js';
import { officialExampleFiles, resourcesOf } from '../../scripts/validation-corpus.js';
import { NATIVE_INVARIANTS } from '../../src/validation/native-invariants.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/validation/${name}`, import.meta.url), 'utf8'));

describe('native twins of FHIRPath constraints and business rules equal fhirpath.js', () => {
  it('on every official R4 example and the Synthea sample', () => {
    const sample = fixture('synthea-sample.json').entry.map((e: { resource: Record<string, unknown> }) => e.resource);
    const result = compareNatives([...resourcesOf(officialExampleFiles()), ...sample]);
    expect(result.differences).toEqual([]);
    // Every native invariant met the corpus, so the equality above says something about each.
    expect(Object.keys(NATIVE_INVARIANTS).filter((k) => !result.checked[k])).toEqual([]);
  }, 300_000);

  it('on hand-made resources where each one fails', () => {
    const result = compareNatives(fixture('native-twins.json').resources);
    expect(result.differences).toEqual([]);
    const mustFail = ['per-1', 'ref-1', 'qty-3', 'cpt-2', 'att-1', 'org-1', 'org-2', 'org-3', 'dom-2', 'dom-3', 'dom-4', 'dom-5', 'dom-6', 'obs-7', 'tim-2', 'tim-5', 'cpl-3', 'con-3', 'con-4', 'con-5', 'ait-1', 'ait-2'];
    const rules = ['period-order', 'encounter-finished-has-end', 'observation-final-has-result', 'vital-sign-ucum', 'heart-rate-plausible', 'body-weight-plausible', 'birth-date-not-future', 'systolic-plausible', 'diastolic-plausible'];
    expect([...mustFail, ...rules].filter((k) => !result.failing[k])).toEqual([]);
  });
});
