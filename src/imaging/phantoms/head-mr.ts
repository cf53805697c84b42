/**
 * Axial brain MR slices from skull base to vertex: a bright ring of scalp and diploic fat (bright on the
 * sequences used here), a thin dark cortical skull, grey and white matter, and ventricles whose signal
 * follows the contrast (dark on T1/FLAIR, bright on T2). An infarct is bright on T2, FLAIR and DWI.
 * The bright ring around the brain is the property the tests check.
 */
import { Canvas } from './raster.js';
import { anatomy, perImage, slicePosition, type PhantomInput } from './phantom-input.js';

interface Contrast {
  fat: number;
  grey: number;
  white: number;
  csf: number;
  lesion: number;
}

const CONTRAST: Record<string, Contrast> = {
  T1: { fat: 1500, grey: 560, white: 760, csf: 120, lesion: 420 },
  T2: { fat: 1450, grey: 820, white: 600, csf: 1250, lesion: 1150 },
  FLAIR: { fat: 1400, grey: 700, white: 560, csf: 90, lesion: 1200 },
  DWI: { fat: 900, grey: 420, white: 360, csf: 60, lesion: 1100 },
};

export function drawHeadMr(input: PhantomInput): Uint16Array {
  const a = anatomy(input);
  const j = perImage(input);
  const k = CONTRAST[input.series.sequence ?? 'T1'] ?? CONTRAST.T1;
  const z = slicePosition(input);
  const scale = Math.sqrt(Math.max(0.15, 1 - ((z - 0.4) / 0.75) ** 2));
  const rx = a.range(0.33, 0.37) * scale;
  const ry = a.range(0.41, 0.45) * scale;
  const c = new Canvas(input.columns, input.rows, 0);
  const head = (f: number) => ({ cx: 0.5, cy: 0.5, rx: rx * f, ry: ry * f });
  c.ellipse(head(1), k.fat);
  c.ellipse(head(0.92), 80);
  c.ellipse(head(0.88), k.grey);
  c.ellipse(head(0.7), k.white);
  if (z > 0.3 && z < 0.75) {
    const v = Math.sin(((z - 0.3) / 0.45) * Math.PI);
    c.ellipse({ cx: 0.46, cy: 0.48, rx: 0.025 * v + 0.005, ry: 0.1 * v + 0.01, angle: -0.15 }, k.csf);
    c.ellipse({ cx: 0.54, cy: 0.48, rx: 0.025 * v + 0.005, ry: 0.1 * v + 0.01, angle: 0.15 }, k.csf);
  }
  if (input.finding === 'infarct' && z > 0.35 && z < 0.7) {
    const side = a.chance(0.5) ? 0.35 : 0.65;
    c.ellipse({ cx: side, cy: a.range(0.4, 0.6), rx: a.range(0.04, 0.07) * scale, ry: a.range(0.05, 0.09) * scale }, k.lesion);
  }
  c.noise(j, 15);
  return c.toUint16(input.bitsStored);
}
