/**
 * An 8-bit obstetric B-mode frame: a sector from the transducer at the top, speckled tissue, an anechoic
 * (dark) amniotic sac and a fetus whose skull is a bright echo. Outside the sector is black, as on scanners.
 */
import { Canvas } from './raster.js';
import { anatomy, perImage, type PhantomInput } from './phantom-input.js';

export function drawObstetricUs(input: PhantomInput): Uint8Array {
  const a = anatomy(input);
  const j = perImage(input);
  const { columns: w, rows: h } = input;
  const c = new Canvas(w, h, 85);
  const sx = j.range(-0.03, 0.03);
  c.ellipse({ cx: 0.5 + sx, cy: 0.55, rx: 0.3, ry: 0.3 }, 12);
  c.ellipse({ cx: 0.42 + sx, cy: 0.52, rx: 0.09, ry: 0.12 }, 190);
  c.ellipse({ cx: 0.42 + sx, cy: 0.52, rx: 0.08, ry: 0.105 }, 55);
  c.ellipse({ cx: 0.6 + sx, cy: 0.58, rx: a.range(0.1, 0.14), ry: 0.09, angle: 0.3 }, 120);
  c.speckle(j, 0.45);
  const apexX = w / 2;
  const half = 0.62;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const r = Math.hypot(x - apexX, y + h * 0.05) / h;
      const t = Math.atan2(x - apexX, y + h * 0.05);
      if (r < 0.1 || r > 1 || Math.abs(t) > half) c.data[y * w + x] = 0;
    }
  }
  return c.toUint8();
}
