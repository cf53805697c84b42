/** What every phantom draws from: the matrix, the study's seed, and where the image sits in its study. */
import { Random } from '../../generate/prng.js';
import type { SeriesSpec } from '../study-table.js';

/** A finding the rule table attaches to a condition, drawn into the images (a consolidation, an infarct, …). */
export type Finding = 'consolidation' | 'infarct' | 'fracture' | 'nodule' | 'none';

export interface PhantomInput {
  rows: number;
  columns: number;
  bitsStored: number;
  /** The study's pixel seed: anatomy varies between studies, never between runs. */
  seed: number;
  series: SeriesSpec;
  seriesIndex: number;
  instanceIndex: number;
  instanceCount: number;
  bones: number;
  finding: Finding;
}

/** The study-wide stream (same anatomy on every image of a study). */
export const anatomy = (input: PhantomInput) => new Random(input.seed);

/** A per-image stream (positioning jitter, noise offset). */
export const perImage = (input: PhantomInput) => new Random(input.seed, 1 + input.seriesIndex * 1000 + input.instanceIndex);

/** Where a slice sits in its series, 0 (first) to 1 (last). */
export const slicePosition = (input: PhantomInput) => (input.instanceCount <= 1 ? 0.5 : input.instanceIndex / (input.instanceCount - 1));
