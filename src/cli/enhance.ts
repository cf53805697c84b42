/**
 * `medgen-data enhance`: $enhance-imaging from the command line, for every patient or one (`--patient`).
 * The Endpoint points at the DICOMweb base of the server this configuration would start (HOST, PORT) unless
 * `--dicomweb-url` says otherwise. `--json` prints the counts.
 */
import type { Command } from 'commander';
import { OperationOutcomeError } from '../fhir/outcomes.js';
import { openFileStore } from '../files/open-file-store.js';
import { enhanceImaging, type EnhanceImagingResult } from '../imaging/enhance-imaging.js';
import { openStore } from '../store/open-store.js';
import { addStoreOptions, configFrom } from './common-options.js';
import { createProgress } from './progress.js';

export function formatEnhance(r: EnhanceImagingResult): string {
  return `${r.patients} patients: ${r.created} studies created, ${r.updated} updated, ${r.unchanged} unchanged; ${r.series} series, ${r.instances} instances; ${r.filesWritten} files written (${(r.bytesWritten / 1024 / 1024).toFixed(1)} MB)`;
}

export function registerEnhance(program: Command): void {
  addStoreOptions(program.command('enhance').description('add ImagingStudy resources and DICOM files for conditions that call for imaging'))
    .option('--patient <id>', 'only this patient')
    .option('--dicomweb-url <url>', 'DICOMweb base the Endpoint points at (default: http://HOST:PORT/dicomweb)')
    .option('--json', 'print the counts as JSON')
    .action(async (o: Record<string, unknown>) => {
      const config = configFrom(o);
      const fileStore = openFileStore(config.filesUrl, config.dataDir);
      const store = await openStore(config);
      const progress = createProgress();
      try {
        await fileStore.check();
        const result = await enhanceImaging({
          store,
          fileStore,
          dicomwebBaseUrl: (o.dicomwebUrl as string | undefined) ?? `http://${config.host}:${config.port}/dicomweb`,
          patientId: o.patient as string | undefined,
          onProgress: (r) => o.json || progress.update(`imaging: ${r.patients} patients, ${r.filesWritten} files written`),
        });
        process.stdout.write(o.json ? `${JSON.stringify(result)}\n` : `${formatEnhance(result)}\n`);
      } catch (err) {
        if (!(err instanceof OperationOutcomeError)) throw err;
        process.stderr.write(`enhance: ${err.message}\n`);
        program.setOptionValue('exitCode', 1);
      } finally {
        await store.close();
      }
    });
}
