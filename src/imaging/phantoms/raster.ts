/**
 * A minimal float canvas for drawing phantoms: filled (optionally rotated) ellipses in normalised
 * coordinates (0..1 across width and height), combined by set/add/max/min, then quantised to the stored bit
 * depth. Ellipses are enough to suggest anatomy and cheap enough for hundreds of 512 x 512 images a second.
 */
import { Random } from '../../generate/prng.js';

export type Op = 'set' | 'add' | 'max' | 'min';

export interface Ellipse {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  /** Radians, clockwise in image coordinates. */
  angle?: number;
}

export class Canvas {
  readonly data: Float32Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background = 0,
  ) {
    this.data = new Float32Array(width * height).fill(background);
  }

  /**
   * Fills an ellipse; radii are fractions of the width (rx) and height (ry). Each row's span is solved from
   * the ellipse's quadratic form, so only covered pixels are touched.
   */
  ellipse(e: Ellipse, value: number, op: Op = 'set'): void {
    const { width: w, height: h } = this;
    const cx = e.cx * w;
    const cy = e.cy * h;
    const rx = Math.max(e.rx * w, 0.5);
    const ry = Math.max(e.ry * h, 0.5);
    const cos = Math.cos(e.angle ?? 0);
    const sin = Math.sin(e.angle ?? 0);
    // (dx, dy) is inside when a*dx^2 + b*dx*dy + c*dy^2 <= 1.
    const a = (cos * cos) / (rx * rx) + (sin * sin) / (ry * ry);
    const b = 2 * cos * sin * (1 / (rx * rx) - 1 / (ry * ry));
    const c = (sin * sin) / (rx * rx) + (cos * cos) / (ry * ry);
    const reachY = Math.sqrt((4 * a) / (4 * a * c - b * b));
    const y0 = Math.max(0, Math.ceil(cy - reachY));
    const y1 = Math.min(h - 1, Math.floor(cy + reachY));
    for (let y = y0; y <= y1; y++) {
      const dy = y - cy;
      const disc = (b * dy) ** 2 - 4 * a * (c * dy * dy - 1);
      if (disc < 0) continue;
      const root = Math.sqrt(disc);
      const x0 = Math.max(0, Math.ceil(cx + (-b * dy - root) / (2 * a)));
      const x1 = Math.min(w - 1, Math.floor(cx + (-b * dy + root) / (2 * a)));
      if (x0 <= x1) this.span(y * w + x0, y * w + x1, value, op);
    }
  }

  private span(from: number, to: number, value: number, op: Op): void {
    const d = this.data;
    if (op === 'set') d.fill(value, from, to + 1);
    else if (op === 'add') for (let i = from; i <= to; i++) d[i] += value;
    else if (op === 'max') for (let i = from; i <= to; i++) d[i] = d[i] > value ? d[i] : value;
    else for (let i = from; i <= to; i++) d[i] = d[i] < value ? d[i] : value;
  }

  /** An elliptical ring of the given thickness (fraction of the width): `add` outside minus inside. */
  ring(e: Ellipse, thickness: number, value: number): void {
    this.ellipse(e, value, 'add');
    this.ellipse({ ...e, rx: e.rx - thickness, ry: e.ry - thickness * (this.width / this.height) }, -value, 'add');
  }

  /**
   * Adds noise with the given standard deviation from a fixed table of normal deviates, read from a seeded
   * offset: random-looking, and far cheaper than drawing per pixel.
   */
  noise(rng: Random, sd: number): void {
    const table = noiseTable();
    const data = this.data;
    let j = rng.int(0, table.length - 1);
    for (let i = 0; i < data.length; ) {
      const run = Math.min(data.length - i, table.length - j);
      for (let k = 0; k < run; k++) data[i + k] += table[j + k] * sd;
      i += run;
      j = 0;
    }
  }

  /** Multiplicative speckle (ultrasound), per pixel. */
  speckle(rng: Random, amount: number): void {
    for (let i = 0; i < this.data.length; i++) this.data[i] *= 1 - amount + 2 * amount * rng.next();
  }

  /** Rounds and clamps into unsigned integers of `bits` bits. */
  toUint16(bits: number): Uint16Array {
    const max = (1 << bits) - 1;
    const from = this.data;
    const to = new Uint16Array(from.length);
    for (let i = 0; i < from.length; i++) {
      const v = from[i];
      to[i] = v <= 0 ? 0 : v >= max ? max : (v + 0.5) | 0;
    }
    return to;
  }

  toUint8(): Uint8Array {
    const from = this.data;
    const to = new Uint8Array(from.length);
    for (let i = 0; i < from.length; i++) {
      const v = from[i];
      to[i] = v <= 0 ? 0 : v >= 255 ? 255 : (v + 0.5) | 0;
    }
    return to;
  }
}

let table: Float32Array | undefined;

/** 65521 normal deviates (a prime count, so the pattern does not line up with rows of any width), made once. */
function noiseTable(): Float32Array {
  if (table) return table;
  const rng = new Random(0x5eed);
  table = new Float32Array(65521);
  for (let i = 0; i < table.length; i++) table[i] = rng.normal();
  return table;
}
