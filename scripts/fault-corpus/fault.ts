/**
 * The shape of the fault catalogue. A fault lists the sites in a resource where it can be put; a site makes
 * a faulty copy of the resource. `target` is the FHIRPath (validator notation) of where the fault sits:
 * the element changed or added; for a removed element, the element it was removed from; for a broken
 * invariant, the element the constraint is declared on (where validators report it).
 */
import type { Random } from '../../src/generate/prng.js';
import type { Json } from './json.js';
import type { Node } from './walk.js';

export type Origin = 'official' | 'synthea' | 'generated';

/** A valid resource the corpus starts from. */
export interface Original {
  /** `official:Patient-example.json`, `synthea:<file>:entry[3]`, `generated:patient-2:entry[0]`, … */
  id: string;
  origin: Origin;
  resource: Json;
}

/** An original as a fault sees it: walked once, with a cache the faults of one family may share. */
export interface Subject {
  original: Original;
  resource: Json;
  nodes: Node[];
  memo: Map<string, unknown>;
}

/** What `make` computes from a subject, computed once per subject and kept in its memo under `key`. */
export function memo<T>(subject: Subject, key: string, make: () => T): T {
  if (!subject.memo.has(key)) subject.memo.set(key, make());
  return subject.memo.get(key) as T;
}

export interface Site {
  target: string;
  /** Tells apart sites at one target (defaults to the target). */
  id?: string;
  /** The faulty copy, or undefined when the fault turns out not to hold here (checked, not guessed). */
  make(rng: Random): Json | undefined;
}

export interface Fault {
  name: string;
  /** What we believe the reference validator will say; it is the judge. */
  expect: 'error' | 'valid';
  sites(subject: Subject): Site[];
}

export interface Category {
  name: string;
  faults: Fault[];
}

/** One line of the corpus. */
export interface Variant {
  key: string;
  category: string;
  fault: string;
  expect: 'error' | 'valid';
  target: string;
  resource: Json;
}
