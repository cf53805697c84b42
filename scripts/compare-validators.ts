/**
 * Compares our validator (the code path of `$validate`) with the HL7 reference validator (tools/reference-validator)
 * on the same resources, and prints per category and overall the verdict agreement and, where both find errors,
 * the location agreement; `--list` prints every disagreement. Exit 1 when a `--min-*` threshold is not met.
 *   node --import tsx scripts/compare-validators.ts [CORPUS_DIR...] [--files LABEL=DIR]... [--official]
 *        [--sample N] [--seed S] [--extension PREFIX]... [--min-verdict 0.97] [--min-category 0.9]
 *        [--min-location 0.9] [--list] [--json]
 * Extensions: the reference validator refuses an extension it has no definition of; the shared Synthea data and
 * generated data carry US Core and Synthea extensions, whose definitions are not available offline, so those
 * two URL prefixes are accepted unseen by default (`--extension` replaces them). Not `any`: that would also
 * accept a misspelt core extension URL, which both must refuse. The core R4 extensions are known to both.
 * The reference validator's answers are kept in .cache/reference-answers (answer-cache.ts), so a rerun judges
 * afresh only what changed.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseFhirJson } from '../src/validation/parse-json.js';
import { validateResource } from '../src/validation/validate-resource.js';
import { openAnswerCache } from './compare-validators/answer-cache.js';
import { type Agreement, type Judged, type JudgedIssue, agreement, isError, judge, share } from './compare-validators/agreement.js';
import { type Item, corpusItems, fileItems, sample } from './compare-validators/read-items.js';
import { buildReferenceValidatorJar, startReferenceValidator } from './reference-validator.js';
import { officialExamplesDir } from './validation-corpus.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    files: { type: 'string', multiple: true },
    official: { type: 'boolean' },
    sample: { type: 'string' },
    seed: { type: 'string', default: '1' },
    extension: { type: 'string', multiple: true },
    'min-verdict': { type: 'string' },
    'min-category': { type: 'string' },
    'min-location': { type: 'string' },
    list: { type: 'boolean' },
    json: { type: 'boolean' },
  },
});

const items: Item[] = [];
for (const dir of positionals) items.push(...corpusItems(dir));
for (const spec of values.files ?? []) {
  const [label, dir] = spec.includes('=') ? [spec.slice(0, spec.indexOf('=')), spec.slice(spec.indexOf('=') + 1)] : [spec, spec];
  items.push(...fileItems(label, dir));
}
if (values.official) items.push(...[...fileItems('official', officialExamplesDir())].filter((i) => !/(^|\/)(package|\.index)\.json$/.test(i.key)));
if (items.length === 0) {
  process.stderr.write('usage: compare-validators.ts [CORPUS_DIR...] [--files LABEL=DIR]... [--official] [--sample N] [--list]\n');
  process.exit(2);
}
const chosen = sample(items, values.sample === undefined ? undefined : Number(values.sample), Number(values.seed));

/** Each item as both validators get it: a file parsed once, as the reference validator reads files. */
const parsedItems = chosen.map((item) => (item.text === undefined ? { resource: item.resource, issues: [] } : parseFhirJson(item.text)));

/** Ours, as `$validate` runs it on a parsed body, with the parser's own issues for a file. */
function ours(parsed: { resource?: unknown; issues: { severity: string; expression?: string[]; diagnostics?: string }[] }): JudgedIssue[] {
  return [...parsed.issues, ...(parsed.resource === undefined ? [] : validateResource(parsed.resource))].map(flatten);
}

function flatten(i: { severity: string; expression?: string[]; diagnostics?: string }): JudgedIssue {
  return { severity: i.severity, expression: i.expression?.[0], message: i.diagnostics };
}

const started = performance.now();
const extensions = values.extension ?? ['http://hl7.org/fhir/us/core/', 'http://synthetichealth.github.io/'];
const cache = openAnswerCache(fileURLToPath(new URL('../.cache/reference-answers', import.meta.url)), await buildReferenceValidatorJar(), extensions);
const asSent = parsedItems.map((parsed) => parsed.resource ?? {});
const theirs = asSent.map((resource) => cache.get(resource));
const unanswered = theirs.flatMap((answer, n) => (answer === undefined ? [n] : []));
if (unanswered.length > 0) {
  const judge_ = await startReferenceValidator({ extensions });
  try {
    await Promise.all(
      unanswered.map(async (n) => {
        theirs[n] = await judge_.validate(`${n}`, asSent[n] as object);
        cache.put(asSent[n], theirs[n]);
      }),
    );
  } finally {
    cache.save();
    await judge_.close();
  }
}
const results: Judged[] = chosen.map((item, n) => ({ key: item.key, category: item.category, ours: ours(parsedItems[n]), theirs: theirs[n] ?? [] }));
const seconds = (performance.now() - started) / 1000;
const rows = agreement(results);

const pct = (v: number | null) => (v === null ? '-' : `${(100 * v).toFixed(1)}%`);
if (values.json) {
  console.log(JSON.stringify({ resources: results.length, seconds, rows }));
} else {
  console.log(`${results.length} resources of ${items.length} (seed ${values.seed}), ${seconds.toFixed(0)} s, ${unanswered.length} judged afresh by the reference validator; accepted unseen: extensions under ${extensions.join(', ')}`);
  console.log(['category'.padEnd(28), 'resources', 'verdict', 'both err', 'location'].join('\t'));
  for (const r of rows) {
    console.log([r.category.padEnd(28), r.resources, pct(share(r.verdictAgrees, r.resources)), r.bothErrors, pct(share(r.locationAgrees, r.bothErrors))].join('\t'));
  }
}

if (values.list) {
  const brief = (issues: JudgedIssue[]) =>
    issues
      .filter(isError)
      .slice(0, 3)
      .map((i) => `${i.expression ?? '-'}: ${(i.message ?? '').slice(0, 140)}`)
      .join(' | ') || 'no errors';
  for (const r of results) {
    const j = judge(r);
    if (j.verdict && j.location !== false) continue;
    console.log(`${j.verdict ? 'LOCATION' : 'VERDICT'} ${r.key}\n  ours:   ${brief(r.ours)}\n  theirs: ${brief(r.theirs)}`);
  }
}

/** The thresholds asked for, each as a line naming what fell short. */
function shortfalls(all: Agreement | undefined, categories: Agreement[]): string[] {
  const out: string[] = [];
  const need = (name: string, value: number | null, min: string | undefined) => {
    if (min !== undefined && value !== null && value < Number(min)) out.push(`${name} ${pct(value)} < ${pct(Number(min))}`);
  };
  if (all) need('verdict agreement', share(all.verdictAgrees, all.resources), values['min-verdict']);
  if (all) need('location agreement', share(all.locationAgrees, all.bothErrors), values['min-location']);
  for (const c of categories) need(`verdict agreement in ${c.category}`, share(c.verdictAgrees, c.resources), values['min-category']);
  return out;
}
const failed = shortfalls(rows.at(-1), rows.slice(0, -1));
for (const f of failed) console.error(`below threshold: ${f}`);
process.exit(failed.length > 0 ? 1 : 0);
