/**
 * The fault corpus driver: picks the originals (sources.ts), lists for every fault the originals it can be
 * put into, then fills each category round-robin over its faults, each fault walking its originals in an
 * order spread over sources and resource types (sampling.ts), one site per original per pass. A fault that
 * runs out drops out, so the others fill its share. Everything random is drawn from the seed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Random } from '../../src/generate/prng.js';
import { CATALOGUE } from './catalogue.js';
import type { Category, Fault, Origin, Original, Subject, Variant } from './fault.js';
import { GUARD_EXEMPT, keepsContained } from './guard.js';
import { CATEGORY_STREAM, POOL_STREAM, random, spreadOrder } from './sampling.js';
import { loadOriginals, selectPool } from './sources.js';
import { walk } from './walk.js';

export interface CorpusOptions {
  seed: number;
  /** Variants per category (fewer where a category runs out of sites). */
  perCategory: number;
  sources: Origin[];
  syntheaDir: string;
  /** Originals per source and resource type (sources.ts PER_TYPE by default); fewer make a quick run. */
  perType?: number;
  log?: (message: string) => void;
}

export interface Corpus {
  seed: number;
  perCategory: number;
  sources: Origin[];
  /** Variants by category, in catalogue order. */
  variants: Map<string, Variant[]>;
  /** The originals the variants were made from, by id. */
  originals: Map<string, Original>;
}

const subjectOf = (original: Original): Subject => ({ original, resource: original.resource, nodes: walk(original.resource), memo: new Map() });

/** One fault's walk over its originals: one site per original per pass, until none is left. */
class FaultCursor {
  private at = 0;
  private readonly used = new Map<Original, Set<string>>();

  constructor(
    readonly fault: Fault,
    private readonly queue: Original[],
    private readonly subject: (o: Original) => Subject,
    private readonly guarded: boolean,
  ) {}

  /** The next variant's resource and target, or undefined when the fault has no site left. */
  next(rng: Random): { original: Original; target: string; resource: Record<string, unknown> } | undefined {
    while (this.queue.length > 0) {
      if (this.at >= this.queue.length) this.at = 0;
      const original = this.queue[this.at];
      const used = this.used.get(original) ?? new Set<string>();
      this.used.set(original, used);
      const free = this.fault.sites(this.subject(original)).filter((s) => !used.has(s.id ?? s.target));
      if (free.length === 0) {
        this.queue.splice(this.at, 1);
        continue;
      }
      const site = rng.pick(free);
      used.add(site.id ?? site.target);
      const resource = site.make(rng);
      if (!resource || (this.guarded && !keepsContained(original.resource, resource))) continue;
      this.at++;
      return { original, target: site.target, resource };
    }
    return undefined;
  }
}

function fill(category: Category, index: number, pool: Original[], applicable: Map<Fault, Set<Original>>, options: CorpusOptions, used: Set<Original>): Variant[] {
  const rng = random(options.seed, CATEGORY_STREAM + index);
  const order = spreadOrder(pool, rng);
  const subjects = new Map<Original, Subject>();
  const subject = (o: Original) => subjects.get(o) ?? subjects.set(o, subjectOf(o)).get(o)!;
  const guarded = !GUARD_EXEMPT.has(category.name);
  let cursors = category.faults.map((f) => new FaultCursor(f, order.filter((o) => applicable.get(f)?.has(o)), subject, guarded));
  const variants: Variant[] = [];
  const counts = new Map<string, number>();
  while (variants.length < options.perCategory && cursors.length > 0) {
    cursors = cursors.filter((cursor) => {
      if (variants.length >= options.perCategory) return true;
      const made = cursor.next(rng);
      if (!made) return false;
      const stem = `${category.name}/${cursor.fault.name}/${made.original.id}`;
      const n = counts.get(stem) ?? 0;
      counts.set(stem, n + 1);
      used.add(made.original);
      variants.push({ key: `${stem}#${n}`, category: category.name, fault: cursor.fault.name, expect: cursor.fault.expect, target: made.target, resource: made.resource });
      return true;
    });
  }
  return variants;
}

export function buildCorpus(options: CorpusOptions): Corpus {
  const log = options.log ?? (() => {});
  const originals = loadOriginals({ seed: options.seed, sources: options.sources, syntheaDir: options.syntheaDir, log });
  const pool = selectPool(originals, random(options.seed, POOL_STREAM), options.perType);
  log(`${originals.length} originals, ${pool.length} in the pool`);
  // Which faults can go into which original: every fault asked once per original.
  const applicable = new Map<Fault, Set<Original>>();
  for (const original of pool) {
    const subject = subjectOf(original);
    for (const category of CATALOGUE) {
      for (const fault of category.faults) {
        if (fault.sites(subject).length === 0) continue;
        const set = applicable.get(fault) ?? new Set<Original>();
        applicable.set(fault, set.add(original));
      }
    }
  }
  const variants = new Map<string, Variant[]>();
  const used = new Set<Original>();
  CATALOGUE.forEach((category, i) => {
    variants.set(category.name, fill(category, i, pool, applicable, options, used));
    log(`${category.name}: ${variants.get(category.name)!.length}`);
  });
  return { seed: options.seed, perCategory: options.perCategory, sources: options.sources, variants, originals: new Map([...used].map((o) => [o.id, o])) };
}

export interface Manifest {
  seed: number;
  perCategory: number;
  sources: Origin[];
  total: number;
  categories: Record<string, { count: number; faults: Record<string, number> }>;
}

/** The manifest: the seed, the options and the count of each category and fault. */
export function manifestOf(corpus: Corpus): Manifest {
  const categories: Manifest['categories'] = {};
  for (const [name, list] of corpus.variants) {
    const faults: Record<string, number> = {};
    for (const v of list) faults[v.fault] = (faults[v.fault] ?? 0) + 1;
    categories[name] = { count: list.length, faults };
  }
  const total = [...corpus.variants.values()].reduce((n, l) => n + l.length, 0);
  return { seed: corpus.seed, perCategory: corpus.perCategory, sources: corpus.sources, total, categories };
}

/** The NDJSON text of a category: one variant per line. */
export function ndjsonOf(variants: Variant[]): string {
  return variants.map((v) => `${JSON.stringify(v)}\n`).join('');
}

/** Writes `<category>.ndjson` for each category and `manifest.json` into `dir`. */
export function writeCorpus(dir: string, corpus: Corpus): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, list] of corpus.variants) writeFileSync(path.join(dir, `${name}.ndjson`), ndjsonOf(list));
  writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifestOf(corpus), null, 2)}\n`);
}
