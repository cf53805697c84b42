/** Flags shared by commands, each meaning the same as its environment variable (SPEC "Configuration"). */
import type { Command } from 'commander';
import { type Config, type ConfigOverrides, loadConfig } from '../config.js';

export function addStoreOptions(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'data directory (MEDGEN_DATA_DIR)')
    .option('--mongodb-uri <uri>', 'use MongoDB instead of the embedded store (MONGODB_URI)')
    .option('--mongodb-db <name>', 'MongoDB database name (MONGODB_DB)');
}

export function configFrom(options: Record<string, unknown>, extra: ConfigOverrides = {}): Config {
  return loadConfig(process.env, {
    dataDir: options.dataDir as string | undefined,
    mongodbUri: options.mongodbUri as string | undefined,
    mongodbDb: options.mongodbDb as string | undefined,
    deidKey: options.key as string | undefined,
    ...extra,
  });
}
