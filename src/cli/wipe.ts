/** `medgen-data wipe --yes`: empties the store and deletes generated files; backups are kept. */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
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
      const store = await openStore(config);
      const before = await store.countByType().finally(() => undefined);
      await store.clear().finally(() => store.close());
      for (const dir of ['generated', 'reports']) fs.rmSync(path.join(config.dataDir, dir), { recursive: true, force: true });
      const count = Object.values(before).reduce((a, b) => a + b, 0);
      process.stdout.write(`wiped ${count} resources and the generated files in ${where}\n`);
    });
}
