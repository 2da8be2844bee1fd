/**
 * MurmurHash3 x86_32 (Austin Appleby's public-domain reference algorithm, the `Murmur3A` of SMHasher), little-endian
 * blocks. Returns the unsigned 32-bit hash of bytes [0, length) of `bytes`, as the reference gives it.
 * Allocation-free.
 *
 * @example
 * murmurHash3(new TextEncoder().encode('Hello, world!'), 13, 0x9747b28c); // 0x24884cba
 */
export function murmurHash3(bytes: Uint8Array, length: number, seed: number): number {
  const blocks = length & ~3;
  let h = seed | 0;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = length & 3;
  if (tail > 0) {
    let k = bytes[blocks];
    if (tail > 1) k ^= bytes[blocks + 1] << 8;
    if (tail > 2) k ^= bytes[blocks + 2] << 16;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

/**
 * MurmurHash3 x86_32 of the UTF-8 bytes of `text`. Reuses one module-level buffer (grown when a string needs more),
 * so hashing many strings allocates nothing per string.
 *
 * @example
 * murmurHash3String('The quick brown fox jumps over the lazy dog', 0); // 0x2e4ff723
 */
export function murmurHash3String(text: string, seed: number): number {
  // UTF-8 needs at most 3 bytes per UTF-16 code unit.
  if (text.length * 3 > scratch.length) scratch = new Uint8Array(text.length * 3);
  const { written } = encoder.encodeInto(text, scratch);
  return murmurHash3(scratch, written, seed);
}
