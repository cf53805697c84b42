/**
 * Seeded choices of the fault corpus, on the project's PRNG (src/generate/prng.ts, xoshiro128**): the same
 * seed picks the same originals, sites and bad values on every machine. Each step draws from its own stream,
 * so that adding a category does not reshuffle the others.
 */
import { Random } from '../../src/generate/prng.js';
import type { Original } from './fault.js';

/** Streams below this are the pool's; a category's stream is this plus its position in the catalogue. */
export const CATEGORY_STREAM = 100;
export const POOL_STREAM = 1;

export function random(seed: number, stream: number): Random {
  return new Random(seed, stream);
}

/** A shuffled copy (Fisher–Yates). */
export function shuffle<T>(items: readonly T[], rng: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Round-robin over the groups: any prefix of the result takes from every group alike. */
export function interleave<T>(groups: T[][]): T[] {
  const out: T[] = [];
  const longest = Math.max(0, ...groups.map((g) => g.length));
  for (let i = 0; i < longest; i++) for (const g of groups) if (i < g.length) out.push(g[i]);
  return out;
}

/** Groups by a key, in first-seen order of the keys. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const g = groups.get(k);
    if (g) g.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * The originals in an order that spreads any prefix over the sources and the resource types: sources take
 * turns, within a source the resource types take turns (in a shuffled order), each type's resources shuffled.
 * Without it the definitions (thousands of StructureDefinitions, ValueSets) would crowd out the clinical data.
 */
export function spreadOrder(originals: readonly Original[], rng: Random): Original[] {
  const bySource = [...groupBy(originals, (o) => o.origin).values()].map((ofSource) => {
    const byType = [...groupBy(ofSource, (o) => String(o.resource.resourceType)).entries()].sort(([a], [b]) => a.localeCompare(b));
    return interleave(shuffle(byType, rng).map(([, group]) => shuffle(group, rng)));
  });
  return interleave(bySource);
}
