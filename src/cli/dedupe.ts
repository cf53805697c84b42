/**
 * `medgen-data dedupe [--dry-run] [--review [--csv]]`: merges the patients the matcher finds certainly to be one
 * person and reports each merge, with how many possible matches wait for review; `--review` changes nothing
 * and lists those possible matches (JSON with `--json`, CSV with `--csv`, the count on stderr), best first.
 */
import type { Command } from 'commander';
import type { DedupeResult } from '../maintenance/dedupe-patients.js';
import { runTask } from '../maintenance/run-task.js';
import type { ScoredPair } from '../match/store-matches.js';
import type { Config } from '../config.js';
import { CliFailure } from './cli-failure.js';
import { addStoreOptions, configFrom } from './common-options.js';
import { withMaintenanceDeps } from './maintenance-cli.js';

const levelsText = (p: ScoredPair) => Object.entries(p.levels).map(([k, v]) => `${k}=${v}`).join(';');

/** A CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
const field = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function reviewCsv(pairs: ScoredPair[]): string {
  const rows = pairs.map((p) => [p.left, p.right, p.score.toFixed(6), p.grade, p.rules.join('; '), levelsText(p)].map(field).join(','));
  return ['left,right,score,grade,rules,levels', ...rows].join('\n') + '\n';
}

function reviewText(r: DedupeResult): string {
  const lines = r.review.map((p) => `  Patient/${p.left} ~ Patient/${p.right}  ${p.score.toFixed(4)} ${p.grade}  (${Object.entries(p.levels).map(([k, v]) => `${k} ${v}`).join(', ')})`);
  return `${r.review.length} possible matches for review (nothing changed)\n${lines.join('\n')}${lines.length ? '\n' : ''}`;
}

function mergeText(r: DedupeResult): string {
  const lines = r.merges.map((m) => `  Patient/${m.survivor} <- ${m.merged.map((id) => `Patient/${id}`).join(', ')} (${m.reasons.join('; ')}), ${m.repointed.length} resources repointed`);
  for (const c of r.contradicted) lines.push(`  not merged, scores contradict ${c.rules.join('; ')}: Patient/${c.left}, Patient/${c.right} (score ${c.score.toFixed(4)})`);
  for (const s of r.sharedIdentifiers) lines.push(`  shared identifier ${s.identifier}: ${s.ids.map((id) => `${s.resourceType}/${id}`).join(', ')}`);
  const review = `${r.review.length} possible matches left for review (dedupe --review lists them)`;
  return `${r.merges.length} merges${r.dryRun ? ' (dry run, nothing changed)' : ''}; ${review}\n${lines.join('\n')}${lines.length ? '\n' : ''}`;
}

/** A threshold flag as a number between 0 and 1; refused (exit 2) otherwise. */
function threshold(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new CliFailure(`medgen-data dedupe: ${flag} must be a number between 0 and 1, got "${String(value)}"`, 2);
  return n;
}

export function registerDedupe(program: Command): void {
  addStoreOptions(program.command('dedupe').description('merge patients that are certainly one person (identifiers, demographics, probabilistic match); list possible matches for review'))
    .option('--dry-run', 'only report')
    .option('--review', 'list the possible matches (never merged) instead, changing nothing')
    .option('--csv', 'with --review: print the list as CSV (the count on stderr)')
    .option('--json', 'print the result as one JSON document')
    .option('--match-threshold <p>', 'score from which a match is certain and merged (MEDGEN_MATCH_THRESHOLD)')
    .option('--possible-match-threshold <p>', 'score from which a match is listed for review (MEDGEN_POSSIBLE_MATCH_THRESHOLD)')
    .action(async (o: Record<string, unknown>) => {
      const overrides = { matchThreshold: threshold('--match-threshold', o.matchThreshold), possibleMatchThreshold: threshold('--possible-match-threshold', o.possibleMatchThreshold) };
      let config: Config;
      try {
        config = configFrom(o, overrides);
      } catch (err) {
        // The thresholds out of order (the possible one at or above the certain one), from flags or environment.
        throw new CliFailure(`medgen-data dedupe: ${(err as Error).message}`, 2);
      }
      const review = o.review === true;
      const { result } = await withMaintenanceDeps(config, (deps) => runTask(deps, 'dedupe', { dryRun: review || o.dryRun === true }));
      const r = result as DedupeResult;
      if (review && o.csv) {
        process.stderr.write(`${r.review.length} possible matches for review\n`);
        return void process.stdout.write(reviewCsv(r.review));
      }
      if (review && o.json) return void process.stdout.write(`${JSON.stringify({ count: r.review.length, thresholds: r.matching.thresholds, pairs: r.review })}\n`);
      if (o.json) return void process.stdout.write(`${JSON.stringify(r)}\n`);
      process.stdout.write(review ? reviewText(r) : mergeText(r));
    });
}
