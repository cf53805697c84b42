/**
 * Axial chest CT stored as HU + 1024: a fat-rimmed soft-tissue thorax, aerated lungs near -850 HU whose
 * size follows the slice position, heart and aorta, a vertebral body and rib cross-sections. A nodule
 * finding places a small soft-tissue nodule in one lung on the middle slices.
 */
import { Canvas } from './raster.js';
import { anatomy, perImage, slicePosition, type PhantomInput } from './phantom-input.js';

const hu = (value: number) => value + 1024;

export function drawChestCt(input: PhantomInput): Uint16Array {
  const a = anatomy(input);
  const j = perImage(input);
  const z = slicePosition(input);
  const lung = Math.sqrt(Math.max(0.1, 1 - ((z - 0.55) / 0.6) ** 2));
  const c = new Canvas(input.columns, input.rows, hu(-1000));
  const bodyRx = a.range(0.4, 0.44);
  c.ellipse({ cx: 0.5, cy: 0.5, rx: bodyRx, ry: 0.3 }, hu(-100));
  c.ellipse({ cx: 0.5, cy: 0.5, rx: bodyRx - 0.03, ry: 0.27 }, hu(45));
  c.ellipse({ cx: 0.33, cy: 0.48, rx: 0.13 * lung, ry: 0.19 * lung }, hu(-850));
  c.ellipse({ cx: 0.67, cy: 0.48, rx: 0.13 * lung, ry: 0.19 * lung }, hu(-850));
  c.ellipse({ cx: 0.53, cy: 0.45, rx: 0.09 * (1.2 - z * 0.5), ry: 0.09 }, hu(40));
  c.ellipse({ cx: 0.45, cy: 0.6, rx: 0.028, ry: 0.028 }, hu(45));
  c.ellipse({ cx: 0.5, cy: 0.7, rx: 0.04, ry: 0.035 }, hu(400));
  for (let k = 0; k < 10; k++) {
    const t = (k / 9) * Math.PI * 0.9 + Math.PI * 0.05;
    c.ellipse({ cx: 0.5 + Math.cos(t) * (bodyRx - 0.05), cy: 0.5 + Math.sin(t - Math.PI / 2) * 0.24, rx: 0.012, ry: 0.012 }, hu(700));
  }
  if (input.finding === 'nodule' && Math.abs(z - 0.5) < 0.15) {
    c.ellipse({ cx: a.chance(0.5) ? 0.3 : 0.7, cy: a.range(0.4, 0.55), rx: 0.015, ry: 0.015 }, hu(30));
  }
  c.ellipse({ cx: 0.5, cy: 0.86, rx: 0.45, ry: 0.01 }, hu(200));
  c.noise(j, 10);
  return c.toUint16(input.bitsStored);
}
