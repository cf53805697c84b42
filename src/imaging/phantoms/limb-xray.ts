/**
 * An extremity radiograph: a soft-tissue limb with one or two long bones (bright cortex, greyer medulla)
 * ending at a joint, turned per view (AP, lateral, oblique); clavicle films lie the bone across. A fracture
 * finding cuts a dark line through the first bone.
 */
import { Canvas } from './raster.js';
import { anatomy, perImage, type PhantomInput } from './phantom-input.js';

const VIEW_ANGLE: Record<string, number> = { AP: 0, LATERAL: 0.08, OBLIQUE: 0.3 };

export function drawLimbXray(input: PhantomInput): Uint16Array {
  const a = anatomy(input);
  const j = perImage(input);
  const c = new Canvas(input.columns, input.rows, 100);
  const turn = (input.bones === 1 ? Math.PI / 2 - 0.15 : 0) + (VIEW_ANGLE[input.series.view ?? 'AP'] ?? 0) + j.range(-0.03, 0.03);
  const cos = Math.cos(turn);
  const sin = Math.sin(turn);
  const at = (x: number, y: number) => ({ cx: 0.5 + (x - 0.5) * cos - (y - 0.5) * sin, cy: 0.5 + (x - 0.5) * sin + (y - 0.5) * cos, angle: turn });
  c.ellipse({ ...at(0.5, 0.45), rx: a.range(0.2, 0.25), ry: 0.7 }, 900);
  const overlap = input.series.view === 'LATERAL' ? 0.5 : 1;
  const shafts = input.bones === 1 ? [{ x: 0.5, r: 0.045 }] : [{ x: 0.5 - 0.08 * overlap, r: a.range(0.04, 0.05) }, { x: 0.5 + 0.08 * overlap, r: a.range(0.028, 0.035) }];
  for (const s of shafts) {
    c.ellipse({ ...at(s.x, 0.35), rx: s.r, ry: 0.5 }, 2600, 'max');
    c.ellipse({ ...at(s.x, 0.35), rx: s.r * 0.55, ry: 0.48 }, 1900, 'min');
    c.ellipse({ ...at(s.x, 0.82), rx: s.r * 1.5, ry: 0.05 }, 2300, 'max');
  }
  if (input.bones > 1) c.ellipse({ ...at(0.5, 0.93), rx: 0.14, ry: 0.04 }, 2200, 'max');
  if (input.finding === 'fracture') {
    const s = shafts[0];
    c.ellipse({ ...at(s.x, 0.62), rx: s.r * 1.4, ry: 0.004 }, 1000, 'min');
    c.ellipse({ ...at(s.x, 0.62), rx: s.r * 1.4, ry: 0.004, angle: turn + 0.35 }, 1000, 'min');
  }
  c.noise(j, 25);
  return c.toUint16(input.bitsStored);
}
