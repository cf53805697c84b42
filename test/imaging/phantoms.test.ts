/** The phantoms show anatomy (structural properties of the pixels), vary by seed and repeat for a seed. */
import { drawPhantom } from '../../src/imaging/phantoms/draw-phantom.js';
import type { PhantomInput } from '../../src/imaging/phantoms/phantom-input.js';
import { dicomUid, isDicomUid } from '../../src/imaging/uid.js';
import { Random } from '../../src/generate/prng.js';

function input(extra: Partial<PhantomInput>): PhantomInput {
  return { rows: 512, columns: 512, bitsStored: 12, seed: 42, series: { description: 'x', instances: 1 }, seriesIndex: 0, instanceIndex: 0, instanceCount: 1, bones: 2, finding: 'none', ...extra };
}

/** Mean of a rectangle given in fractions of the image. */
function mean(pixels: Uint16Array | Uint8Array, size: number, x0: number, y0: number, x1: number, y1: number): number {
  let sum = 0;
  let n = 0;
  for (let y = Math.round(y0 * size); y < Math.round(y1 * size); y++) {
    for (let x = Math.round(x0 * size); x < Math.round(x1 * size); x++) {
      sum += pixels[y * size + x];
      n++;
    }
  }
  return sum / n;
}

describe('phantoms', () => {
  test('chest PA: both lung fields are darker than the mediastinum', () => {
    for (const seed of [1, 2, 3]) {
      const px = drawPhantom('chest', input({ seed, series: { description: 'PA', view: 'PA', instances: 2 } }));
      const mediastinum = mean(px, 512, 0.47, 0.3, 0.53, 0.45);
      expect(mean(px, 512, 0.27, 0.35, 0.37, 0.5)).toBeLessThan(mediastinum * 0.5);
      expect(mean(px, 512, 0.63, 0.35, 0.73, 0.5)).toBeLessThan(mediastinum * 0.5);
    }
  });

  test('head MR: a bright ring surrounds darker brain on every sequence', () => {
    for (const sequence of ['T1', 'T2', 'FLAIR', 'DWI']) {
      const px = drawPhantom('head-mr', input({ rows: 256, columns: 256, instanceIndex: 8, instanceCount: 20, series: { description: sequence, sequence, instances: 20 } }));
      const brain = mean(px, 256, 0.4, 0.4, 0.6, 0.6);
      const background = mean(px, 256, 0, 0, 0.05, 0.05);
      // Scan outwards along the row through the centre: the brightest run must lie near the head's edge.
      const row = Array.from(px.subarray(128 * 256, 129 * 256));
      const peak = row.indexOf(Math.max(...row.slice(128)), 128);
      expect(peak).toBeGreaterThan(128 + 256 * 0.25);
      expect(row[peak]).toBeGreaterThan(brain * 1.4);
      expect(background).toBeLessThan(brain / 4);
    }
  });

  test('a fracture cuts a dark line through the bone', () => {
    const intact = drawPhantom('limb', input({ series: { description: 'AP', view: 'AP', instances: 1 } }));
    const broken = drawPhantom('limb', input({ finding: 'fracture', series: { description: 'AP', view: 'AP', instances: 1 } }));
    let darker = 0;
    for (let i = 0; i < intact.length; i++) if (broken[i] < intact[i] - 500) darker++;
    expect(darker).toBeGreaterThan(100);
  });

  test('anatomy varies with the seed and repeats for the same seed', () => {
    const a = drawPhantom('chest-ct', input({ seed: 7 }));
    expect(Buffer.from(drawPhantom('chest-ct', input({ seed: 7 })).buffer).equals(Buffer.from(a.buffer))).toBe(true);
    expect(Buffer.from(drawPhantom('chest-ct', input({ seed: 8 })).buffer).equals(Buffer.from(a.buffer))).toBe(false);
  });

  test('UIDs are 2.25 decimal UUIDs within 64 characters and repeat for a seed', () => {
    const uids = Array.from({ length: 200 }, (_, i) => dicomUid(new Random(i)));
    for (const uid of uids) {
      expect(uid).toMatch(/^2\.25\.[1-9][0-9]{0,38}$/);
      expect(isDicomUid(uid)).toBe(true);
    }
    expect(new Set(uids).size).toBe(200);
    expect(dicomUid(new Random(5))).toBe(uids[5]);
    expect(isDicomUid('1.2.03')).toBe(false);
    expect(isDicomUid('../1.2')).toBe(false);
  });
});
