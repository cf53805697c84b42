/**
 * `medgen-data full`: the main job (SPEC Quick start) on the embedded store or MongoDB: generate with the
 * built-in engine, import strictly, add imaging studies with DICOM files, validate everything stored, and
 * print a report. Exit 1 when any entry failed to import or the store holds invalid resources.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { writePopulation } from '../generate/write-population.js';
import { openFileStore } from '../files/open-file-store.js';
import { enhanceImaging } from '../imaging/enhance-imaging.js';
import { importFiles } from '../import/import-files.js';
import { createLogger } from '../logger.js';
import { formatPopulationSummary, populationSummary } from '../report/population-summary.js';
import { openStore } from '../store/open-store.js';
import { validateAll } from '../validation/validate-all.js';
import { addStoreOptions, configFrom } from './common-options.js';
import { defaultOutDir } from './generate.js';
import { addGenerateOptions, exitOnBadParameter, generateInputFrom } from './generate-options.js';
import { formatEnhance } from './enhance.js';
import { formatSummary } from './import.js';
import { createProgress } from './progress.js';

export function registerFull(program: Command): void {
  const command = addStoreOptions(program.command('full').description('generate, import, add imaging, validate and report'));
  addGenerateOptions(command, '20')
    .option('--json', 'print one JSON document with every step\'s result')
    .action(async (o: Record<string, unknown>) => {
      const config = configFrom(o);
      // Checked before anything is generated, so a file store that cannot be written fails the run at once.
      const fileStore = openFileStore(config.filesUrl, config.dataDir);
      await fileStore.check();
      const say = (line: string) => o.json || process.stderr.write(`${line}\n`);
      const progress = createProgress();
      const outDir = defaultOutDir(config.dataDir);
      say(`1/4 generating ${o.count} patients into ${outDir}`);
      const generated = await writePopulation(generateInputFrom(o), outDir).catch((err) => exitOnBadParameter(program, 'full', err));
      say(`    ${generated.patients} patients, ${generated.resources} resources, seed ${generated.seed}`);
      const store = await openStore(config);
      try {
        say(`2/4 importing (strict) into the ${store.kind} store in ${config.mongodbUri ? 'MongoDB' : config.dataDir}`);
        const imported = await importFiles(store, [outDir], {
          mode: 'strict',
          logger: createLogger('warn'),
          onProgress: (done, failed) => o.json || progress.update(`    importing: ${done} resources, ${failed} failed`),
        });
        say(formatSummary(imported).replace(/^/gm, '    '));
        say('3/4 adding imaging studies and DICOM files for the patients\' conditions');
        const imaging = await enhanceImaging({ store, fileStore, dicomwebBaseUrl: `http://${config.host}:${config.port}/dicomweb` });
        say(formatEnhance(imaging).replace(/^/gm, '    '));
        say('4/4 validating every stored resource');
        const validation = await validateAll(store, path.join(config.dataDir, 'reports'));
        say(`    ${validation.resources} resources, ${validation.errors} errors, ${validation.warnings} warnings; report in ${path.join(config.dataDir, 'reports')}`);
        const report = await populationSummary(store);
        if (o.json) process.stdout.write(`${JSON.stringify({ generated, imported: { ...imported, failures: imported.failures.slice(0, 50), warnings: imported.warnings.length }, imaging, validation: { resources: validation.resources, errors: validation.errors, warnings: validation.warnings }, report })}\n`);
        else process.stdout.write(`${formatPopulationSummary(report)}\n`);
        if (imported.failed > 0 || validation.errors > 0) program.setOptionValue('exitCode', 1);
      } finally {
        await store.close();
      }
    });
}
