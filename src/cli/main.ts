/**
 * `medgen-data <command>`: one file per command under src/cli/. Exit codes: 0 success, 1 failure,
 * 2 usage error (SPEC).
 */
import { Command, CommanderError } from 'commander';
import { CliFailure } from './cli-failure.js';

type Register = (program: Command) => void;

/**
 * Each command's module, in help order, loaded only when needed: a command loads its own code and not every
 * other's, which keeps a process's memory to what it runs (`backup` alone starts at about 150 MB of RSS,
 * against 250 MB with every command loaded, the generator's and the server's included).
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  setup: async () => (await import('./setup.js')).registerSetup,
  serve: async () => (await import('./serve.js')).registerServe,
  generate: async () => (await import('./generate.js')).registerGenerate,
  import: async () => (await import('./import.js')).registerImport,
  export: async () => (await import('./export.js')).registerExport,
  subset: async () => (await import('./subset.js')).registerSubset,
  enhance: async () => (await import('./enhance.js')).registerEnhance,
  validate: async () => (await import('./validate.js')).registerValidate,
  deidentify: async () => (await import('./deidentify.js')).registerDeidentify,
  full: async () => (await import('./full.js')).registerFull,
  wipe: async () => (await import('./wipe.js')).registerWipe,
  backup: async () => (await import('./backup.js')).registerBackup,
  restore: async () => (await import('./restore.js')).registerRestore,
  report: async () => (await import('./report.js')).registerReport,
  cleanup: async () => (await import('./cleanup.js')).registerCleanup,
  dedupe: async () => (await import('./dedupe.js')).registerDedupe,
  migrate: async () => (await import('./migrate.js')).registerMigrate,
  jobs: async () => (await import('./jobs.js')).registerJobs,
};

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** The program with `command` alone when it names one, else with every command (for help and usage errors). */
export async function buildProgram(command?: string): Promise<Command> {
  const program = new Command('medgen-data')
    .description('Synthetic clinical data for FHIR R4 servers')
    .showHelpAfterError()
    .exitOverride();
  const names = command !== undefined && Object.hasOwn(COMMANDS, command) ? [command] : Object.keys(COMMANDS);
  for (const register of await Promise.all(names.map((name) => COMMANDS[name]()))) register(program);
  return program;
}

/** Runs the CLI and returns the exit code (the caller sets it, so tests can call this directly). */
export async function main(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv[2]);
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
