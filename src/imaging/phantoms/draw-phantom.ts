/** Chooses the phantom a study type names (schemas/imaging/studies.json `phantom`). */
import type { PhantomName } from '../study-table.js';
import { drawChestCt } from './chest-ct.js';
import { drawChestXray } from './chest-xray.js';
import { drawHeadCt } from './head-ct.js';
import { drawHeadMr } from './head-mr.js';
import { drawLimbXray } from './limb-xray.js';
import { drawObstetricUs } from './obstetric-us.js';
import type { PhantomInput } from './phantom-input.js';

const PHANTOMS: Record<PhantomName, (input: PhantomInput) => Uint16Array | Uint8Array> = {
  chest: drawChestXray,
  limb: drawLimbXray,
  'head-mr': drawHeadMr,
  'head-ct': drawHeadCt,
  'chest-ct': drawChestCt,
  'obstetric-us': drawObstetricUs,
};

export function drawPhantom(name: PhantomName, input: PhantomInput): Uint16Array | Uint8Array {
  return PHANTOMS[name](input);
}
