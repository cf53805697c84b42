import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CATALOGUE } from '../../scripts/fault-corpus/catalogue.js';
import { buildCorpus, manifestOf, ndjsonOf, type Corpus } from '../../scripts/fault-corpus/driver.js';
import type { Variant } from '../../scripts/fault-corpus/fault.js';
import { officialExamplesDir } from '../../scripts/validation-corpus.js';

type Json = Record<string, unknown>;

const build = (): Corpus => buildCorpus({ seed: 7, perCategory: 12, perType: 6, sources: ['official'], syntheaDir: '' });

const files = new Map<string, Json>();

/** The original of a variant, read from the examples package anew (not from the driver's copy). */
function originalOf(v: Variant): Json {
  const source = v.key.slice(`${v.category}/${v.fault}/`.length, v.key.lastIndexOf('#'));
  const [, file, entry] = /^official:([^:]+)(?::entry\[(\d+)\])?$/.exec(source)!;
  if (!files.has(file)) files.set(file, JSON.parse(readFileSync(path.join(officialExamplesDir(), file), 'utf8')) as Json);
  const resource = files.get(file)!;
  return entry === undefined ? resource : ((resource.entry as Json[])[Number(entry)].resource as Json);
}

/** The value at a FHIRPath in the validator's notation (`Observation.component[0].value.ofType(Quantity)`). */
function valueAt(resource: Json, target: string): unknown {
  const steps = target.split('.').slice(1);
  let v: unknown = resource;
  for (let i = 0; i < steps.length; i++) {
    let [, name, index] = /^([^[]+)(?:\[(\d+)\])?$/.exec(steps[i])!;
    const choice = /^ofType\((\w+)\)(?:\[(\d+)\])?$/.exec(steps[i + 1] ?? '');
    if (choice) {
      name += choice[1].charAt(0).toUpperCase() + choice[1].slice(1);
      index = choice[2];
      i++;
    }
    v = (v as Json | undefined)?.[name];
    if (index !== undefined) v = (v as unknown[] | undefined)?.[Number(index)];
  }
  return v;
}

describe('fault corpus', () => {
  let corpus: Corpus;
  beforeAll(() => {
    corpus = build();
  });

  it('fills every category of the catalogue', () => {
    for (const category of CATALOGUE) expect(corpus.variants.get(category.name)?.length).toBe(12);
    const keys = [...corpus.variants.values()].flat().map((v) => v.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives the same bytes for the same seed', () => {
    const again = build();
    for (const category of CATALOGUE) expect(ndjsonOf(again.variants.get(category.name)!)).toBe(ndjsonOf(corpus.variants.get(category.name)!));
    expect(JSON.stringify(manifestOf(again))).toBe(JSON.stringify(manifestOf(corpus)));
  });

  it('changes each variant at its target, and leaves the controls as they were', () => {
    for (const v of [...corpus.variants.values()].flat()) {
      const original = originalOf(v);
      expect(v.target.split('.')[0]).toBe(v.resource.resourceType);
      if (v.category === 'control') {
        expect(v.resource).toEqual(original);
        continue;
      }
      const [before, after] = [valueAt(original, v.target), valueAt(v.resource, v.target)];
      expect({ key: v.key, defined: before !== undefined || after !== undefined }).toEqual({ key: v.key, defined: true });
      expect({ key: v.key, same: JSON.stringify(before) === JSON.stringify(after) }).toEqual({ key: v.key, same: false });
    }
  });
});
