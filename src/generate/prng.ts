/**
 * A small seeded PRNG (xoshiro128**, state filled by splitmix32) so that the same seed and parameters give
 * byte-identical output on every machine; Math.random cannot be seeded. Each patient gets its own stream
 * derived from (seed, index), so a patient does not change when others are added or filtered.
 * @see https://prng.di.unimi.it/
 */
import { spreadPoint } from './spread.js';

/** The stream the spread sequence's per-seed shifts are drawn from (below the network's 0x7fffffff). */
const SPREAD_STREAM = 0x7ffffffe;

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `seed` is any safe integer; `stream` separates independent sequences under one seed. */
  constructor(private readonly seed: number, private readonly stream = 0) {
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 0x100000000) >>> 0;
    const mix = splitmix32(lo ^ Math.imul(hi, 0x27d4eb2f) ^ Math.imul(stream + 1, 0x165667b1));
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix() | 1;
  }

  /**
   * This stream's point of the seed's spread sequence in `dimension` (spread.ts): uniform over seeds, but even
   * across the streams 0, 1, 2… of one seed. For the few draws that shape population figures, one per dimension.
   */
  spread(dimension: number): number {
    const shifts = new Random(this.seed, SPREAD_STREAM);
    let shift = shifts.next();
    for (let k = 0; k < dimension; k++) shift = shifts.next();
    return spreadPoint(this.stream, dimension, shift);
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** A uniform number in [0, 1). */
  next(): number {
    return this.uint32() / 0x100000000;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by `weight` (need not sum to 1). */
  weighted<T extends { weight: number }>(items: readonly T[]): T {
    const total = items.reduce((s, i) => s + i.weight, 0);
    let u = this.next() * total;
    for (const item of items) {
      u -= item.weight;
      if (u < 0) return item;
    }
    return items[items.length - 1];
  }

  /** A normal deviate (Box-Muller). */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A version-4-shaped UUID drawn from this stream, so ids are as deterministic as everything else. */
  uuid(): string {
    const w = [this.uint32(), this.uint32(), this.uint32(), this.uint32()];
    w[1] = (w[1] & 0xffff0fff) | 0x4000;
    w[2] = (w[2] & 0x3fffffff) | 0x80000000;
    const b = (n: number, shift: number) => HEX[(n >>> shift) & 0xff];
    const word = (n: number) => b(n, 24) + b(n, 16) + b(n, 8) + b(n, 0);
    const x = w.map(word).join('');
    return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
  }

  /** `n` random decimal digits. */
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
