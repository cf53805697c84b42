/**
 * A chest radiograph (MONOCHROME2, so dense is bright): a soft-tissue thorax, two dark lung fields, a bright
 * mediastinum and heart between them, spine, ribs and clavicles; a lateral view for LL. Pneumonia adds a
 * lower-lobe consolidation. Lung fields darker than the mediastinum is the property the tests check.
 */
import { Canvas } from './raster.js';
import { anatomy, perImage, type PhantomInput } from './phantom-input.js';

export function drawChestXray(input: PhantomInput): Uint16Array {
  const a = anatomy(input);
  const j = perImage(input);
  const c = new Canvas(input.columns, input.rows, 120);
  const dx = j.range(-0.015, 0.015);
  const dy = j.range(-0.015, 0.015);
  const lungW = a.range(0.11, 0.14);
  const lungH = a.range(0.27, 0.32);
  if (input.series.view === 'LL') {
    c.ellipse({ cx: 0.5 + dx, cy: 0.56 + dy, rx: 0.3, ry: 0.52 }, 1300);
    c.ellipse({ cx: 0.5 + dx, cy: 0.5 + dy, rx: lungW * 1.7, ry: lungH }, 520);
    c.ellipse({ cx: 0.42 + dx, cy: 0.63 + dy, rx: 0.12, ry: a.range(0.11, 0.14) }, 1700);
    c.ellipse({ cx: 0.74 + dx, cy: 0.56 + dy, rx: 0.04, ry: 0.52 }, 900, 'add');
  } else {
    c.ellipse({ cx: 0.5 + dx, cy: 0.56 + dy, rx: 0.43, ry: 0.52 }, 1300);
    c.ellipse({ cx: 0.32 + dx, cy: 0.5 + dy, rx: lungW, ry: lungH }, 480);
    c.ellipse({ cx: 0.68 + dx, cy: 0.5 + dy, rx: lungW * a.range(0.95, 1.05), ry: lungH * a.range(0.95, 1.02) }, 480);
    c.ellipse({ cx: 0.5 + dx, cy: 0.48 + dy, rx: 0.075, ry: 0.33 }, 2000);
    c.ellipse({ cx: 0.55 + dx, cy: 0.66 + dy, rx: a.range(0.12, 0.15), ry: 0.12 }, 2000);
    c.ellipse({ cx: 0.5 + dx, cy: 0.56 + dy, rx: 0.022, ry: 0.52 }, 350, 'add');
    for (let k = 0; k < 7; k++) c.ring({ cx: 0.5 + dx, cy: 0.24 + k * 0.055 + dy, rx: 0.3, ry: 0.09 }, 0.008, 220);
    c.ellipse({ cx: 0.35 + dx, cy: 0.2 + dy, rx: 0.13, ry: 0.012, angle: 0.18 }, 500, 'add');
    c.ellipse({ cx: 0.65 + dx, cy: 0.2 + dy, rx: 0.13, ry: 0.012, angle: -0.18 }, 500, 'add');
  }
  if (input.finding === 'consolidation') {
    const side = a.chance(0.5) ? 0.3 : 0.7;
    c.ellipse({ cx: side + dx, cy: 0.63 + dy, rx: a.range(0.04, 0.07), ry: a.range(0.04, 0.07) }, 420, 'add');
  }
  c.noise(j, 30);
  return c.toUint16(input.bitsStored);
}
