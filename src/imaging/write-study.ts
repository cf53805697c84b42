/**
 * Writes the DICOM files of a planned study, instance by instance, skipping files already on disk: a re-run
 * writes nothing, and a study whose files were removed gets them back byte for byte (same plan, same seed).
 */
import { instanceDataset } from './dicom-dataset.js';
import { fileExists, instancePath } from './dicom-files.js';
import type { FileArea } from '../files/file-area.js';
import { drawPhantom } from './phantoms/draw-phantom.js';
import type { PhantomInput } from './phantoms/phantom-input.js';
import type { StudyPlan } from './study-plan.js';
import { encodeInstance, writeAtomically } from './write-instance.js';

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

/** Writes in flight while the next image is drawn: file I/O overlaps the CPU work. */
const IN_FLIGHT = 4;

export async function writeStudyFiles(files: FileArea, plan: StudyPlan): Promise<WrittenFiles> {
  const written: WrittenFiles = { files: 0, bytes: 0 };
  const pending: Promise<void>[] = [];
  try {
    for (const [seriesIndex, series] of plan.series.entries()) {
      for (const [instanceIndex, sopUid] of series.instanceUids.entries()) {
        const file = instancePath(files, plan.uid, series.uid, sopUid);
        if (await fileExists(file)) continue;
        const bytes = encodePlannedInstance(plan, seriesIndex, instanceIndex);
        if (pending.length >= IN_FLIGHT) await pending.shift();
        pending.push(writeAtomically(file, bytes));
        written.files += 1;
        written.bytes += bytes.length;
      }
    }
  } finally {
    await Promise.all(pending);
  }
  return written;
}
