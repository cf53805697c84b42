/**
 * The valid resources the corpus starts from:
 * - official: the R4 examples of hl7.fhir.r4.examples, each file's resource and, for a Bundle, also each
 *   entry's resource on its own (a resource that appears twice, as a file and as an entry, is kept once);
 * - synthea: the transaction Bundles under the shared Synthea folder, entry by entry (their urn:uuid
 *   references stay as they are: a reference need not resolve to be valid);
 * - generated: patients of the built-in generator (src/generate/population.ts) for the corpus seed.
 * Synthea's and the generator's Bundles are hundreds of entries long, so each also gives one small Bundle of
 * its first entries whose urn:uuid references all resolve inside it (its "subset"), and a document and a
 * message Bundle around its patient (documents.ts), for the Bundle faults.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { generatePopulation } from '../../src/generate/population.js';
import type { Random } from '../../src/generate/prng.js';
import { jsonFiles, officialExampleFiles } from '../validation-corpus.js';
import { documentAndMessage } from './documents.js';
import type { Origin, Original } from './fault.js';
import { isObject, type Json } from './json.js';
import { groupBy, shuffle } from './sampling.js';

/** Patients of the built-in generator in the corpus: some hundreds of resources of a dozen types. */
const GENERATED_PATIENTS = 8;
/** Entries of a subset Bundle. */
const SUBSET_ENTRIES = 12;
/** By default, at most this many originals of one resource type from one source take part. */
export const PER_TYPE = 80;
/** Larger resources are left out: every variant is a full copy, and the judge reads them all. */
const MAX_BYTES = 64 * 1024;

type Entry = { fullUrl?: string; resource?: unknown };

const entriesOf = (r: Json): Entry[] => (r.resourceType === 'Bundle' && Array.isArray(r.entry) ? (r.entry as Entry[]) : []);

let officialCache: Original[] | undefined;

/** Parsed once per process: the package is 190 MB of JSON and never changes while it runs. */
function official(): Original[] {
  officialCache ??= parseOfficial();
  return officialCache;
}

function parseOfficial(): Original[] {
  const out: Original[] = [];
  const seen = new Set<string>();
  const add = (id: string, resource: unknown) => {
    if (!isObject(resource) || typeof resource.resourceType !== 'string') return;
    const identity = typeof resource.id === 'string' ? `${resource.resourceType}/${resource.id}` : undefined;
    if (identity && seen.has(identity)) return;
    if (identity) seen.add(identity);
    out.push({ id, origin: 'official', resource });
  };
  for (const file of officialExampleFiles()) {
    const name = path.basename(file);
    const resource = JSON.parse(readFileSync(file, 'utf8')) as Json;
    add(`official:${name}`, resource);
    entriesOf(resource).forEach((e, i) => add(`official:${name}:entry[${i}]`, e?.resource));
  }
  return out;
}

/** Every `reference` under `value` that names an entry by urn (urn:uuid:, urn:oid:). */
function urnReferences(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) urnReferences(v, out);
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string' && v.startsWith('urn:')) out.push(v);
      else urnReferences(v, out);
    }
  }
  return out;
}

/** The first entries of a Bundle whose urn references all point into the kept entries. */
export function closedSubset(bundle: Json, max = SUBSET_ENTRIES): Json {
  const kept: Entry[] = [];
  const urls = new Set<string>();
  for (const entry of entriesOf(bundle)) {
    if (kept.length >= max) break;
    if (!urnReferences(entry.resource).every((r) => urls.has(r))) continue;
    kept.push(entry);
    if (entry.fullUrl) urls.add(entry.fullUrl);
  }
  return { ...bundle, entry: kept };
}

function fromBundles(origin: Origin, bundles: [string, Json][]): Original[] {
  const out: Original[] = [];
  for (const [name, bundle] of bundles) {
    const entries = entriesOf(bundle);
    entries.forEach((e, i) => {
      if (isObject(e?.resource)) out.push({ id: `${origin}:${name}:entry[${i}]`, origin, resource: e.resource });
    });
    out.push({ id: `${origin}:${name}:subset`, origin, resource: closedSubset(bundle) });
    const patient = entries.find((e) => isObject(e?.resource) && e.resource.resourceType === 'Patient');
    const [document, message] = patient ? documentAndMessage(patient) : [];
    if (document) out.push({ id: `${origin}:${name}:document`, origin, resource: document }, { id: `${origin}:${name}:message`, origin, resource: message });
  }
  return out;
}

function synthea(dir: string, log: (message: string) => void): Original[] {
  if (!existsSync(dir)) {
    log(`synthea: ${dir} not found, skipped`);
    return [];
  }
  return fromBundles(
    'synthea',
    jsonFiles(dir).map((f): [string, Json] => [path.relative(dir, f), JSON.parse(readFileSync(f, 'utf8')) as Json]),
  );
}

function generated(seed: number): Original[] {
  const population = generatePopulation({ count: GENERATED_PATIENTS, seed });
  // Through JSON, as a file would be read: the generator shares objects between resources, and a fault put
  // into a shared object would show up in every place that holds it.
  const tree = (b: unknown) => JSON.parse(JSON.stringify(b)) as Json;
  const bundles: [string, Json][] = [
    ['hospitalInformation', tree(population.hospitalInformation)],
    ['practitionerInformation', tree(population.practitionerInformation)],
    ...population.patients.map((b, i): [string, Json] => [`patient-${i}`, tree(b)]),
  ];
  return fromBundles('generated', bundles);
}

export interface SourceOptions {
  seed: number;
  sources: Origin[];
  syntheaDir: string;
  log: (message: string) => void;
}

/** Every original of the chosen sources, in a stable order. */
export function loadOriginals(options: SourceOptions): Original[] {
  const out: Original[] = [];
  if (options.sources.includes('official')) out.push(...official());
  if (options.sources.includes('synthea')) out.push(...synthea(options.syntheaDir, options.log));
  if (options.sources.includes('generated')) out.push(...generated(options.seed));
  return out;
}

/**
 * The originals that take part: per source and resource type at most `perType`, drawn at random among those
 * small enough, so that the clinical types are not crowded out by thousands of definitions.
 */
export function selectPool(originals: Original[], rng: Random, perType = PER_TYPE): Original[] {
  const groups = groupBy(originals, (o) => `${o.origin} ${String(o.resource.resourceType)}`);
  const pool: Original[] = [];
  for (const key of [...groups.keys()].sort()) {
    let taken = 0;
    for (const o of shuffle(groups.get(key)!, rng)) {
      if (taken === perType) break;
      if (JSON.stringify(o.resource).length > MAX_BYTES) continue;
      pool.push(o);
      taken++;
    }
  }
  return pool;
}
