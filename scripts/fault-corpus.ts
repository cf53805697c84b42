/**
 * Writes the fault corpus of issue #14: valid R4 resources (the official examples, the shared Synthea data,
 * the built-in generator's patients) and variants of them with one targeted fault each, one NDJSON file per
 * category plus manifest.json. The same seed gives the same bytes. See scripts/fault-corpus/driver.ts.
 * Run: node --import tsx scripts/fault-corpus.ts --out DIR [--seed 1] [--per-category 750]
 *        [--sources official,synthea,generated] [--synthea ../shared/data/synthea]
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildCorpus, manifestOf, writeCorpus } from './fault-corpus/driver.js';
import type { Origin } from './fault-corpus/fault.js';

const ORIGINS: Origin[] = ['official', 'synthea', 'generated'];

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    seed: { type: 'string', default: '1' },
    'per-category': { type: 'string', default: '750' },
    sources: { type: 'string', default: ORIGINS.join(',') },
    synthea: { type: 'string', default: fileURLToPath(new URL('../../shared/data/synthea', import.meta.url)) },
  },
});

const seed = Number(values.seed);
const perCategory = Number(values['per-category']);
const sources = values.sources.split(',').map((s) => s.trim()) as Origin[];
if (!values.out || !Number.isSafeInteger(seed) || !Number.isSafeInteger(perCategory) || perCategory < 1 || sources.some((s) => !ORIGINS.includes(s))) {
  console.error(`usage: fault-corpus.ts --out DIR [--seed N] [--per-category N] [--sources ${ORIGINS.join(',')}] [--synthea DIR]`);
  process.exit(2);
}

const started = Date.now();
const corpus = buildCorpus({ seed, perCategory, sources, syntheaDir: values.synthea, log: (m) => console.error(m) });
writeCorpus(values.out, corpus);
console.log(`${manifestOf(corpus).total} resources in ${values.out} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
