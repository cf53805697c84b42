/**
 * Writes the DICOM files of a planned study to the file store, instance by instance, skipping keys already
 * stored: a re-run writes nothing, and a study whose files were removed gets them back byte for byte (same
 * plan, same seed). A write is atomic in every driver, so a key that exists holds a whole file.
 */
import type { FileStore } from '../files/file-store.js';
import { instanceDataset } from './dicom-dataset.js';
import { instanceKey } from './dicom-files.js';
import { drawPhantom } from './phantoms/draw-phantom.js';
import type { PhantomInput } from './phantoms/phantom-input.js';
import type { StudyPlan } from './study-plan.js';
import { encodeInstance } from './write-instance.js';

export interface WrittenFiles {
  files: number;
  bytes: number;
}

/** The encoded Part 10 bytes of one instance of a plan. */
export function encodePlannedInstance(plan: StudyPlan, seriesIndex: number, instanceIndex: number): Buffer {
  const series = plan.series[seriesIndex];
  const input: PhantomInput = {
    rows: plan.study.rows,
    columns: plan.study.columns,
    bitsStored: plan.study.bitsStored,
    seed: plan.pixelSeed,
    series: series.spec,
    seriesIndex,
    instanceIndex,
    instanceCount: series.instanceUids.length,
    bones: plan.bones,
    finding: plan.finding,
  };
  return encodeInstance(instanceDataset(plan, { seriesIndex, instanceIndex }), drawPhantom(plan.study.phantom, input));
}

/** Writes in flight while the next image is drawn: file I/O (or an upload) overlaps the CPU work. */
const IN_FLIGHT = 4;

export async function writeStudyFiles(fileStore: FileStore, plan: StudyPlan): Promise<WrittenFiles> {
  const written: WrittenFiles = { files: 0, bytes: 0 };
  const pending: Promise<unknown>[] = [];
  try {
    for (const [seriesIndex, series] of plan.series.entries()) {
      for (const [instanceIndex, sopUid] of series.instanceUids.entries()) {
        const key = instanceKey(plan.uid, series.uid, sopUid);
        if (await fileStore.stat(key)) continue;
        const bytes = encodePlannedInstance(plan, seriesIndex, instanceIndex);
        if (pending.length >= IN_FLIGHT) await pending.shift();
        const write = fileStore.write(key, bytes, { contentType: 'application/dicom' });
        // Marked handled now: a write that fails while an earlier one is awaited would otherwise be an unhandled
        // rejection, which ends the process; it still throws where it is awaited, below.
        write.catch(() => undefined);
        pending.push(write);
        written.files += 1;
        written.bytes += bytes.length;
      }
    }
  } finally {
    await Promise.all(pending);
  }
  return written;
}
