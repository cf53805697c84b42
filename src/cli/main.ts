/**
 * `medgen-data <command>`: one file per command under src/cli/. Exit codes: 0 success, 1 failure,
 * 2 usage error (SPEC).
 */
import { Command, CommanderError } from 'commander';
import { registerBackup } from './backup.js';
import { CliFailure } from './cli-failure.js';
import { registerRestore } from './restore.js';
import { registerReport } from './report.js';
import { registerCleanup } from './cleanup.js';
import { registerDedupe } from './dedupe.js';
import { registerMigrate } from './migrate.js';
import { registerEnhance } from './enhance.js';
import { registerFull } from './full.js';
import { registerGenerate } from './generate.js';
import { registerImport } from './import.js';
import { registerJobs } from './jobs.js';
import { registerServe } from './serve.js';
import { registerSetup } from './setup.js';
import { registerValidate } from './validate.js';
import { registerWipe } from './wipe.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export function buildProgram(): Command {
  const program = new Command('medgen-data')
    .description('Synthetic clinical data for FHIR R4 servers')
    .showHelpAfterError()
    .exitOverride();
  registerSetup(program);
  registerServe(program);
  registerGenerate(program);
  registerImport(program);
  registerEnhance(program);
  registerValidate(program);
  registerFull(program);
  registerWipe(program);
  registerBackup(program);
  registerRestore(program);
  registerReport(program);
  registerCleanup(program);
  registerDedupe(program);
  registerMigrate(program);
  registerJobs(program);
  return program;
}

/** Runs the CLI and returns the exit code (the caller sets it, so tests can call this directly). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return (program.getOptionValue('exitCode') as number | undefined) ?? EXIT_OK;
  } catch (err) {
    if (err instanceof CliFailure) {
      process.stderr.write(`${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    process.stderr.write(`medgen-data: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_FAILURE;
  }
}
