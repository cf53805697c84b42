/**
 * `imaging`: DICOM images of 512 x 512 x 16 bit per second through $enhance-imaging's own file writer
 * (writeStudyFiles: phantom, dataset, dcmjs Part 10 encoding, atomic write to the local file store), against
 * writing the same bytes with plain fs.writeFile (the baseline). Issue: at least 100 images/s. Two results: images and MB.
 * `--images N` sets how many (default 300).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Condition, Encounter, Patient } from 'fhir/r4.js';
import { planStudy, type StudyPlan } from '../src/imaging/study-plan.js';
import { loadStudyTable } from '../src/imaging/study-table.js';
import { readAll } from '../src/files/file-store.js';
import { LocalFileStore } from '../src/files/local-file-store.js';
import { seriesPrefix } from '../src/imaging/dicom-files.js';
import { encodePlannedInstance, writeStudyFiles } from '../src/imaging/write-study.js';
import { benchResult, secondsSince, type BenchResult } from './result.js';

/** A chest CT plan (512 x 512 x 16 bit, 48 slices) widened to `images` instances. */
function benchPlan(images: number): StudyPlan {
  const table = loadStudyTable();
  const patient: Patient & { id: string } = { resourceType: 'Patient', id: 'bench', name: [{ family: 'Bench', given: ['Ima'] }], gender: 'male', birthDate: '1960-01-01' };
  const encounter: Encounter & { id: string } = { resourceType: 'Encounter', id: 'bench-enc', status: 'finished', class: { code: 'AMB' }, period: { start: '2024-01-01T10:00:00+00:00', end: '2024-01-01T11:00:00+00:00' } };
  const condition: Condition & { id: string } = { resourceType: 'Condition', id: 'bench-cond', subject: { reference: 'Patient/bench' }, code: { coding: [{ system: 'http://snomed.info/sct', code: '254637007' }] } };
  const plan = planStudy(table, patient, condition, encounter)!;
  const series = plan.series[0];
  const uids = Array.from({ length: images }, (_, i) => `${series.instanceUids[0]}${i}`.slice(0, 64));
  return { ...plan, series: [{ ...series, spec: { ...series.spec, instances: images }, instanceUids: uids }] };
}

export async function benchImaging(args: string[] = []): Promise<BenchResult[]> {
  const flag = args.indexOf('--images');
  const images = flag >= 0 ? Number(args[flag + 1]) : 300;
  if (!Number.isInteger(images) || images < 1) throw new Error('--images must be a positive integer');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-bench-imaging-'));
  try {
    const plan = benchPlan(images);
    for (let i = 0; i < 10; i++) encodePlannedInstance(plan, 0, i % images);
    const fileStore = new LocalFileStore(dir);
    let start = process.hrtime.bigint();
    const { files: written, bytes } = await writeStudyFiles(fileStore, plan);
    const seconds = secondsSince(start);
    if (written !== images) throw new Error(`imaging bench: ${written} of ${images} files written`);
    const sameBytes: Buffer[] = [];
    for await (const { key } of fileStore.list(seriesPrefix(plan.uid, plan.series[0].uid))) sameBytes.push((await readAll(fileStore, key))!);
    fs.mkdirSync(path.join(dir, 'plain'));
    start = process.hrtime.bigint();
    for (const [i, b] of sameBytes.entries()) await fs.promises.writeFile(path.join(dir, 'plain', `${i}.dcm`), b);
    const baselineSeconds = secondsSince(start);
    const mb = bytes / 1024 / 1024;
    return [
      benchResult('imaging', 'images', images, seconds, 'fs.writeFile of the same bytes', images / baselineSeconds),
      benchResult('imaging', 'MB', Number(mb.toFixed(1)), seconds, 'fs.writeFile of the same bytes', mb / baselineSeconds),
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
