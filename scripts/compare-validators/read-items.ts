/**
 * What the comparison validates: the lines of a fault corpus (scripts/fault-corpus.ts writes NDJSON lines with
 * key, category and resource), and plain FHIR JSON files under a label (each file one resource, a Bundle whole,
 * as the reference validator reads it). A seeded sample keeps the same items for the same seed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Random } from '../../src/generate/prng.js';
import { jsonFiles } from '../validation-corpus.js';

export interface Item {
  key: string;
  category: string;
  /** The resource, or (a file) its text, parsed as our validator parses files. */
  resource?: unknown;
  text?: string;
}

/** Every line of every `.ndjson` file under `dir` (a fault corpus), in file order. */
export function* corpusItems(dir: string): Generator<Item> {
  const files = statSync(dir).isDirectory()
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.ndjson'))
        .sort()
        .map((f) => path.join(dir, f))
    : [dir];
  for (const file of files) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const { key, category, resource } = JSON.parse(line) as { key: string; category: string; resource: unknown };
      yield { key, category, resource };
    }
  }
}

/** The JSON files under `dir`, each an item of `category`, keyed by its path below `dir`. */
export function* fileItems(category: string, dir: string): Generator<Item> {
  for (const file of jsonFiles(dir)) yield { key: `${category}:${path.relative(dir, file)}`, category, text: readFileSync(file, 'utf8') };
}

/** `n` items chosen evenly at random by `seed` (all of them when n is undefined or not smaller), in input order. */
export function sample<T>(items: T[], n: number | undefined, seed: number): T[] {
  if (n === undefined || n >= items.length) return items;
  const rng = new Random(seed, 14);
  const order = items.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order
    .slice(0, n)
    .sort((a, b) => a - b)
    .map((i) => items[i]);
}
