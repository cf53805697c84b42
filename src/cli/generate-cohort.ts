/**
 * The cohort flags of `medgen-data generate`: `--cohort FILE` (JSON or YAML, schemas/cohort.schema.json), or
 * the one-line form for the common case, `--with-condition CODE` and `--without-condition CODE` (each
 * repeatable), which with the usual `--count --state --city --gender --min-age --max-age` describe the same
 * cohort as a file would. A refused cohort exits 2 with one line naming the place at fault; nothing is written.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { OperationOutcomeError } from '../fhir/outcomes.js';
import { parseCohortText } from '../generate/cohort-text.js';
import type { GenerateOptions } from '../generate/options.js';
import { CliFailure } from './cli-failure.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function addCohortOptions(command: Command): Command {
  return command
    .option('--cohort <file>', 'who to generate, as a JSON or YAML cohort spec (schemas/cohort.schema.json); every patient meets every requirement')
    .option('--with-condition <code>', 'one-line cohort: every patient has this SNOMED CT condition (repeatable)', collect, [])
    .option('--without-condition <code>', 'one-line cohort: no patient has this condition (repeatable)', collect, []);
}

const refuse = (message: string): never => {
  throw new CliFailure(`medgen-data generate: ${message}`, 2);
};

/**
 * `input` with the cohort the flags describe, if any. Flags left at their defaults (`--count 1`, `--state
 * Massachusetts`) are dropped then, so that a file's own count or state is not taken for a clash.
 */
export function withCohort(command: Command, o: Record<string, unknown>, input: GenerateOptions): GenerateOptions {
  const withCodes = o.withCondition as string[];
  const withoutCodes = o.withoutCondition as string[];
  const file = o.cohort as string | undefined;
  if (file === undefined && !withCodes.length && !withoutCodes.length) return input;
  if (file !== undefined && (withCodes.length || withoutCodes.length)) refuse('give --cohort FILE or --with-condition/--without-condition, not both');
  if (o.engine === 'synthea') refuse('cohorts work with the built-in engine only');
  const plain = { ...input };
  for (const key of ['count', 'state'] as const) if (command.getOptionValueSource(key) === 'default') delete plain[key];
  if (file === undefined) return { ...plain, cohort: { conditions: withCodes.map((code) => ({ code })), exclude: withoutCodes } };
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    refuse(`cannot read the cohort file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return { ...plain, cohort: parseCohortText(text, file) };
  } catch (err) {
    return refuse((err as Error).message);
  }
}

/**
 * A refused cohort as one line: the message names the place in the spec; the file, or the one-line flag
 * that supplied it, follows. Other errors go on to the generic flag mapping.
 */
export function refuseCohort(o: Record<string, unknown>, err: unknown): void {
  if (!(err instanceof OperationOutcomeError) || err.status !== 400) return;
  const expression = err.outcome.issue?.[0]?.expression?.find((e) => e.startsWith('cohort'));
  if (expression === undefined) return;
  if (o.cohort !== undefined) refuse(`${err.message} (in ${o.cohort as string})`);
  refuse(`${err.message.replace(/^cohort\.[^:]*: /, '')} (${expression.startsWith('cohort.exclude') ? '--without-condition' : '--with-condition'})`);
}
