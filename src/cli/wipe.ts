/**
 * `medgen-data wipe --yes`: empties the store and deletes the files made from its data: the DICOM instances and
 * reports in the file store (the data folder, or the bucket MEDGEN_FILES_URL names), and the generator's output
 * in the data folder. Backups are kept.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { openFileStore } from '../files/open-file-store.js';
import { DICOM_FOLDER } from '../imaging/dicom-files.js';
import { openStore } from '../store/open-store.js';
import { addStoreOptions, configFrom } from './common-options.js';
import { CliFailure } from './cli-failure.js';

export function registerWipe(program: Command): void {
  addStoreOptions(program.command('wipe').description('delete every stored resource and generated file (backups are kept)'))
    .option('--yes', 'confirm: without it nothing is deleted')
    .action(async (o: Record<string, unknown>) => {
      const config = configFrom(o);
      const where = config.mongodbUri ? `MongoDB database ${config.mongodbDb}` : config.dataDir;
      if (!o.yes) throw new CliFailure(`medgen-data wipe: nothing deleted; wipe deletes every resource and generated file in ${where}, run it again with --yes to do so`, 2);
      const files = openFileStore(config.filesUrl, config.dataDir);
      await files.check();
      const store = await openStore(config);
      const before = await store.countByType().finally(() => undefined);
      await store.clear().finally(() => store.close());
      let removed = 0;
      for (const prefix of [`${DICOM_FOLDER}/`, 'reports/']) removed += await files.deletePrefix(prefix);
      fs.rmSync(path.join(config.dataDir, 'generated'), { recursive: true, force: true });
      const count = Object.values(before).reduce((a, b) => a + b, 0);
      process.stdout.write(`wiped ${count} resources in ${where}, ${removed} DICOM and report files in ${files.location}, and the generated files\n`);
    });
}
