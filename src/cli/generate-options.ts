/** The generator flags shared by `generate` and `full`, and how a rejected parameter becomes exit code 2. */
import type { Command } from 'commander';
import { OperationOutcomeError } from '../fhir/outcomes.js';
import { date } from '../generate/clock.js';

export function addGenerateOptions(command: Command, defaultCount: string): Command {
  return command
    .option('--count <n>', 'patients to generate (1..100000)', defaultCount)
    .option('--seed <n>', 'population seed (same seed and flags, same files)')
    .option('--state <state>', 'US state name or postal code', 'Massachusetts')
    .option('--city <city>', 'a city of that state')
    .option('--gender <gender>', 'male | female')
    .option('--min-age <years>', 'youngest age')
    .option('--max-age <years>', 'oldest age')
    .option('--profile <name>', 'default | chronic_disease | pediatric | emergency', 'default')
    .option('--years <n>', 'years of history before the reference date; 0 = whole life', '10')
    .option('--modules <ids>', 'comma-separated disease modules to run (default: all)')
    .option('--reference-date <date>', 'the simulation\'s "today", YYYY-MM-DD (default: today)');
}

/** The generator's input from parsed flags (it validates them itself). */
export function generateInputFrom(o: Record<string, unknown>) {
  return {
    count: o.count as string,
    seed: o.seed as string | undefined,
    state: o.state as string,
    city: o.city as string | undefined,
    gender: o.gender as string | undefined,
    minAge: o.minAge as string | undefined,
    maxAge: o.maxAge as string | undefined,
    profile: o.profile as string,
    yearsOfHistory: o.years as string,
    modules: o.modules as string | undefined,
    referenceDate: (o.referenceDate as string | undefined) ?? date(Date.now()),
    duplicates: o.duplicates as string | undefined,
  };
}

/** A 400 from the generator is a usage error: exit 2 naming the flag. Anything else is rethrown. */
export function exitOnBadParameter(program: Command, command: string, err: unknown): never {
  if (err instanceof OperationOutcomeError && err.status === 400) {
    const flag = String(err.outcome.issue?.[0]?.expression?.[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    program.error(`${command}: ${err.message}${flag ? ` (--${flag === 'years-of-history' ? 'years' : flag})` : ''}`, { exitCode: 2 });
  }
  throw err;
}
