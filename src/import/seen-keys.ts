/**
 * The `Type/id` keys an import has already written, so a resource that appears again later in the same run
 * (Synthea repeats Organizations and Practitioners across files, not always with the same content) is
 * recognised. Keys are kept as 53-bit hashes to bound memory on very large imports; past MAX_SEEN the set
 * starts over, and repeats beyond that distance are simply written again (last one wins).
 */
export const MAX_SEEN = 2_000_000;

/** A 53-bit string hash (two 32-bit FNV-1a-style lanes with different primes, combined). */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export class SeenKeys {
  private readonly hashes = new Set<number>();

  add(key: string): void {
    if (this.hashes.size >= MAX_SEEN) this.hashes.clear();
    this.hashes.add(hash53(key));
  }

  has(key: string): boolean {
    return this.hashes.has(hash53(key));
  }
}
