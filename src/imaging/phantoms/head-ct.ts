/**
 * Axial head CT stored as HU + 1024 (Rescale Intercept -1024): air, scalp, a dense skull ring, grey and
 * white matter a few HU apart, and CSF-density ventricles.
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part03/sect_C.8.2.html (CT Image Module)
 */
import { Canvas } from './raster.js';
import { anatomy, perImage, slicePosition, type PhantomInput } from './phantom-input.js';

const hu = (value: number) => value + 1024;

export function drawHeadCt(input: PhantomInput): Uint16Array {
  const a = anatomy(input);
  const j = perImage(input);
  const z = slicePosition(input);
  const scale = Math.sqrt(Math.max(0.15, 1 - ((z - 0.4) / 0.75) ** 2));
  const rx = a.range(0.3, 0.34) * scale;
  const ry = a.range(0.37, 0.41) * scale;
  const head = (f: number) => ({ cx: 0.5, cy: 0.48, rx: rx * f, ry: ry * f });
  const c = new Canvas(input.columns, input.rows, hu(-1000));
  c.ellipse(head(1), hu(40));
  c.ellipse(head(0.95), hu(1100));
  c.ellipse(head(0.88), hu(38));
  c.ellipse(head(0.68), hu(28));
  if (z > 0.3 && z < 0.75) {
    const v = Math.sin(((z - 0.3) / 0.45) * Math.PI);
    c.ellipse({ cx: 0.46, cy: 0.46, rx: 0.022 * v + 0.005, ry: 0.09 * v + 0.01, angle: -0.15 }, hu(5));
    c.ellipse({ cx: 0.54, cy: 0.46, rx: 0.022 * v + 0.005, ry: 0.09 * v + 0.01, angle: 0.15 }, hu(5));
  }
  c.ellipse({ cx: 0.5, cy: 0.93, rx: 0.45, ry: 0.012 }, hu(200));
  c.noise(j, 4);
  return c.toUint16(input.bitsStored);
}
